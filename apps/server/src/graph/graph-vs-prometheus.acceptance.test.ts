import type { ServerResponse } from "node:http";
import { type GraphEdge, GraphResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
// The oracle helper lives with the wire package's tests (not part of its public API).
import {
  type RunningPrometheus,
  startPrometheus,
  waitUntil,
} from "../../../../packages/wire/src/testing/prometheus-process.js";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { CLIENT_LOCAL_FAILURE_FLAGS } from "./reporter-pinning.js";

/**
 * Acceptance (issue #3): Debian's Prometheus and Meshscope scrape the SAME Bookinfo-like Istio endpoint every
 * second; at one evaluation time T, every edge of `/api/graph?type=workload` must agree with PromQL over
 * Prometheus' own samples: request rate, 5xx error ratio and p95 within 2%.
 *
 * The two scrapers hit the endpoint at different instants, so every counter is a pure function of wall-clock
 * time (value = rate × seconds since a base 10 minutes in the past, buckets likewise). Both therefore see points
 * on the same straight lines, and PromQL's extrapolated rate() of a straight line is its slope whatever the
 * scrape phase. The base lies well before the first scrape so that rate()'s "extrapolate down to zero" limit
 * never applies.
 */

const WINDOW_S = 30;
/** Envoy's default histogram buckets for istio_request_duration_milliseconds (ms), +Inf implied. */
const ENVOY_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

interface Workload {
  namespace: string;
  workload: string;
  app: string;
  version: string;
}
const wl = (namespace: string, app: string, version: string, workload = `${app}-${version}`): Workload => ({
  namespace,
  workload,
  app,
  version,
});
const NS = "bookinfo";
const gateway = wl("istio-system", "istio-ingressgateway", "latest", "istio-ingressgateway");
const productpage = wl(NS, "productpage", "v1");
const details = wl(NS, "details", "v1");
const [reviewsV1, reviewsV2, reviewsV3] = [wl(NS, "reviews", "v1"), wl(NS, "reviews", "v2"), wl(NS, "reviews", "v3")];
const ratings = wl(NS, "ratings", "v1");

interface FixtureStream {
  reporter: "source" | "destination";
  from: Workload;
  service: string;
  /** The serving workload, or null when the request never reached one (a client-side local reply). */
  to: Workload | null;
  code: string;
  flags: string;
  rps: number;
  /** Latency scale (ms) of an exponential distribution: the share of requests at or below `le` is 1 − e^(−le/scale). */
  scaleMs: number;
}

/** One request stream as both proxies report it (the caller's proxy sees a little more latency). */
function both(from: Workload, service: string, to: Workload, code: string, rps: number, scaleMs: number) {
  const base = { from, service, to, code, flags: "-", rps };
  return [
    { ...base, reporter: "destination", scaleMs },
    { ...base, reporter: "source", scaleMs: scaleMs * 1.2 },
  ] satisfies FixtureStream[];
}

/** Bookinfo with steady but different rates per edge, some 4xx/5xx, and a circuit breaker tripping on reviews. */
const STREAMS: FixtureStream[] = [
  ...both(gateway, "productpage", productpage, "200", 9.7, 40),
  ...both(gateway, "productpage", productpage, "500", 0.3, 5),
  ...both(productpage, "details", details, "200", 9.3, 4),
  ...both(productpage, "details", details, "503", 0.7, 2),
  ...both(productpage, "reviews", reviewsV1, "200", 3.1, 9),
  ...both(productpage, "reviews", reviewsV2, "200", 2.9, 25),
  ...both(productpage, "reviews", reviewsV2, "404", 0.2, 3),
  ...both(productpage, "reviews", reviewsV3, "200", 2.6, 30),
  ...both(productpage, "reviews", reviewsV3, "500", 0.4, 60),
  ...both(reviewsV2, "ratings", ratings, "200", 3.1, 6),
  ...both(reviewsV3, "ratings", ratings, "200", 2.5, 7),
  ...both(reviewsV3, "ratings", ratings, "503", 0.5, 1),
  // Envoy's circuit breaker answers 503 UO locally: only the caller's proxy reports it, with no serving workload.
  {
    reporter: "source",
    from: productpage,
    service: "reviews",
    to: null,
    code: "503",
    flags: "UO",
    rps: 0.6,
    scaleMs: 0.3,
  },
];

function labelsOf(s: FixtureStream): Record<string, string> {
  return {
    reporter: s.reporter,
    source_workload: s.from.workload,
    source_workload_namespace: s.from.namespace,
    source_app: s.from.app,
    source_version: s.from.version,
    source_canonical_service: s.from.app,
    source_canonical_revision: s.from.version,
    destination_service: `${s.service}.${NS}.svc.cluster.local`,
    destination_service_name: s.service,
    destination_service_namespace: NS,
    destination_workload: s.to?.workload ?? "unknown",
    destination_workload_namespace: s.to?.namespace ?? "unknown",
    destination_app: s.to?.app ?? "unknown",
    destination_version: s.to?.version ?? "unknown",
    destination_canonical_service: s.to?.app ?? "unknown",
    destination_canonical_revision: s.to?.version ?? "unknown",
    request_protocol: "http",
    response_code: s.code,
    grpc_response_status: "",
    response_flags: s.flags,
    // Only the server's proxy knows how the connection was secured (Istio writes "unknown" at the source).
    connection_security_policy: s.reporter === "destination" ? "mutual_tls" : "unknown",
  };
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",");
}

/** The exposition at wall-clock `nowMs`: every value is rate × elapsed seconds, so it lies on a fixed line. */
function exposition(nowMs: number, baseMs: number): string {
  const elapsedS = (nowMs - baseMs) / 1000;
  const requests = ["# TYPE istio_requests_total counter"];
  const durations = ["# TYPE istio_request_duration_milliseconds histogram"];
  for (const s of STREAMS) {
    const labels = labelText(labelsOf(s));
    const count = s.rps * elapsedS;
    requests.push(`istio_requests_total{${labels}} ${count}`);
    for (const le of ENVOY_BUCKETS_MS) {
      const share = 1 - Math.exp(-le / s.scaleMs);
      durations.push(`istio_request_duration_milliseconds_bucket{${labels},le="${le}"} ${count * share}`);
    }
    durations.push(`istio_request_duration_milliseconds_bucket{${labels},le="+Inf"} ${count}`);
    durations.push(`istio_request_duration_milliseconds_sum{${labels}} ${count * s.scaleMs}`);
    durations.push(`istio_request_duration_milliseconds_count{${labels}} ${count}`);
  }
  return `${requests.join("\n")}\n${durations.join("\n")}\n`;
}

/**
 * PromQL selecting the series the graph counts, mirroring reporter-pinning.ts (Kiali's rule): every destination
 * report, plus the source reports of requests no destination proxy saw (client-local failures, or no serving
 * workload). `or` keeps each series once, since the two sides differ in `reporter`.
 */
function pinned(metric: string, extra = ""): string {
  const flags = `(.*,)?(${[...CLIENT_LOCAL_FAILURE_FLAGS].join("|")})(,.*)?`;
  const w = `[${WINDOW_S}s]`;
  return (
    `rate(${metric}{reporter="destination"${extra}}${w})` +
    ` or rate(${metric}{reporter="source",response_flags=~"${flags}"${extra}}${w})` +
    ` or rate(${metric}{reporter="source",destination_workload="unknown"${extra}}${w})`
  );
}

/**
 * The graph's workload edge (injectServiceNodes=false) runs from the caller workload to the serving workload, or
 * to the service node when no workload served the request. Grouping by the namespaced workloads plus the service
 * name is exactly that edge here, since every Bookinfo workload serves one service.
 */
const EDGE_BY =
  "source_workload_namespace, source_workload, destination_service_namespace, destination_service_name, " +
  "destination_workload_namespace, destination_workload";

const PromVector = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("vector"),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});

/** Prometheus' answer at T, keyed by the graph edge id each entry stands for. */
async function promByEdge(prom: RunningPrometheus, promql: string, timeS: number): Promise<Map<string, number>> {
  const url = `${prom.baseUrl}/api/v1/query?query=${encodeURIComponent(promql)}&time=${timeS}`;
  const body = PromVector.parse(await (await fetch(url)).json());
  const out = new Map<string, number>();
  for (const { metric: m, value } of body.data.result) {
    const source = `workload:${m.source_workload_namespace}/${m.source_workload}`;
    const target =
      m.destination_workload === "unknown"
        ? `service:${m.destination_service_namespace}/${m.destination_service_name}`
        : `workload:${m.destination_workload_namespace}/${m.destination_workload}`;
    out.set(`${source} -> ${target}`, Number(value[1]));
  }
  return out;
}

function expectWithin(actual: number | null | undefined, expected: number, relative: number, what: string): void {
  expect(actual, what).toBeTypeOf("number");
  // An edge without errors has an error ratio of exactly 0 on both sides: compare absolutely there.
  const scale = expected === 0 ? 1 : Math.abs(expected);
  const error = Math.abs((actual ?? Number.NaN) - expected) / scale;
  expect(error, `${what}: meshscope ${actual} vs prometheus ${expected}`).toBeLessThanOrEqual(relative);
}

describe("the service graph against Prometheus scraping the same proxies", () => {
  let fixture: FixtureHttpServer;
  let prom: RunningPrometheus | undefined;
  let server: TestServer | undefined;
  let evalS = 0;

  beforeAll(async () => {
    const baseMs = Date.now() - 600_000;
    fixture = await startFixtureHttpServer({
      "/stats/prometheus": (_req, res: ServerResponse) => {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(Date.now(), baseMs));
      },
    });
    const target = fixture.url("/stats/prometheus");
    const { host } = new URL(target);
    [prom, server] = await Promise.all([
      startPrometheus(() =>
        [
          "global:",
          "  scrape_interval: 1s",
          "  scrape_timeout: 1s",
          "scrape_configs:",
          "  - job_name: envoy",
          "    metrics_path: /stats/prometheus",
          `    static_configs: [{ targets: ["${host}"] }]`,
        ].join("\n"),
      ),
      startTestServer({ scrapeTargets: [target], scrapeIntervalMs: 1000 }),
    ]);
    // Prometheus' discovery manager hands targets to the scrape loop only every 5 s, so its first scrape comes
    // well after readiness; Meshscope scrapes at once. Wait for Prometheus' first sample before choosing T.
    const running = prom;
    await waitUntil(async () => (await running.query("up")).length > 0, 15_000);
    // T: a whole second with a full window of samples from both scrapers behind it and 2 s of margin after it,
    // so each has committed its samples up to T when asked.
    const firstFullS = Math.ceil(Date.now() / 1000) + 1;
    evalS = firstFullS + WINDOW_S;
    await new Promise((r) => setTimeout(r, evalS * 1000 + 2000 - Date.now()));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), prom?.stop(), fixture?.close()]);
  });

  it("draws every edge PromQL sees, with the same request rate, error ratio and p95 within 2%", async () => {
    if (server === undefined || prom === undefined) throw new Error("setup failed");
    const graphUrl = `${server.consoleUrl}/api/graph?type=workload&window=${WINDOW_S}&end=${evalS * 1_000_000}&injectServiceNodes=false`;
    const graph = GraphResponse.parse(await (await fetch(graphUrl)).json());
    const edges = new Map<string, GraphEdge>(graph.edges.map((e) => [`${e.source} -> ${e.target}`, e]));

    const rates = await promByEdge(prom, `sum by (${EDGE_BY}) (${pinned("istio_requests_total")})`, evalS);
    const errors = await promByEdge(
      prom,
      `sum by (${EDGE_BY}) (${pinned("istio_requests_total", ',response_code=~"5.."')})`,
      evalS,
    );
    const p95s = await promByEdge(
      prom,
      `histogram_quantile(0.95, sum by (le, ${EDGE_BY}) (${pinned("istio_request_duration_milliseconds_bucket")}))`,
      evalS,
    );

    // Bookinfo's 7 workload edges plus productpage → the reviews service for the circuit breaker's local 503s.
    expect([...rates.keys()].sort()).toHaveLength(8);
    expect([...edges.keys()].sort()).toEqual([...rates.keys()].sort());
    for (const [id, promRate] of rates) {
      const edge = edges.get(id);
      expectWithin(edge?.rps, promRate, 0.02, `${id} rps`);
      expectWithin(edge?.errorRate, (errors.get(id) ?? 0) / promRate, 0.02, `${id} error ratio`);
      const promP95 = p95s.get(id);
      if (promP95 === undefined) throw new Error(`Prometheus has no p95 for ${id}`);
      expectWithin(edge?.p95Ms, promP95, 0.02, `${id} p95`);
    }
    // The circuit breaker's edge is all errors, counted from the caller's report.
    expect(edges.get("workload:bookinfo/productpage-v1 -> service:bookinfo/reviews")?.errorRate).toBe(1);
  });
});
