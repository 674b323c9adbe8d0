// LIST every Istio resource the target knows, in all namespaces or in the configured ones, and turn the answers
// into the target's listing plus the resourceVersions `watch` compares between polls.
import type { CustomObjectsApi } from "@kubernetes/client-node";
import type { MeshFileError } from "@meshscope/model";
import type { StoredObject, TargetListing } from "../target.js";
import { readClusterObject } from "./cluster-object.js";
import { kubeFailureOf } from "./kube-status.js";
import type { VersionMap } from "./poll-watch.js";
import { ISTIO_RESOURCES, type IstioResource, qualifiedResource } from "./resources.js";

export type ClusterSnapshot = TargetListing & { versions: VersionMap };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key of an object in a VersionMap: `VirtualService/bookinfo/reviews`. */
export function versionKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** Raw LIST items of one resource: one request per namespace, or one cluster-wide (`namespaces` empty). */
async function listItems(api: CustomObjectsApi, resource: IstioResource, namespaces: readonly string[]) {
  const { group, version, plural } = resource;
  const answers: unknown[] =
    namespaces.length === 0
      ? [await api.listClusterCustomObject({ group, version, plural })]
      : await Promise.all(
          namespaces.map((namespace) => api.listNamespacedCustomObject({ group, version, namespace, plural })),
        );
  return answers.flatMap((answer) => (isRecord(answer) && Array.isArray(answer.items) ? answer.items : []));
}

/**
 * A resource that cannot be listed because its CRD is not installed (404) or RBAC forbids it (403) becomes an
 * error entry and the other kinds are still read; any other failure (unreachable server, bad credentials)
 * means the whole listing cannot be trusted and is thrown.
 */
async function listResource(
  api: CustomObjectsApi,
  resource: IstioResource,
  namespaces: readonly string[],
  errors: MeshFileError[],
): Promise<unknown[]> {
  try {
    return await listItems(api, resource, namespaces);
  } catch (error) {
    const failure = kubeFailureOf(error);
    if (failure === undefined || (failure.httpStatus !== 403 && failure.httpStatus !== 404)) throw error;
    errors.push({ source: `kubernetes/${qualifiedResource(resource)}`, message: failure.message, line: null });
    return [];
  }
}

/** Every resource's objects, the unreadable ones as error entries, and every object's resourceVersion. */
export async function readCluster(api: CustomObjectsApi, namespaces: readonly string[]): Promise<ClusterSnapshot> {
  const objects: StoredObject[] = [];
  const errors: MeshFileError[] = [];
  const versions = new Map<string, string>();
  const results = await Promise.all(
    ISTIO_RESOURCES.map(async (resource) => ({
      resource,
      items: await listResource(api, resource, namespaces, errors),
    })),
  );
  for (const { resource, items } of results) {
    for (const item of items) {
      // Unreadable objects count for change detection too: fixing one by hand is a change worth reloading for.
      const metadata = isRecord(item) && isRecord(item.metadata) ? item.metadata : {};
      const { namespace, name, resourceVersion } = metadata;
      if (typeof namespace === "string" && typeof name === "string" && typeof resourceVersion === "string") {
        versions.set(versionKey(resource.kind, namespace, name), resourceVersion);
      }
      const read = readClusterObject(item, resource);
      if (read.ok) objects.push({ object: read.object, source: "kubernetes" });
      else errors.push(read.error);
    }
  }
  return { objects, errors, versions };
}
