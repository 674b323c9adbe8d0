/**
 * The contract of validation (issue #7): findings in the API's shape (`@meshscope/model` ValidationMessage) per
 * object, checked against each other and against what the mesh is known to run.
 */
import type { ObjectRef, ValidationMessage } from "@meshscope/model";
import type { MeshObject } from "../objects.js";

export interface ObjectValidation {
  ref: ObjectRef;
  messages: ValidationMessage[];
}

/** A workload seen in traffic, with the pod labels subsets select on (`app`, `version`). */
export interface KnownWorkload {
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

export interface KnownService {
  namespace: string;
  name: string;
}

export interface ValidationContext {
  /** Objects already in the target that the checked set does not replace (same kind/namespace/name replaces). */
  existing?: readonly MeshObject[];
  /** Absent: the inventory is unknown, so "subset labels match no workload" is not checked. */
  workloads?: readonly KnownWorkload[];
  /** Absent: the inventory is unknown, so "unknown host" is not checked. */
  services?: readonly KnownService[];
}

// Implemented in this folder:
//   validateMeshObjects(objects: readonly MeshObject[], context?: ValidationContext): ObjectValidation[]
//     one entry per checked object (in input order), schema + semantic findings.
//   checkIstioSchema(value: unknown): ValidationMessage[]
//     one raw parsed YAML document against Istio's CRD schema, unknown fields included.
