/**
 * From "these objects should look like this" to what the target must do: the per-object changes with their YAML
 * before and after (the diff a person reviews), which of them touch objects Meshscope did not write, and the
 * writes in a safe order.
 */
import { diffMeshObjects, type MeshObject } from "@meshscope/mesh-config";
import type { ObjectChange, ObjectRef } from "@meshscope/model";
import { isManaged, refKey, refOf } from "./object-ref.js";
import type { StoredObject, TargetChange } from "./target.js";

/** The state one object should have afterwards: null deletes it. */
export interface DesiredObject {
  ref: ObjectRef;
  object: MeshObject | null;
}

export interface Plan {
  /** Only objects that change, in the API's shape. */
  changes: ObjectChange[];
  /** Unified diff of all changes. */
  diff: string;
  /** The writes, ordered: see orderWrites. */
  writes: TargetChange[];
  /** Existing objects without the managed-by label that the plan would overwrite or delete. */
  unmanaged: ObjectRef[];
}

/**
 * Upserts before deletes; DestinationRules are written before the VirtualServices that route to their subsets and
 * deleted after them, so no moment exists where a route points at a subset that is not defined (Istio answers
 * 503 NR for that).
 */
function orderWrites(writes: TargetChange[]): TargetChange[] {
  const rank = (w: TargetChange): number => {
    const kind = w.action === "upsert" ? w.object.kind : w.ref.kind;
    if (w.action === "upsert") return kind === "DestinationRule" ? 0 : kind === "VirtualService" ? 2 : 1;
    return kind === "VirtualService" ? 3 : kind === "DestinationRule" ? 5 : 4;
  };
  // Array.prototype.sort is stable: within a rank, the caller's order stays.
  return [...writes].sort((a, b) => rank(a) - rank(b));
}

export function planChanges(current: readonly StoredObject[], desired: readonly DesiredObject[]): Plan {
  const byKey = new Map(current.map((s) => [refKey(refOf(s.object)), s.object]));
  const before: MeshObject[] = [];
  const after: MeshObject[] = [];
  const wanted = new Map<string, DesiredObject>();
  for (const d of desired) {
    const key = refKey(d.ref);
    wanted.set(key, d);
    const existing = byKey.get(key);
    if (existing) before.push(existing);
    if (d.object) after.push(d.object);
  }
  const diff = diffMeshObjects(before, after);
  const changes: ObjectChange[] = [];
  const writes: TargetChange[] = [];
  const unmanaged: ObjectRef[] = [];
  for (const entry of diff.changes) {
    const key = refKey(entry.ref);
    const existing = byKey.get(key);
    const isUnmanaged = existing !== undefined && !isManaged(existing);
    if (isUnmanaged) unmanaged.push(entry.ref);
    changes.push({ ...entry, unmanaged: isUnmanaged });
    const object = wanted.get(key)?.object ?? null;
    writes.push(object === null ? { action: "delete", ref: entry.ref } : { action: "upsert", object });
  }
  return { changes, diff: diff.text, writes: orderWrites(writes), unmanaged };
}
