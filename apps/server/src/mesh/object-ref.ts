/** Identity of a mesh object: kind, namespace, name (what Kubernetes keys an object by inside one API group). */
import { type MeshObject, type MeshObjectKind, stringifyMeshYaml } from "@meshscope/mesh-config";
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type MeshObjectEntry,
  type ObjectRef,
  WIZARD_LABEL,
} from "@meshscope/model";

export const MESH_OBJECT_KINDS: readonly MeshObjectKind[] = [
  "VirtualService",
  "DestinationRule",
  "PeerAuthentication",
  "AuthorizationPolicy",
  "EnvoyFilter",
  "Gateway",
  "ServiceEntry",
  "Sidecar",
];

export function refOf(object: MeshObject): ObjectRef {
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}

/** A map key for a ref (NUL cannot occur in any of the three names). */
export function refKey(ref: ObjectRef): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** `virtualservice`, `VirtualService` or `virtualservices` in a URL → the kind as Istio spells it. */
export function kindFromPath(text: string): MeshObjectKind | null {
  const lower = text.toLowerCase();
  return MESH_OBJECT_KINDS.find((k) => k.toLowerCase() === lower || `${k.toLowerCase()}s` === lower) ?? null;
}

export function isManaged(object: MeshObject): boolean {
  return object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

export function wizardOf(object: MeshObject): string | null {
  return object.metadata.labels?.[WIZARD_LABEL] ?? null;
}

/** The object in the API's JSON form (every field it was read with, not only the typed ones). */
export function objectJson(object: MeshObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object));
}

export function objectYaml(object: MeshObject): string {
  return stringifyMeshYaml([object]);
}

export function formatRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

/** An object as `GET /api/mesh/objects` lists it. */
export function objectEntry(
  object: MeshObject,
  source: string,
  validation: MeshObjectEntry["validation"],
): MeshObjectEntry {
  return {
    ref: refOf(object),
    object: objectJson(object),
    yaml: objectYaml(object),
    source,
    managed: isManaged(object),
    wizard: wizardOf(object),
    validation,
  };
}
