/**
 * What a rollback restores (DESIGN §4: any revision can be rolled back): every object a later revision touched,
 * as it was right after revision `id`, which is its "before" in the first later revision that touched it (null:
 * it did not exist then, so the rollback deletes it).
 */
import { type MeshObject, parseMeshYaml } from "@meshscope/mesh-config";
import type { ObjectRef } from "@meshscope/model";
import { ApiError } from "../api/errors.js";
import { formatRef, refKey } from "./object-ref.js";
import type { DesiredObject } from "./plan.js";
import type { RevisionStore } from "./revisions.js";

export function stateAfterRevision(revisions: RevisionStore, id: number): DesiredObject[] {
  const desired = new Map<string, DesiredObject>();
  for (const later of revisions.after(id)) {
    for (const change of later.changes) {
      const key = refKey(change.ref);
      if (desired.has(key)) continue;
      const object = change.before === null ? null : fromRecordedYaml(change.before, change.ref);
      desired.set(key, { ref: change.ref, object });
    }
  }
  return [...desired.values()];
}

/** A revision's YAML was written by us: it parses, unless the database was edited by hand. */
function fromRecordedYaml(yaml: string, ref: ObjectRef): MeshObject {
  const [object] = parseMeshYaml(yaml, { defaultNamespace: ref.namespace }).objects;
  if (object === undefined) {
    throw new ApiError(500, "corrupt_revision", `the recorded YAML of ${formatRef(ref)} does not parse`);
  }
  return object;
}
