/** The diff of two object sets (issue #7): per-object change and one unified YAML diff text. */
import type { ChangeAction, ObjectRef } from "@meshscope/model";
import { structuredPatch } from "diff";
import type { MeshObject } from "./objects.js";
import { stringifyMeshYaml } from "./parse-yaml.js";

export interface ObjectDiffEntry {
  ref: ObjectRef;
  action: ChangeAction;
  /** The object as YAML before and after (null when absent). */
  before: string | null;
  after: string | null;
}

export interface MeshObjectsDiff {
  changes: ObjectDiffEntry[];
  /** A unified diff (3 lines of context) of every change, one file section per object; "" when nothing changed. */
  text: string;
}

const CONTEXT_LINES = 3;

function refOf(object: MeshObject): ObjectRef {
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

function keyOf(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The file of the `files` target (DESIGN §4): `<namespace>/<kind lower-case>-<name>.yaml`. */
export function meshObjectFilePath(ref: ObjectRef): string {
  return `${ref.namespace}/${ref.kind.toLowerCase()}-${ref.name}.yaml`;
}

// resourceVersion is the store's bookkeeping, not configuration: an object read back from a cluster carries one
// and the edited copy may not, and that alone must not make an update.
function yamlOf(object: MeshObject): string {
  const { resourceVersion: _, ...metadata } = object.metadata;
  return stringifyMeshYaml([{ ...object, metadata }]);
}

/**
 * What applying `after` over `before` changes. `before` holds the current objects with the refs of `after`; a
 * ref only in `before` is a delete, a ref only in `after` a create; objects whose YAML is the same are left out.
 * Changes come in the order of `after`, then the deletes in the order of `before`.
 */
export function diffMeshObjects(before: readonly MeshObject[], after: readonly MeshObject[]): MeshObjectsDiff {
  const old = new Map(before.map((o) => [keyOf(refOf(o)), o]));
  const changes: ObjectDiffEntry[] = [];
  const seen = new Set<string>();
  for (const object of after) {
    const ref = refOf(object);
    const key = keyOf(ref);
    seen.add(key);
    const previous = old.get(key);
    const afterYaml = yamlOf(object);
    const beforeYaml = previous === undefined ? null : yamlOf(previous);
    if (beforeYaml === afterYaml) continue;
    changes.push({ ref, action: beforeYaml === null ? "create" : "update", before: beforeYaml, after: afterYaml });
  }
  for (const object of before) {
    const ref = refOf(object);
    if (seen.has(keyOf(ref))) continue;
    seen.add(keyOf(ref));
    changes.push({ ref, action: "delete", before: yamlOf(object), after: null });
  }
  return { changes, text: changes.map(unifiedDiff).join("") };
}

/** One file section of a unified diff, in the form `git diff` and `patch` read. */
export function unifiedDiff(change: ObjectDiffEntry): string {
  const path = meshObjectFilePath(change.ref);
  const oldName = change.before === null ? "/dev/null" : `a/${path}`;
  const newName = change.after === null ? "/dev/null" : `b/${path}`;
  const patch = structuredPatch(oldName, newName, change.before ?? "", change.after ?? "", undefined, undefined, {
    context: CONTEXT_LINES,
  });
  const lines = [`--- ${oldName}`, `+++ ${newName}`];
  for (const hunk of patch.hunks) {
    // An empty side starts "before line 1", i.e. at 0, as GNU diff writes it (`@@ -0,0 +1,12 @@`).
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return `${lines.join("\n")}\n`;
}
