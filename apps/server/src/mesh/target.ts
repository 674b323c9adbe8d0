/**
 * Where mesh config lives (DESIGN §4 "Mesh config"): a directory of YAML files (default) or a Kubernetes cluster.
 * The object store reads and writes only through this seam, so revisions, validation and wizards do not care
 * which target is behind it.
 */
import type { MeshObject } from "@meshscope/mesh-config";
import type { MeshFileError, MeshTargetKind, ObjectRef } from "@meshscope/model";

export interface StoredObject {
  object: MeshObject;
  /** A path relative to the config directory (files) or `kubernetes`. */
  source: string;
}

export interface TargetListing {
  objects: StoredObject[];
  /** Files that could not be read (hand-edited YAML with errors): reported, never fatal. */
  errors: MeshFileError[];
}

/** One write, applied in list order (DestinationRules before the VirtualServices that use them). */
export type TargetChange = { action: "upsert"; object: MeshObject } | { action: "delete"; ref: ObjectRef };

/** A refusal only the target can give (Kubernetes server dry-run: admission, schema, conflicts). */
export interface TargetProblem {
  ref: ObjectRef;
  code: string;
  message: string;
}

export interface MeshTarget {
  readonly kind: MeshTargetKind;
  list(): Promise<TargetListing>;
  /** Checks the changes without writing them: [] when the target would accept them (files: always []). */
  dryRun(changes: readonly TargetChange[]): Promise<TargetProblem[]>;
  /** Writes the changes in order. Throws `TargetConflictError` when an object changed underneath. */
  apply(changes: readonly TargetChange[]): Promise<void>;
  /** Calls `onChange` after external edits (debounced); returns the unsubscribe function. */
  watch(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** The object was changed by someone else since it was read (Kubernetes 409, or a file rewritten meanwhile). */
export class TargetConflictError extends Error {
  constructor(
    readonly ref: ObjectRef,
    message: string,
  ) {
    super(message);
    this.name = "TargetConflictError";
  }
}
