/**
 * Node identities per graph type, after Kiali's `graph.Id`: what a node stands for and its stable id. Ids are
 * readable strings built from the identity (kind, namespace, names), so the same node keeps its id across
 * requests and windows, and the web can keep its layout.
 */
import type { GraphNodeKind, GraphType } from "@meshscope/model";
import type { EdgeKey } from "../metrics/edge-key.js";

export interface NodeIdentity {
  id: string;
  kind: GraphNodeKind;
  namespace: string;
  app: string | null;
  version: string | null;
  workload: string | null;
  service: string | null;
}

/** Istio's value for a label it could not resolve. */
export const UNKNOWN = "unknown";

/** Envoy's catch-all clusters: traffic to hosts outside the mesh registry (allowed, or dropped). */
export const EXTERNAL_CLUSTERS: ReadonlySet<string> = new Set(["PassthroughCluster", "BlackHoleCluster"]);

const known = (v: string): boolean => v !== "" && v !== UNKNOWN;

export function unknownNode(): NodeIdentity {
  return {
    id: "unknown",
    kind: "unknown",
    namespace: UNKNOWN,
    app: null,
    version: null,
    workload: null,
    service: null,
  };
}

export function externalNode(cluster: string): NodeIdentity {
  return {
    id: `external:${cluster}`,
    kind: "external",
    namespace: UNKNOWN,
    app: null,
    version: null,
    workload: null,
    service: cluster,
  };
}

export function serviceNode(namespace: string, service: string): NodeIdentity {
  return {
    id: `service:${namespace}/${service}`,
    kind: "service",
    namespace,
    app: null,
    version: null,
    workload: null,
    service,
  };
}

/**
 * A workload seen through the graph type: its app (versionedApp: app + version) node, or the workload itself.
 * As in Kiali, a workload without an app label stays a workload node in the app graphs, and the service graph is
 * built on workload nodes. `app`/`version` are Istio's canonical service and revision.
 */
export function workloadNode(
  type: GraphType,
  namespace: string,
  workload: string,
  app: string,
  version: string,
): NodeIdentity {
  const appName = known(app) ? app : null;
  const versionName = known(version) ? version : null;
  if ((type === "app" || type === "versionedApp") && appName !== null) {
    if (type === "app") {
      return {
        id: `app:${namespace}/${appName}`,
        kind: "app",
        namespace,
        app: appName,
        version: null,
        workload: null,
        service: null,
      };
    }
    const v = versionName ?? "";
    return {
      id: `app:${namespace}/${appName}/${v}`,
      kind: "app",
      namespace,
      app: appName,
      version: versionName,
      workload: null,
      service: null,
    };
  }
  return {
    id: `workload:${namespace}/${workload}`,
    kind: "workload",
    namespace,
    app: appName,
    version: versionName,
    workload,
    service: null,
  };
}

export function sourceNode(type: GraphType, k: EdgeKey): NodeIdentity {
  if (!known(k.sourceWorkload)) return unknownNode();
  return workloadNode(type, k.sourceNamespace, k.sourceWorkload, k.sourceCanonicalService, k.sourceCanonicalRevision);
}

/** The service a request was addressed to: its name and namespace, else its host (`destination_service`). */
export function destinationServiceNode(k: EdgeKey): NodeIdentity {
  const name = known(k.destinationServiceName) ? k.destinationServiceName : k.destinationService;
  if (EXTERNAL_CLUSTERS.has(name) || EXTERNAL_CLUSTERS.has(k.destinationService)) {
    return externalNode(EXTERNAL_CLUSTERS.has(name) ? name : k.destinationService);
  }
  return serviceNode(k.destinationServiceNamespace, name);
}

/** The workload that served the request, or null when the request never reached one. */
export function destinationWorkloadNode(type: GraphType, k: EdgeKey): NodeIdentity | null {
  if (!known(k.destinationWorkload)) return null;
  return workloadNode(
    type,
    k.destinationNamespace,
    k.destinationWorkload,
    k.destinationCanonicalService,
    k.destinationCanonicalRevision,
  );
}
