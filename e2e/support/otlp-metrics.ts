/**
 * Builds OTLP/JSON `ExportMetricsServiceRequest`s carrying Istio's `istio_requests_total` counter (opentelemetry-
 * proto `metrics.proto`: a monotonic cumulative Sum, int64 times as decimal strings of ns), so a spec can put mesh
 * traffic with names of its choosing into a server without the demo. Labels are Istio's standard request labels
 * as the destination proxy reports them (reference istio.md §1).
 */

export interface IstioRequestSeries {
  namespace: string;
  /** `destination_service_name`; the FQDN `destination_service` is derived from it. */
  service: string;
  sourceApp: string;
  destinationApp: string;
  version: string;
  responseCode: string;
}

function labelsOf(s: IstioRequestSeries): Record<string, string> {
  return {
    reporter: "destination",
    source_workload: `${s.sourceApp}-v1`,
    source_workload_namespace: s.namespace,
    source_canonical_service: s.sourceApp,
    source_canonical_revision: "v1",
    destination_service: `${s.service}.${s.namespace}.svc.cluster.local`,
    destination_service_name: s.service,
    destination_service_namespace: s.namespace,
    destination_workload: `${s.destinationApp}-${s.version}`,
    destination_workload_namespace: s.namespace,
    destination_canonical_service: s.destinationApp,
    destination_canonical_revision: s.version,
    request_protocol: "http",
    response_code: s.responseCode,
    response_flags: "-",
    connection_security_policy: "mutual_tls",
  };
}

const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** One request body: the counter of each series at `timeMs` (ms since the epoch), started at `startMs`. */
export function istioRequestsBody(
  series: readonly { series: IstioRequestSeries; total: number }[],
  startMs: number,
  timeMs: number,
): unknown {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "meshscope-e2e" } }] },
        scopeMetrics: [
          {
            scope: { name: "meshscope-e2e" },
            metrics: [
              {
                name: "istio_requests_total",
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: series.map(({ series: s, total }) => ({
                    attributes: Object.entries(labelsOf(s)).map(([key, value]) => ({
                      key,
                      value: { stringValue: value },
                    })),
                    startTimeUnixNano: ns(startMs),
                    timeUnixNano: ns(timeMs),
                    asDouble: total,
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}
