// Multi-document Istio YAML ⇄ typed MeshObjects. The text is untrusted (files edited by hand, bodies of API
// requests): it is only ever data. The `yaml` package builds plain objects (no custom tags are executed) and
// `maxAliasCount` stops alias-expansion bombs ("billion laughs") before they allocate.
import {
  type Document,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  stringify,
  visit,
  type YAMLError,
} from "yaml";
import { formatPath, readMeshObject } from "./object-shape.js";
import type { MeshObject } from "./objects.js";

export interface ParseIssue {
  /** Where the text came from (a file path, "request body"), when the caller said. */
  source?: string;
  /** 1-based position of the YAML document in the text (`---` separates documents). */
  document: number;
  /** 1-based line in the text, when known. */
  line?: number;
  message: string;
  /** The field at fault, e.g. `spec.http[0].route[1].weight`. */
  path?: string;
}

export interface MeshYamlParseResult {
  objects: MeshObject[];
  errors: ParseIssue[];
}

export interface ParseMeshYamlOptions {
  /** Namespace of objects whose metadata has none (default "default", as kubectl). */
  defaultNamespace?: string;
  source?: string;
}

// Real Istio objects use no aliases at all; 100 (the yaml default) leaves room for hand-written anchors while an
// expansion bomb fails on its first few levels.
const MAX_ALIAS_COUNT = 100;

/**
 * Every Istio object in a multi-document YAML text. A document that is not YAML, not a mesh object, or has a
 * field of the wrong type gives issues and is skipped; the other documents are kept. Empty documents are ignored.
 */
export function parseMeshYaml(text: string, options: ParseMeshYamlOptions = {}): MeshYamlParseResult {
  const defaultNamespace = options.defaultNamespace ?? "default";
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: false,
    // The yaml library's warnings (process.emitWarning) quote the input: hostile YAML must not write to our log.
    logLevel: "error",
  });
  // parseAllDocuments answers an EmptyStream (an array too) for text without documents.
  const result: MeshYamlParseResult = { objects: [], errors: [] };
  documents.forEach((doc, index) => {
    const at = { document: index + 1, ...(options.source === undefined ? {} : { source: options.source }) };
    if (doc.errors.length > 0) {
      result.errors.push(...doc.errors.map((e) => ({ ...at, ...syntaxIssue(e) })));
      return;
    }
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined) {
      const offset = duplicate.range?.[0];
      const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
      result.errors.push({ ...at, ...(line === undefined ? {} : { line }), message: "Map keys must be unique" });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // yaml throws (a ReferenceError) when aliases expand past maxAliasCount.
      result.errors.push({
        ...at,
        line: lineOf(doc, [], lineCounter),
        message: e instanceof Error ? e.message : String(e),
      });
      return;
    }
    if (value === null || value === undefined) return;
    const shape = readMeshObject(value, defaultNamespace);
    if (shape.ok) {
      result.objects.push(shape.object);
      return;
    }
    for (const p of shape.problems) {
      const path = formatPath(p.path);
      result.errors.push({
        ...at,
        line: lineOf(doc, p.path, lineCounter),
        message: path === "" ? p.message : `${path}: ${p.message}`,
        ...(path === "" ? {} : { path }),
      });
    }
  });
  return result;
}

/**
 * The first key that repeats an earlier key of its mapping. yaml's own check (its `uniqueKeys` option) compares
 * each key with every other key of the map: quadratic, so one 190 KB map of 20,000 keys held the event loop for
 * 19 s. Same rule (scalar keys equal by value; other keys never equal) with a Set per map. Aliases are not
 * followed: a key is checked where it is written.
 */
function firstDuplicateKey(doc: Document): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          found = pair.key;
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return found;
}

function syntaxIssue(e: YAMLError): { line?: number; message: string } {
  // yaml's messages end with " at line L, column C:" and a code excerpt; the line goes into its own field.
  const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
  const line = e.linePos?.[0].line;
  return line === undefined ? { message } : { line, message };
}

/**
 * Line of the field at `path`: the line of its key for a mapping entry, of the item for a list entry. When the
 * path goes further than the document (a missing required field), the line of the deepest part that exists.
 */
function lineOf(doc: Document, path: readonly (string | number)[], lineCounter: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    let next: unknown;
    let at: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      next = pair?.value;
      at = isNode(pair?.key) ? pair.key.range?.[0] : undefined;
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
      at = isNode(next) ? next.range?.[0] : undefined;
    }
    if (at === undefined) break;
    node = next;
    offset = at;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

const TOP_LEVEL_ORDER = ["apiVersion", "kind", "metadata", "spec"];
const METADATA_ORDER = ["name", "namespace", "labels", "annotations"];

function ordered(value: object, first: readonly string[]): Record<string, unknown> {
  const entries = Object.entries(value);
  const rank = (key: string) => {
    const i = first.indexOf(key);
    return i === -1 ? first.length : i;
  };
  // Array.prototype.sort is stable: fields outside `first` keep their own order after the known ones.
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * Multi-document YAML for `objects`, keys in kubectl's reading order (apiVersion, kind, metadata, spec; name and
 * namespace first in metadata), the rest as given. Output is stable for equal input and parses back to equal
 * objects with parseMeshYaml.
 */
export function stringifyMeshYaml(objects: readonly MeshObject[]): string {
  return objects
    .map((object) => {
      const doc = ordered(object, TOP_LEVEL_ORDER);
      doc.metadata = ordered(object.metadata, METADATA_ORDER);
      // No anchors for objects shared by reference (a wizard may reuse one destination), no folded long lines
      // (regexes and header values stay on one line, as people write them).
      return stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
    })
    .join("---\n");
}
