/** The diff of two object sets (issue #7): per-object change and one unified YAML diff text. */
import type { ChangeAction, ObjectRef } from "@meshscope/model";

export interface ObjectDiffEntry {
  ref: ObjectRef;
  action: ChangeAction;
  /** The object as YAML before and after (null when absent). */
  before: string | null;
  after: string | null;
}

// To implement here:
//   diffMeshObjects(before: readonly MeshObject[], after: readonly MeshObject[]): { changes: ObjectDiffEntry[]; text: string }
//     `before` are the current objects with the same refs as `after` (a ref only in `before` is a delete);
//     unchanged objects are left out; `text` is a unified diff with `--- a/<ns>/<kind>-<name>.yaml` headers.
