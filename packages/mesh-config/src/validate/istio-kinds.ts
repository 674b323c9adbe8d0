// The Istio kinds whose CRD schema is embedded (istio-crd-schemas.gen.ts) and the ObjectMeta fields Kubernetes
// accepts, which the CRD's openAPIV3Schema leaves to the apiserver.
import type { CrdSchema } from "./crd-schema.js";

export const SCHEMA_KINDS = [
  "VirtualService",
  "DestinationRule",
  "Gateway",
  "ServiceEntry",
  "Sidecar",
  "EnvoyFilter",
  "PeerAuthentication",
  "AuthorizationPolicy",
] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

export interface IstioKindSchema {
  group: string;
  /** Served versions; Istio gives every version of a kind the same schema (checked by istio-crd.test.ts). */
  versions: string[];
  /** Top-level `required` of the CRD's openAPIV3Schema (ServiceEntry requires `spec`). */
  required: string[];
  spec: CrdSchema;
}

export function isSchemaKind(kind: unknown): kind is SchemaKind {
  return SCHEMA_KINDS.some((k) => k === kind);
}

// metav1.ObjectMeta as a client writes it; the server-managed fields are here so that an object read back from
// a cluster (`kubectl get -o yaml`) validates too.
export const OBJECT_META_SCHEMA: CrdSchema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 253 },
    generateName: { type: "string" },
    namespace: { type: "string", minLength: 1, maxLength: 63 },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer" },
    creationTimestamp: { type: "string" },
    deletionTimestamp: { type: "string" },
    deletionGracePeriodSeconds: { type: "integer" },
    finalizers: { type: "array", items: { type: "string" } },
    ownerReferences: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    selfLink: { type: "string" },
  },
};
