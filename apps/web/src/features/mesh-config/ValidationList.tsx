import type { ObjectRef, ValidationMessage } from "@meshscope/model";

export interface Finding extends ValidationMessage {
  object?: ObjectRef | undefined;
  /** 1-based line in the text being edited, when known. */
  line?: number | null;
}

const ICON: Record<string, string> = { error: "✖", warning: "▲", info: "ℹ" };

/** Validation findings: severity, code, message, and where (object, path, line). Text only. */
export function ValidationList({
  findings,
  onLine,
  testId = "validation-list",
}: {
  findings: readonly Finding[];
  /** When given, a finding with a line becomes a button that moves the editor there. */
  onLine?: (line: number) => void;
  testId?: string;
}) {
  if (findings.length === 0) {
    return (
      <p className="validation-ok" data-testid={testId} data-count="0">
        ✔ No problems found.
      </p>
    );
  }
  return (
    <ul className="validation-list" data-testid={testId} data-count={findings.length}>
      {findings.map((f, i) => (
        <li
          // Findings can repeat exactly (same code, same path): the position is the identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole on every validation
          key={i}
          className={`validation-item validation-${f.severity}`}
          data-testid="validation-item"
          data-severity={f.severity}
        >
          <span className="validation-icon" aria-hidden="true">
            {ICON[f.severity] ?? "•"}
          </span>
          <span className="visually-hidden">{f.severity}: </span>
          <code className="validation-code">{f.code}</code>
          <span className="validation-message">{f.message}</span>
          <span className="validation-where muted">
            {f.object && `${f.object.kind}/${f.object.name} `}
            {f.path && <code>{f.path}</code>}
            {typeof f.line === "number" &&
              (onLine ? (
                <button type="button" className="link-button" onClick={() => f.line && onLine(f.line)}>
                  line {f.line}
                </button>
              ) : (
                ` line ${f.line}`
              ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function countBySeverity(findings: readonly ValidationMessage[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
  };
}
