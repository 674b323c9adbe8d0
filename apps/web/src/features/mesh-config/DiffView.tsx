import { useMemo } from "react";
import { diffLines, diffStats } from "./diff-lines";

/** A unified diff, one text line per diff line, coloured by kind. Never HTML from data: each line is a text node. */
export function DiffView({ diff, testId = "diff-view" }: { diff: string; testId?: string }) {
  const lines = useMemo(() => diffLines(diff), [diff]);
  const stats = diffStats(lines);
  if (lines.length === 0) {
    return (
      <p className="muted" data-testid={testId}>
        No changes.
      </p>
    );
  }
  return (
    <div className="diff" data-testid={testId}>
      <p className="diff-stats">
        <span className="diff-stat-add">+{stats.added}</span> <span className="diff-stat-del">−{stats.removed}</span>
      </p>
      <pre className="diff-body">
        {lines.map((line, i) => (
          // Lines have no identity beyond their position in this fixed text.
          // biome-ignore lint/suspicious/noArrayIndexKey: the diff text is immutable for this render
          <span key={i} className={`diff-line diff-${line.kind}`} data-kind={line.kind}>
            {line.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}
