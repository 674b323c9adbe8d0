/**
 * Editing one object inside a YAML file without disturbing the rest of it. A file written by Meshscope holds one
 * object and is simply rewritten; a file the user keeps (several documents, comments) is edited document by
 * document: the object's document is replaced (keeping the comment above it), appended, or removed, and every
 * other document is written back as the user wrote it.
 */
import { type MeshObject, stringifyMeshYaml } from "@meshscope/mesh-config";
import type { ObjectRef } from "@meshscope/model";
import { type Document, parseAllDocuments } from "yaml";
import { sameRef } from "./object-ref.js";

/** The file cannot be edited safely (it does not parse as YAML); the user has to fix it first. */
export class FileEditError extends Error {
  override name = "FileEditError";
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.entries(value).find(([k]) => k === key)?.[1]
    : undefined;
}

/** The ref of a raw document, with the folder's namespace for objects that name none (as the reader does). */
function documentRef(doc: Document, defaultNamespace: string): ObjectRef | null {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    // An alias bomb (or nesting deeper than the stack) is no object of ours; the listing reports the document and
    // it is kept as written.
    return null;
  }
  const kind = field(value, "kind");
  const metadata = field(value, "metadata");
  const name = field(metadata, "name");
  const namespace = field(metadata, "namespace") ?? defaultNamespace;
  if (typeof kind !== "string" || typeof name !== "string" || typeof namespace !== "string") return null;
  return { kind, namespace, name };
}

/** The comment lines, blank lines and `---` marker that open a document's text: kept when it is replaced. */
function leadingLines(segment: string): string {
  const lines = segment.split("\n");
  let n = 0;
  while (n < lines.length - 1 && /^(---\s*|\s*(#.*)?)$/.test(lines[n] ?? "")) n++;
  return lines
    .slice(0, n)
    .map((l) => `${l}\n`)
    .join("");
}

/**
 * The file's new text after putting `object` (or deleting `ref` when object is null); null when the file should
 * be removed (no document left). `text` null is a file that does not exist yet. Every other document is kept
 * byte for byte: the text is cut at the documents' source ranges, not re-serialised.
 */
export function editObjectInFile(
  text: string | null,
  defaultNamespace: string,
  ref: ObjectRef,
  object: MeshObject | null,
): string | null {
  const yaml = object === null ? null : stringifyMeshYaml([object]);
  if (text === null) return yaml;
  // uniqueKeys: yaml's own check is quadratic in a map's size (parse-yaml.ts has the linear one, for the listing).
  const docs = parseAllDocuments(text, { uniqueKeys: false, logLevel: "error" });
  if (!Array.isArray(docs) || docs.length === 0) return yaml;
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) throw new FileEditError(`the file has YAML errors (${broken.errors[0]?.message.split("\n")[0]})`);
  // Document i's text runs from its start to the next one's (the first also owns what precedes it).
  const segments = docs.map((d, i) => text.slice(i === 0 ? 0 : d.range[0], docs[i + 1]?.range[0] ?? text.length));
  const index = docs.findIndex((d) => {
    if (d.contents === null) return false;
    const found = documentRef(d, defaultNamespace);
    return found !== null && sameRef(found, ref);
  });
  if (yaml !== null && index !== -1) segments[index] = `${leadingLines(segments[index] ?? "")}${yaml}`;
  else if (yaml !== null) segments.push(`${text.endsWith("\n") || text === "" ? "" : "\n"}---\n${yaml}`);
  else if (index !== -1) segments.splice(index, 1);
  if (yaml === null && !docs.some((d, i) => d.contents !== null && i !== index)) return null;
  // A file that now starts with the `---` of what was its second document is still valid YAML.
  return segments.join("");
}
