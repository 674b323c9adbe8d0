// One parsed YAML document (plain JS data) → a typed MeshObject, or the shape problems that stop it being one.
import type { MeshObject } from "./objects.js";
import { MESH_OBJECT_SCHEMAS } from "./schemas.js";

export interface ShapeProblem {
  /** Path segments as in the document (`["spec", "http", 0, "route"]`); empty for the document itself. */
  path: (string | number)[];
  message: string;
}

export type ShapeResult = { ok: true; object: MeshObject } | { ok: false; problems: ShapeProblem[] };

// A document with hundreds of wrong fields is reported by its first few; the rest add nothing for the reader.
const MAX_PROBLEMS_PER_DOCUMENT = 20;

const KNOWN_KINDS = Object.keys(MESH_OBJECT_SCHEMAS);

function isMeshObjectKind(kind: string): kind is keyof typeof MESH_OBJECT_SCHEMAS {
  return Object.hasOwn(MESH_OBJECT_SCHEMAS, kind);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks one document; `metadata.namespace` defaults to `defaultNamespace` (as `kubectl apply -n` would). */
export function readMeshObject(value: unknown, defaultNamespace: string): ShapeResult {
  if (!isRecord(value)) return fail([], "a Kubernetes object must be a mapping (apiVersion, kind, metadata, spec)");
  const { kind } = value;
  if (typeof kind !== "string") return fail(["kind"], "must be a string");
  if (!isMeshObjectKind(kind)) {
    return fail(["kind"], `"${kind}" is not an Istio kind Meshscope reads (${KNOWN_KINDS.join(", ")})`);
  }
  const withNamespace =
    isRecord(value.metadata) && (value.metadata.namespace === undefined || value.metadata.namespace === null)
      ? { ...value, metadata: { ...value.metadata, namespace: defaultNamespace } }
      : value;
  const parsed = MESH_OBJECT_SCHEMAS[kind].safeParse(withNamespace, {
    // zod's default for an absent field reads "expected string, received undefined".
    error: (issue) =>
      issue.code === "invalid_type" && issue.input === undefined ? "required field is missing" : undefined,
  });
  if (parsed.success) return { ok: true, object: parsed.data };
  const problems = parsed.error.issues.slice(0, MAX_PROBLEMS_PER_DOCUMENT).map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
    message: issue.message,
  }));
  return { ok: false, problems };
}

function fail(path: (string | number)[], message: string): ShapeResult {
  return { ok: false, problems: [{ path, message }] };
}

/** `spec.http[0].headers["x.y"]`: dotted for plain keys, indexed for list items and odd keys. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
