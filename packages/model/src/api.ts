/**
 * zod schemas of the HTTP API (DESIGN §5). The server validates input with them; the web validates responses.
 * All times are µs since the epoch, durations µs.
 */
import { z } from "zod";
import { type Attributes, type AttributeValue, SPAN_KINDS, STATUS_CODES } from "./span.js";

export const ErrorEnvelope = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Attribute values nest (arrays, kvlists); deeper than this is refused rather than walked. */
const MAX_ATTRIBUTE_DEPTH = 32;

function isAttributeValue(value: unknown, depth: number): value is AttributeValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return true;
  if (depth >= MAX_ATTRIBUTE_DEPTH || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every((v) => isAttributeValue(v, depth + 1));
  return isAttributeMap(value, depth + 1);
}

function isAttributeMap(value: unknown, depth: number): value is Attributes {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => isAttributeValue(v, depth));
}

/**
 * Attributes are checked in place rather than rebuilt: `z.record` copies into a fresh object by assignment, which
 * silently drops an attribute whose (untrusted) key is `__proto__`. JSON.parse keeps such a key as an own property,
 * and so does this schema.
 */
export const AttributeValueSchema = z.custom<AttributeValue>((v) => isAttributeValue(v, 0), {
  message: "expected an attribute value (string, number, boolean, null, array or object of them)",
});
export const AttributesSchema = z.custom<Attributes>((v) => isAttributeMap(v, 0), {
  message: "expected an object of attribute values",
});

export const TraceSummary = z.object({
  traceId: z.string(),
  rootService: z.string(),
  rootName: z.string(),
  start: z.number(),
  duration: z.number(),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  services: z.array(z.object({ name: z.string(), spanCount: z.number().int() })),
});
export type TraceSummary = z.infer<typeof TraceSummary>;

export const TraceSearchResponse = z.object({ traces: z.array(TraceSummary) });
export type TraceSearchResponse = z.infer<typeof TraceSearchResponse>;

export const ApiSpan = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  service: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  kind: z.enum(SPAN_KINDS),
  start: z.number(),
  duration: z.number(),
  status: z.object({ code: z.enum(STATUS_CODES), message: z.string().optional() }),
  attributes: AttributesSchema,
  resource: AttributesSchema,
  scope: z.object({ name: z.string(), version: z.string().optional() }).nullable(),
  events: z.array(z.object({ time: z.number(), name: z.string(), attributes: AttributesSchema })),
  links: z.array(z.object({ traceId: z.string(), spanId: z.string(), attributes: AttributesSchema })),
});
export type ApiSpan = z.infer<typeof ApiSpan>;

export const TraceResponse = z.object({ traceId: z.string(), spans: z.array(ApiSpan) });
export type TraceResponse = z.infer<typeof TraceResponse>;

export const ServicesResponse = z.object({
  services: z.array(z.object({ name: z.string(), namespace: z.string().nullable() })),
});
export type ServicesResponse = z.infer<typeof ServicesResponse>;

export const OperationsResponse = z.object({
  operations: z.array(z.object({ name: z.string(), spanKind: z.enum(SPAN_KINDS) })),
});
export type OperationsResponse = z.infer<typeof OperationsResponse>;

/**
 * Duration in a query string: Jaeger-style (`250ms`, `1.5s`, `2m`, `1h`, `10us`/`10µs`) or a plain integer
 * taken as µs. Returns µs, or null when the text is not a duration.
 */
export function parseDurationUs(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(trimmed);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = m[2] as "ns" | "us" | "µs" | "ms" | "s" | "m" | "h";
  const factor = { ns: 0.001, us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 }[unit];
  return Math.round(value * factor);
}

const durationParam = z.string().transform((text, ctx) => {
  const us = parseDurationUs(text);
  if (us === null) {
    ctx.addIssue({ code: "custom", message: `not a duration: ${JSON.stringify(text)} (use 250ms, 1.5s, 2m or µs)` });
    return z.NEVER;
  }
  return us;
});

const usParam = z
  .string()
  .regex(/^\d+$/, "expected µs since the epoch as an integer")
  .transform((s) => Number(s));

/** A comma-separated list of namespaces in a query string. */
const namespacesParam = z
  .string()
  .max(16_384)
  .transform((s) =>
    s
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n.length > 0),
  );

/** Whole seconds, 1 s to 30 days (the longest window Kiali offers). */
const secondsParam = z
  .string()
  .regex(/^\d+$/, "expected whole seconds")
  .transform((s) => Number(s))
  .pipe(
    z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400),
  );

/** Query of `GET /api/traces` (Jaeger search semantics: one span must satisfy all span filters). */
export const TraceSearchQuery = z.object({
  service: z.string().min(1).max(1024).optional(),
  operation: z.string().min(1).max(1024).optional(),
  /** logfmt (`http.status_code=500 error=true`) or a JSON object of key → value. */
  tags: z.string().max(4096).optional(),
  minDuration: durationParam.optional(),
  maxDuration: durationParam.optional(),
  start: usParam.optional(),
  end: usParam.optional(),
  /** Jaeger-style lookback (`1h`, `2d` not supported: use start/end) when start is absent. */
  lookback: durationParam.optional(),
  limit: z
    .string()
    .regex(/^\d+$/, "expected a positive integer")
    .transform((s) => Number(s))
    .pipe(z.number().int().min(1).max(10_000))
    .optional(),
});
export type TraceSearchQuery = z.infer<typeof TraceSearchQuery>;

/** One scrape target's state (`GET /api/scrape-targets`), as of its last scrape. */
export const ScrapeTargetStatus = z.object({
  url: z.string(),
  /** `unknown` until the first scrape has finished. */
  health: z.enum(["up", "down", "unknown"]),
  /** Start of the last scrape, µs since the epoch; null before the first. */
  lastScrape: z.number().nullable(),
  lastDurationMs: z.number().nullable(),
  /** Samples kept from the last scrape. */
  samples: z.number().int(),
  /** Why the last scrape failed, or why its samples were not stored; null when all went well. */
  lastError: z.string().nullable(),
  /** Malformed lines of the last scrape (1-based line numbers); the rest of that scrape was kept. */
  lineErrors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type ScrapeTargetStatus = z.infer<typeof ScrapeTargetStatus>;

export const ScrapeTargetsResponse = z.object({ targets: z.array(ScrapeTargetStatus) });
export type ScrapeTargetsResponse = z.infer<typeof ScrapeTargetsResponse>;

// ---- Service graph (`GET /api/graph`, DESIGN §4 "Service graph", §5) ----

/** Kiali's graph types: one node per app, per app+version, per workload, or per service. */
export const GraphType = z.enum(["app", "versionedApp", "workload", "service"]);
export type GraphType = z.infer<typeof GraphType>;

/** Request health as Kiali colours it; `idle` = no traffic, `unknown` = no request health (TCP only, unknown). */
export const HealthStatus = z.enum(["healthy", "degraded", "failure", "idle", "unknown"]);
export type HealthStatus = z.infer<typeof HealthStatus>;

export const GraphNodeKind = z.enum(["app", "workload", "service", "unknown", "external"]);
export type GraphNodeKind = z.infer<typeof GraphNodeKind>;

export const GraphProtocol = z.enum(["http", "grpc", "tcp"]);
export type GraphProtocol = z.infer<typeof GraphProtocol>;

export const GraphNode = z.object({
  /** Stable across requests: built from the node's identity (kind, namespace, names), never a counter. */
  id: z.string(),
  kind: GraphNodeKind,
  namespace: z.string(),
  app: z.string().nullable(),
  version: z.string().nullable(),
  workload: z.string().nullable(),
  service: z.string().nullable(),
  health: HealthStatus,
  badges: z.array(z.string()),
  /** HTTP + gRPC requests/s into and out of the node. */
  inboundRps: z.number(),
  outboundRps: z.number(),
  /** TCP bytes/s (sent + received) on the node's inbound and outbound TCP edges. */
  tcpInboundBytesPerSec: z.number(),
  tcpOutboundBytesPerSec: z.number(),
  /** True for a service known only from its spans (no proxy metrics): its numbers come from its server spans. */
  traceDerived: z.boolean().optional(),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  /** `<source id> -> <target id> (<protocol>)`: one edge per node pair and protocol, as in Kiali. */
  id: z.string(),
  source: z.string(),
  target: z.string(),
  protocol: GraphProtocol,
  /** Requests/s (0 on TCP edges). */
  rps: z.number(),
  /** Fraction 0–1: 5xx and no-response for HTTP, non-OK status and no-response for gRPC; 0 for TCP. */
  errorRate: z.number(),
  /** Requests/s per response code (HTTP code, or gRPC status on gRPC edges); `0` = no response. */
  responses: z.record(z.string(), z.number()),
  /** Requests/s per Envoy response flag (`-` = none). */
  flags: z.record(z.string(), z.number()),
  /** Latency quantiles in ms as `histogram_quantile` gives them; null without a duration histogram. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** Fraction 0–1 of the traffic whose connection_security_policy is mutual_tls; null when no reporter knew. */
  mtls: z.number().nullable(),
  tcpSentBytesPerSec: z.number(),
  tcpReceivedBytesPerSec: z.number(),
  health: HealthStatus,
  /** True for an edge drawn from client→server span pairs (no proxy metrics): rps, errors and quantiles from spans. */
  traceDerived: z.boolean().optional(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const GraphResponse = z.object({
  /** µs since the epoch. */
  window: z.object({ start: z.number(), end: z.number() }),
  type: GraphType,
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
});
export type GraphResponse = z.infer<typeof GraphResponse>;

/** Query of `GET /api/graph`: `window` in seconds (default 300), `end` in µs (default now). */
export const GraphQuery = z.object({
  type: GraphType.default("versionedApp"),
  namespaces: namespacesParam.optional(),
  window: secondsParam.default(300),
  end: usParam.optional(),
  injectServiceNodes: z
    .enum(["true", "false"])
    .transform((s) => s === "true")
    .default(true),
});
export type GraphQuery = z.infer<typeof GraphQuery>;

// ---- Services (`GET /api/services`, `GET /api/services/{namespace}/{service}`, DESIGN §5) ----

/** Where a service is known from: Istio metrics (`destination_service_name`), spans, or both. */
export const ServiceSource = z.enum(["mesh", "traces", "both"]);
export type ServiceSource = z.infer<typeof ServiceSource>;

/**
 * One row of `GET /api/services`: a superset of `ServicesResponse`'s rows (name, namespace), so the trace search
 * form keeps reading the same list. Rates are per second over the query's window, from the destination proxy's
 * reports; all zero / null / `unknown` health for a service known only from spans.
 */
export const ServiceSummary = z.object({
  name: z.string(),
  /** Null for a trace-only service whose spans carry no `service.namespace`. */
  namespace: z.string().nullable(),
  source: ServiceSource,
  health: HealthStatus,
  /** HTTP + gRPC requests/s into the service. */
  inboundRps: z.number(),
  /** Fraction 0–1 (5xx and no-response for HTTP, non-OK and no-response for gRPC), as on graph edges. */
  errorRate: z.number(),
  p95Ms: z.number().nullable(),
  /** Versions and workloads behind the service, seen in the window's metrics (sorted). */
  versions: z.array(z.string()),
  workloads: z.array(z.string()),
  /**
   * The `service.name` its spans carry, when they were matched to it under another name: Istio's sidecars name
   * their spans `<service>.<namespace>` (Kiali searches Jaeger by that name too). Trace links use this name.
   */
  traceService: z.string().optional(),
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

export const ServiceListResponse = z.object({
  /** µs since the epoch. */
  window: z.object({ start: z.number(), end: z.number() }),
  services: z.array(ServiceSummary),
});
export type ServiceListResponse = z.infer<typeof ServiceListResponse>;

/** Query of `GET /api/services`: `window` in seconds (default 300), `end` in µs (default now). */
export const ServiceListQuery = z.object({
  namespaces: namespacesParam.optional(),
  window: secondsParam.default(300),
  end: usParam.optional(),
});
export type ServiceListQuery = z.infer<typeof ServiceListQuery>;

/**
 * Query of `GET /api/services/{namespace}/{service}`: `window` and `step` in seconds (window default 600; step
 * default window/30, never below the scrape interval), `end` in µs (default now).
 */
export const ServiceDetailQuery = z.object({
  window: secondsParam.default(600),
  end: usParam.optional(),
  step: secondsParam.optional(),
});
export type ServiceDetailQuery = z.infer<typeof ServiceDetailQuery>;

/** RED at one evaluation time `t` (µs): rates over the rate window ending at t. */
export const RedPoint = z.object({
  t: z.number(),
  rps: z.number(),
  /** Fraction 0–1; 0 when there were no requests. */
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type RedPoint = z.infer<typeof RedPoint>;

/** One direction's RED series: all traffic, and split by version and by workload (same `t`s in every series). */
export const RedBreakdown = z.object({
  total: z.array(RedPoint),
  byVersion: z.record(z.string(), z.array(RedPoint)),
  byWorkload: z.record(z.string(), z.array(RedPoint)),
});
export type RedBreakdown = z.infer<typeof RedBreakdown>;

export const ServiceDetailResponse = z.object({
  service: z.string(),
  namespace: z.string(),
  source: ServiceSource,
  /** The `service.name` its spans carry when it differs from `service` (Istio sidecars: `<service>.<namespace>`). */
  traceService: z.string().optional(),
  health: HealthStatus,
  versions: z.array(z.string()),
  workloads: z.array(z.string()),
  /** µs since the epoch. */
  window: z.object({ start: z.number(), end: z.number() }),
  /** Seconds between points, and the PromQL `rate()` range each point covers. */
  stepSeconds: z.number(),
  rateWindowSeconds: z.number(),
  /** Requests to the service, as its workloads' proxies report them (`reporter="destination"`). */
  inbound: RedBreakdown,
  /** Requests from the service's workloads, as their own proxies report them (`reporter="source"`). */
  outbound: RedBreakdown,
});
export type ServiceDetailResponse = z.infer<typeof ServiceDetailResponse>;

// ---- Live updates (`GET /api/events`, Server-Sent Events) ----

export const LiveEventKind = z.enum(["spans", "metrics"]);
export type LiveEventKind = z.infer<typeof LiveEventKind>;

/** The `data` of one SSE event: new data of this kind was committed; `at` is µs since the epoch. */
export const LiveEvent = z.object({ kind: LiveEventKind, at: z.number() });
export type LiveEvent = z.infer<typeof LiveEvent>;
