/** The label set of one Istio edge as the destination proxy reports it (productpage-v1 → reviews-v2), for metric-store tests. */
export const REVIEWS_EDGE_LABELS: Readonly<Record<string, string>> = Object.freeze({
  reporter: "destination",
  source_workload: "productpage-v1",
  source_workload_namespace: "bookinfo",
  destination_service_name: "reviews",
  destination_service_namespace: "bookinfo",
  destination_workload: "reviews-v2",
  destination_workload_namespace: "bookinfo",
  request_protocol: "http",
  response_flags: "-",
});
