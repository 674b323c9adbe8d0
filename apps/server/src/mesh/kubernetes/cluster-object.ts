// Objects as the API server keeps them ⇄ Meshscope's typed model.
//
// Reading: what the cluster holds is untrusted data (anyone with RBAC can write it, and a CRD without a full
// schema stores whatever it is given), so every item goes through the same shape check as a hand-edited file.
// Server-owned metadata (uid, managedFields, generation, ...) and `status` are dropped: they are not config, and
// keeping them would put noise into every diff and YAML preview. `resourceVersion` stays: it is what lets a write
// fail with a conflict instead of silently overwriting a change made since the read.
//
// Writing: the body of a server-side apply is the *intent* of the field manager, so it carries only the fields
// Meshscope means to own: apiVersion, kind, name/namespace, labels, annotations and spec.
import { type MeshObject, parseMeshYaml } from "@meshscope/mesh-config";
import type { MeshFileError } from "@meshscope/model";
import type { IstioResource } from "./resources.js";

// kubectl's client-side apply keeps the whole object as JSON in this annotation; it is bookkeeping, not config.
const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

export type ClusterReadResult = { ok: true; object: MeshObject } | { ok: false; error: MeshFileError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `kubernetes/bookinfo/VirtualService/reviews`: where an unreadable object is, for the listing's error entries. */
export function clusterSource(resource: IstioResource, namespace: unknown, name: unknown): string {
  const ns = typeof namespace === "string" ? namespace : "?";
  const n = typeof name === "string" ? name : "?";
  return `kubernetes/${ns}/${resource.kind}/${n}`;
}

function cleanMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of ["name", "namespace", "labels", "annotations", "resourceVersion"]) {
    if (metadata[key] !== undefined) kept[key] = metadata[key];
  }
  if (isRecord(kept.annotations)) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...rest } = kept.annotations;
    if (Object.keys(rest).length === 0) delete kept.annotations;
    else kept.annotations = rest;
  }
  return kept;
}

/** One item of a LIST answer → a typed object, or an error entry naming the object and what is wrong with it. */
export function readClusterObject(item: unknown, resource: IstioResource): ClusterReadResult {
  const metadata = isRecord(item) && isRecord(item.metadata) ? item.metadata : undefined;
  const source = clusterSource(resource, metadata?.namespace, metadata?.name);
  const fail = (message: string): ClusterReadResult => ({ ok: false, error: { source, message, line: null } });
  if (!isRecord(item) || metadata === undefined) return fail("not a Kubernetes object (no metadata)");
  // List items of custom resources carry apiVersion and kind; fill them in from the resource if a server did not.
  const kind = item.kind ?? resource.kind;
  if (kind !== resource.kind) return fail(`kind "${String(kind)}" listed under ${resource.plural}`);
  const cleaned = {
    apiVersion: item.apiVersion ?? `${resource.group}/${resource.version}`,
    kind,
    metadata: cleanMetadata(metadata),
    spec: item.spec,
  };
  // JSON is YAML (1.2), so the package's one public entry for untrusted documents checks this object as well.
  const parsed = parseMeshYaml(JSON.stringify(cleaned), {
    defaultNamespace: typeof metadata.namespace === "string" ? metadata.namespace : "default",
    source,
  });
  const [object] = parsed.objects;
  if (object !== undefined && parsed.errors.length === 0) return { ok: true, object };
  return fail(parsed.errors.map((e) => e.message).join("; ") || "not a readable Istio object");
}

/** The server-side-apply body for `object`, in the version Meshscope talks for its kind. */
export function applyBody(object: MeshObject, resource: IstioResource): Record<string, unknown> {
  const { name, namespace, labels, annotations, resourceVersion } = object.metadata;
  const metadata: Record<string, unknown> = { name, namespace };
  if (labels !== undefined) metadata.labels = labels;
  if (annotations !== undefined) metadata.annotations = annotations;
  // With a resourceVersion in an apply body the API server checks it as a precondition (409 when stale): an
  // object read from the cluster and edited is written only if nobody changed it meanwhile.
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  return {
    // Istio serves every version from one schema, so an object read or written as v1beta1 is the same as v1.
    apiVersion: `${resource.group}/${resource.version}`,
    kind: object.kind,
    metadata,
    spec: object.spec,
  };
}
