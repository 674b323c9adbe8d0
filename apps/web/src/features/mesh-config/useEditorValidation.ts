import { useMemo } from "react";
import { useValidateQuery } from "./queries";
import { useDebounced } from "./useDebounced";
import type { Finding } from "./ValidationList";
import { yamlLocator } from "./yaml-lines";

const DEBOUNCE_MS = 400;

export interface EditorValidation {
  findings: Finding[];
  /** Line → worst severity on it, for the gutter. */
  marks: Map<number, "error" | "warning" | "info">;
  /** The server has not answered for the text on screen yet. */
  pending: boolean;
  /** The validate call itself failed (network, server error): findings are then only the local syntax errors. */
  error: Error | null;
  errors: number;
}

const RANK = { error: 3, warning: 2, info: 1 } as const;

/**
 * Inline validation of an editor's YAML: local syntax errors at once, then the server's findings
 * (`POST /api/mesh/validate`, debounced), each placed on a line of the text.
 */
export function useEditorValidation(yaml: string): EditorValidation {
  const settled = useDebounced(yaml, DEBOUNCE_MS);
  const query = useValidateQuery(settled);
  return useMemo(() => {
    const locator = yamlLocator(yaml);
    const findings: Finding[] = locator.syntaxErrors.map((e) => ({
      severity: "error",
      code: "yaml",
      message: e.message,
      path: "",
      line: e.line,
    }));
    // Server findings belong to the settled text; once the user typed on, their lines may be off by a little,
    // which is better than making findings flicker away on every keystroke.
    if (query.data) {
      for (const result of query.data.results) {
        for (const v of result.validation) {
          findings.push({ ...v, object: result.object, line: locator.lineOf(v.path, result.object) });
        }
      }
    }
    const marks = new Map<number, "error" | "warning" | "info">();
    for (const f of findings) {
      if (typeof f.line !== "number") continue;
      const was = marks.get(f.line);
      if (!was || RANK[f.severity] > RANK[was]) marks.set(f.line, f.severity);
    }
    return {
      findings,
      marks,
      pending: settled !== yaml || query.isFetching,
      error: query.error,
      errors: findings.filter((f) => f.severity === "error").length,
    };
  }, [yaml, settled, query.data, query.isFetching, query.error]);
}
