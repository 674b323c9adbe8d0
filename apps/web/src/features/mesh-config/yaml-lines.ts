/**
 * Where a validation finding sits in the editor's text. Findings name a path like `spec.http[1].route[0]` in one
 * object; the editor holds YAML (possibly several documents), so the path is looked up in the parsed document of
 * that object to get a 1-based line. Best effort: when the path does not resolve, the closest existing parent
 * gives the line, and an unparsable text gives none.
 */
import type { ObjectRef } from "@meshscope/model";
import { isMap, isScalar, LineCounter, parseAllDocuments } from "yaml";

/** `spec.http[1].route[0]` → ["spec", "http", 1, "route", 0]. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

type ParsedDoc = ReturnType<typeof parseAllDocuments>;

function scalarAt(node: unknown, key: string): string | null {
  if (!isMap(node)) return null;
  const value = node.get(key, true);
  return isScalar(value) && typeof value.value === "string" ? value.value : null;
}

function metadataOf(doc: { contents: unknown }): {
  kind: string | null;
  namespace: string | null;
  name: string | null;
} {
  const metadata = isMap(doc.contents) ? doc.contents.get("metadata", true) : null;
  return {
    kind: scalarAt(doc.contents, "kind"),
    namespace: scalarAt(metadata, "namespace"),
    name: scalarAt(metadata, "name"),
  };
}

export interface YamlLocator {
  /** 1-based line of `path` in the document of `object` (the first document when `object` is absent). */
  lineOf(path: string, object?: ObjectRef): number | null;
  /** YAML syntax errors with their 1-based line: shown at once, before the server has answered. */
  syntaxErrors: { line: number; message: string }[];
}

export function yamlLocator(text: string): YamlLocator {
  const counter = new LineCounter();
  let docs: ParsedDoc;
  try {
    docs = parseAllDocuments(text, { lineCounter: counter });
  } catch {
    return { lineOf: () => null, syntaxErrors: [] };
  }
  const list = Array.isArray(docs) ? docs : [];
  const syntaxErrors = list.flatMap((d) =>
    d.errors.map((e) => ({
      line: counter.linePos(e.pos[0]).line,
      // The library's message repeats the offending text after a newline; the first line says it all.
      message: e.message.split("\n")[0] ?? e.message,
    })),
  );
  return {
    syntaxErrors,
    lineOf(path, object) {
      const doc =
        (object &&
          list.find((d) => {
            const m = metadataOf(d);
            return (
              m.kind === object.kind && m.name === object.name && (m.namespace ?? object.namespace) === object.namespace
            );
          })) ??
        list[0];
      if (!doc) return null;
      const segments = pathSegments(path);
      for (let n = segments.length; n > 0; n--) {
        const node = doc.getIn(segments.slice(0, n), true);
        const range =
          node && typeof node === "object" && "range" in node && Array.isArray(node.range) ? node.range : null;
        const offset = range?.[0];
        if (typeof offset === "number") return counter.linePos(offset).line;
      }
      return null;
    },
  };
}
