/**
 * The edge key: the Istio labels the service graph groups by (Kiali's group-by in `graph/telemetry/istio`,
 * plus reporter, canonical names and the security policy). Labels are read by name, never by position
 * (istio_stats.cc emits them in a fixed order, but remote-write and OTLP do not keep it).
 *
 * Labels the graph does not need (principals, clusters, pod/instance labels) are dropped here, so series that
 * differ only in them add up into one key, as `sum(...) by (<key labels>)` would.
 */

/** Field order of the key; also the column order of the `metric_edge_keys` table. */
export const EDGE_KEY_FIELDS = [
  "reporter",
  "sourceWorkload",
  "sourceNamespace",
  "sourceApp",
  "sourceVersion",
  "sourceCanonicalService",
  "sourceCanonicalRevision",
  "destinationService",
  "destinationServiceName",
  "destinationServiceNamespace",
  "destinationWorkload",
  "destinationNamespace",
  "destinationApp",
  "destinationVersion",
  "destinationCanonicalService",
  "destinationCanonicalRevision",
  "requestProtocol",
  "responseCode",
  "grpcResponseStatus",
  "responseFlags",
  "connectionSecurityPolicy",
] as const;

export type EdgeKeyField = (typeof EDGE_KEY_FIELDS)[number];
export type EdgeKey = Record<EdgeKeyField, string>;

/** Istio label name of each field. */
export const EDGE_KEY_LABELS: Readonly<Record<EdgeKeyField, string>> = {
  reporter: "reporter",
  sourceWorkload: "source_workload",
  sourceNamespace: "source_workload_namespace",
  sourceApp: "source_app",
  sourceVersion: "source_version",
  sourceCanonicalService: "source_canonical_service",
  sourceCanonicalRevision: "source_canonical_revision",
  destinationService: "destination_service",
  destinationServiceName: "destination_service_name",
  destinationServiceNamespace: "destination_service_namespace",
  destinationWorkload: "destination_workload",
  destinationNamespace: "destination_workload_namespace",
  destinationApp: "destination_app",
  destinationVersion: "destination_version",
  destinationCanonicalService: "destination_canonical_service",
  destinationCanonicalRevision: "destination_canonical_revision",
  requestProtocol: "request_protocol",
  responseCode: "response_code",
  grpcResponseStatus: "grpc_response_status",
  responseFlags: "response_flags",
  connectionSecurityPolicy: "connection_security_policy",
};

/**
 * What a missing label becomes. Istio writes "unknown" for identity labels it could not resolve, so a missing
 * one means the same. `response_code` and `grpc_response_status` are absent on TCP series and
 * `grpc_response_status` is "" on HTTP ones (the text parser drops empty labels): "" means "not applicable".
 */
function missingValue(field: EdgeKeyField): string {
  return field === "responseCode" || field === "grpcResponseStatus" ? "" : "unknown";
}

/** Builds a key from a per-field getter; written out so the type checker sees every field set. */
function buildKey(get: (field: EdgeKeyField, index: number) => string): EdgeKey {
  return {
    reporter: get("reporter", 0),
    sourceWorkload: get("sourceWorkload", 1),
    sourceNamespace: get("sourceNamespace", 2),
    sourceApp: get("sourceApp", 3),
    sourceVersion: get("sourceVersion", 4),
    sourceCanonicalService: get("sourceCanonicalService", 5),
    sourceCanonicalRevision: get("sourceCanonicalRevision", 6),
    destinationService: get("destinationService", 7),
    destinationServiceName: get("destinationServiceName", 8),
    destinationServiceNamespace: get("destinationServiceNamespace", 9),
    destinationWorkload: get("destinationWorkload", 10),
    destinationNamespace: get("destinationNamespace", 11),
    destinationApp: get("destinationApp", 12),
    destinationVersion: get("destinationVersion", 13),
    destinationCanonicalService: get("destinationCanonicalService", 14),
    destinationCanonicalRevision: get("destinationCanonicalRevision", 15),
    requestProtocol: get("requestProtocol", 16),
    responseCode: get("responseCode", 17),
    grpcResponseStatus: get("grpcResponseStatus", 18),
    responseFlags: get("responseFlags", 19),
    connectionSecurityPolicy: get("connectionSecurityPolicy", 20),
  };
}

export function edgeKeyFromLabels(labels: Readonly<Record<string, string>>): EdgeKey {
  return buildKey((field) => {
    const v = labels[EDGE_KEY_LABELS[field]];
    return v === undefined || v === "" ? missingValue(field) : v;
  });
}

/** One string per key (NUL-separated: label values cannot hold a NUL in any of the wire formats we read). */
export function edgeKeyString(key: EdgeKey): string {
  // Joined (one flat string), not appended: the key lives as long as its stream, and an appended one is a tree
  // of cons-string nodes that every full GC walks.
  return [...edgeKeyValues(key), ""].join("\u0000");
}

/** The values of an edgeKeyString, in EDGE_KEY_FIELDS order; throws on a string that is not one. */
export function edgeKeyStringValues(key: string): string[] {
  const values = key.split("\u0000");
  if (values.length !== EDGE_KEY_FIELDS.length + 1 || values.pop() !== "") {
    throw new Error(`an edge key has ${EDGE_KEY_FIELDS.length} NUL-terminated values, got ${JSON.stringify(key)}`);
  }
  return values;
}

/** The key from its values in EDGE_KEY_FIELDS order (a row of `metric_edge_keys`). */
export function edgeKeyFromValues(values: readonly string[]): EdgeKey {
  if (values.length !== EDGE_KEY_FIELDS.length) throw new Error(`edge key needs ${EDGE_KEY_FIELDS.length} values`);
  return buildKey((_field, i) => values[i] ?? "");
}

export function edgeKeyValues(key: EdgeKey): string[] {
  return EDGE_KEY_FIELDS.map((field) => key[field]);
}

/** Whether a key is in a query's scope: its reporter, and a namespace on either end (source, service, workload). */
export function edgeKeyInScope(
  key: EdgeKey,
  reporter: string | undefined,
  namespaces: ReadonlySet<string> | null,
): boolean {
  if (reporter !== undefined && key.reporter !== reporter) return false;
  return (
    namespaces === null ||
    namespaces.has(key.sourceNamespace) ||
    namespaces.has(key.destinationServiceNamespace) ||
    namespaces.has(key.destinationNamespace)
  );
}
