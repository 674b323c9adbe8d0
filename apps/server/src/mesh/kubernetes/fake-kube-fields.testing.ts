// Field ownership for the faithful fake API server: the part of server-side apply that decides who owns which
// field, when an apply conflicts, and what an apply removes (k8s.io/apimachinery structured-merge-diff, reduced).
//
// Reductions, all matching how Istio's CRDs behave: lists are atomic (Istio's CRDs declare no
// `x-kubernetes-list-type: map`, and lists without it are atomic for custom resources), so a list is one field;
// maps are granular, so `spec.trafficPolicy.connectionPool.tcp.maxConnections` is its own field. Only `spec`,
// `metadata.labels` and `metadata.annotations` are tracked (what Istio objects carry as config).
import { isDeepStrictEqual } from "node:util";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A field path, as JSON of its segments (`["spec","http"]`), so it can live in a Set. */
export type FieldPath = string;

export interface ManagerEntry {
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fields: Set<FieldPath>;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collectLeaves(value: Json, prefix: string[], out: Set<FieldPath>): void {
  if (isJsonObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) collectLeaves(child, [...prefix, key], out);
  } else {
    out.add(JSON.stringify(prefix));
  }
}

/** The fields an object sets: every leaf under spec, labels and annotations. */
export function fieldsOf(object: JsonObject): Set<FieldPath> {
  const out = new Set<FieldPath>();
  if (object.spec !== undefined) collectLeaves(object.spec, ["spec"], out);
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  for (const key of ["labels", "annotations"]) {
    const map = metadata[key];
    if (map !== undefined) collectLeaves(map, ["metadata", key], out);
  }
  return out;
}

export function segments(path: FieldPath): string[] {
  const parsed: unknown = JSON.parse(path);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export function valueAt(object: Json, path: FieldPath): Json | undefined {
  let node: Json | undefined = object;
  for (const segment of segments(path)) {
    if (!isJsonObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

export function setAt(object: JsonObject, path: FieldPath, value: Json): void {
  const parts = segments(path);
  let node: JsonObject = object;
  for (const segment of parts.slice(0, -1)) {
    const next = node[segment];
    if (!isJsonObject(next)) node[segment] = {};
    const child = node[segment];
    if (isJsonObject(child)) node = child;
  }
  const last = parts.at(-1);
  if (last !== undefined) node[last] = structuredClone(value);
}

/** Removes the field and any map it leaves empty, as the merge does when its last owner lets go of a field. */
export function removeAt(object: JsonObject, path: FieldPath): void {
  const parts = segments(path);
  const parents: JsonObject[] = [];
  let node: JsonObject = object;
  for (const segment of parts.slice(0, -1)) {
    const next = node[segment];
    if (!isJsonObject(next)) return;
    parents.push(node);
    node = next;
  }
  const last = parts.at(-1);
  if (last === undefined) return;
  delete node[last];
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i];
    const key = parts[i];
    if (parent === undefined || key === undefined) break;
    const child = parent[key];
    if (!isJsonObject(child) || Object.keys(child).length > 0 || i === 0) break;
    delete parent[key];
  }
}

/** Two paths overlap when one is the other or lies inside it (an atomic list owned whole vs a field inside). */
export function overlaps(a: FieldPath, b: FieldPath): boolean {
  if (a === b) return true;
  const [x, y] = [segments(a), segments(b)];
  const n = Math.min(x.length, y.length);
  return x.slice(0, n).every((s, i) => s === y[i]);
}

export interface FieldConflict {
  manager: string;
  apiVersion: string;
  path: FieldPath;
}

/**
 * Fields the applier would change that another manager owns. Setting a field to the value it already has is no
 * conflict: the field becomes shared, as in server-side apply.
 */
export function findConflicts(
  live: JsonObject,
  applied: JsonObject,
  applier: string,
  managers: ReadonlyMap<string, ManagerEntry>,
): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  const appliedFields = fieldsOf(applied);
  for (const [manager, entry] of managers) {
    if (manager === applier) continue;
    for (const owned of entry.fields) {
      for (const field of appliedFields) {
        if (!overlaps(owned, field)) continue;
        if (isDeepStrictEqual(valueAt(live, field), valueAt(applied, field))) continue;
        conflicts.push({ manager, apiVersion: entry.apiVersion, path: field });
        break;
      }
    }
  }
  return conflicts;
}

/** `.spec.http` or `.metadata.labels.app`, as the API server prints a field in conflict messages. */
export function dottedPath(path: FieldPath): string {
  return segments(path)
    .map((s) => `.${s}`)
    .join("");
}

/** managedFields[].fieldsV1 for a set of paths: `{"f:spec": {"f:http": {}}}`. */
export function fieldsV1(fields: ReadonlySet<FieldPath>): JsonObject {
  const root: JsonObject = {};
  for (const path of fields) {
    let node = root;
    for (const segment of segments(path)) {
      const key = `f:${segment}`;
      const next = node[key];
      const child: JsonObject = isJsonObject(next) ? next : {};
      node[key] = child;
      node = child;
    }
  }
  return root;
}

// Go's time.ParseDuration units; Istio's CRDs check `duration(self) >= duration('1ms')` with CEL.
const DURATION = /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
// The fields Istio's CRD marks with that rule (crd-all.gen.yaml, networking.istio.io).
const DURATION_FIELDS = new Set([
  "timeout",
  "perTryTimeout",
  "fixedDelay",
  "interval",
  "baseEjectionTime",
  "connectTimeout",
  "maxConnectionDuration",
]);

function durationAtLeast1ms(text: string): boolean {
  if (!DURATION.test(text)) return false;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? 0);
  return ms >= 1;
}

export interface FieldCause {
  reason: "FieldValueRequired" | "FieldValueInvalid";
  /** As the API server writes it: `spec.http[0].timeout`. */
  field: string;
  message: string;
}

/** The CEL duration rules of Istio's CRDs, over a whole spec. */
export function durationCauses(value: Json | undefined, path: string): FieldCause[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => durationCauses(item, `${path}[${i}]`));
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const field = `${path}.${key}`;
    if (DURATION_FIELDS.has(key) && typeof child === "string" && !durationAtLeast1ms(child)) {
      // CEL failures print the value's type, not the value: `Invalid value: "string"`.
      return [
        {
          reason: "FieldValueInvalid",
          field,
          message: 'Invalid value: "string": must be a valid duration greater than 1ms',
        },
      ];
    }
    return durationCauses(child, field);
  });
}
