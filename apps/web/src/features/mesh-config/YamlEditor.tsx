import { forwardRef, useImperativeHandle, useRef } from "react";

export interface YamlEditorHandle {
  /** Moves the caret to the start of a 1-based line and scrolls it into view. */
  goToLine(line: number): void;
}

const LINE_HEIGHT_PX = 18;

/**
 * A plain textarea with a line-number gutter. Lines with findings are marked in the gutter by severity. No
 * syntax highlighting on purpose: the text stays a textarea's value, never markup built from user YAML.
 */
export const YamlEditor = forwardRef<
  YamlEditorHandle,
  {
    value: string;
    onChange(value: string): void;
    marks: ReadonlyMap<number, "error" | "warning" | "info">;
    label: string;
    readOnly?: boolean;
  }
>(function YamlEditor({ value, onChange, marks, label, readOnly = false }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = value.split("\n").length;

  useImperativeHandle(ref, () => ({
    goToLine(line) {
      const el = area.current;
      if (!el) return;
      const lines = el.value.split("\n");
      const offset = lines.slice(0, Math.max(0, line - 1)).reduce((sum, l) => sum + l.length + 1, 0);
      el.focus();
      el.setSelectionRange(offset, offset);
      el.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT_PX);
    },
  }));

  return (
    <div className="yaml-editor" data-testid="yaml-editor">
      <div className="yaml-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lineCount }, (_, i) => {
          const mark = marks.get(i + 1);
          return (
            // A line number is its own identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: the gutter lists positions, not items
            <div key={i} className={mark ? `yaml-line-no is-${mark}` : "yaml-line-no"} data-line={i + 1}>
              {i + 1}
            </div>
          );
        })}
      </div>
      <textarea
        ref={area}
        className="yaml-text"
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        aria-label={label}
        data-testid="yaml-text"
        wrap="off"
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
});
