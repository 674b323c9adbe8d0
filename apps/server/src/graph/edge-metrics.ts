/**
 * An edge's numbers from the Istio series counted on it (after reporter pinning): rates, the response-code and
 * flag breakdowns, the error ratio, latency quantiles from the summed histogram buckets, mTLS share, TCP bytes/s.
 * Every input is already a per-second rate over the window (metric-reader.ts), so sums of them are rates too.
 */
import type { GraphProtocol } from "@meshscope/model";
import type { EdgeKey } from "../metrics/edge-key.js";
import { histogramQuantiles, histogramQuantilesInPlace, sumBuckets } from "../metrics/histogram.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { emptyTally, type RequestTally } from "./health.js";

export interface EdgeMetrics {
  rps: number;
  errorRate: number;
  responses: Record<string, number>;
  flags: Record<string, number>;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  mtls: number | null;
  tcpSentBytesPerSec: number;
  tcpReceivedBytesPerSec: number;
  tally: RequestTally;
}

/** istio_requests_total's request_protocol, with TCP inferred for series that only carry istio_tcp_* counters. */
export function protocolOf(t: EdgeTraffic): GraphProtocol {
  const p = t.key.requestProtocol;
  if (p === "http" || p === "grpc" || p === "tcp") return p;
  return t.requestsPerSec === 0 && t.tcpSentBytesPerSec + t.tcpReceivedBytesPerSec > 0 ? "tcp" : "http";
}

/** Istio writes response_code 0 when no response was received (Kiali shows it as "-", NoResponse). */
export function isNoResponse(code: string): boolean {
  return code === "0" || code === "-";
}

const QUANTILES = [0.5, 0.95, 0.99];

/**
 * What an edge key says about its requests, worked out once per key object (keys live as long as their stream,
 * and a live graph reads the same keys on every refresh): the breakdown keys and the error classes.
 */
interface KeyClass {
  flag: string;
  /** The `responses` key on a gRPC edge: grpc-status, or the HTTP code when there is none. */
  grpcResponse: string;
  noResponse: boolean;
  http5xx: boolean;
  http4xx: boolean;
  grpcError: boolean;
  policyKnown: boolean;
  mtls: boolean;
}

const keyClasses = new WeakMap<EdgeKey, KeyClass>();

function keyClass(k: EdgeKey): KeyClass {
  let c = keyClasses.get(k);
  if (c === undefined) {
    const grpcStatusSet = k.grpcResponseStatus !== "";
    c = {
      flag: k.responseFlags === "unknown" || k.responseFlags === "" ? "-" : k.responseFlags,
      grpcResponse: grpcStatusSet ? k.grpcResponseStatus : k.responseCode,
      noResponse: isNoResponse(k.responseCode),
      http5xx: k.responseCode.startsWith("5"),
      http4xx: k.responseCode.startsWith("4"),
      grpcError: grpcStatusSet && k.grpcResponseStatus !== "0",
      policyKnown: k.connectionSecurityPolicy !== "unknown" && k.connectionSecurityPolicy !== "",
      mtls: k.connectionSecurityPolicy === "mutual_tls",
    };
    keyClasses.set(k, c);
  }
  return c;
}

/** The largest array index (2^32 − 2). */
const FAR_INDEX = 4_294_967_294;

/**
 * An empty object for a few keys that may look like array indices (HTTP codes such as "503"). V8 keeps such keys
 * as array elements, and a first key of 503 gets a backing array of over 500 slots: ~7 KB per object, ~40 MB per
 * graph of 6,000 edges (measured), all garbage by the next refresh. Adding and removing a far index first puts the
 * object's elements in dictionary mode, where a few keys cost a few hundred bytes. The object is otherwise plain:
 * same keys, same order (integer keys first, ascending), same JSON.
 */
function smallRecord(): Record<string, number> {
  const out: Record<string, number> = {};
  out[FAR_INDEX] = 0;
  delete out[FAR_INDEX];
  return out;
}

/**
 * Requests/s per code or flag while an edge is summed: an edge has a handful, so parallel arrays beat a
 * dictionary object; the record is built at the end with Object.fromEntries, which defines every key as an own
 * property (a label value such as `__proto__` stays data).
 */
class Breakdown {
  private readonly keys: string[] = [];
  private readonly values: number[] = [];

  /** numericKeys: the keys are mostly array-index-like (response codes), see smallRecord. */
  constructor(private readonly numericKeys: boolean) {}

  add(key: string, value: number): void {
    const i = this.keys.indexOf(key);
    if (i >= 0) this.values[i] = (this.values[i] ?? 0) + value;
    else {
      this.keys.push(key);
      this.values.push(value);
    }
  }

  record(): Record<string, number> {
    const out: Record<string, number> = this.numericKeys ? smallRecord() : {};
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i] ?? "";
      const value = this.values[i] ?? 0;
      // Assignment would set the prototype for "__proto__"; define it as an own data property like any other key.
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else out[key] = value;
    }
    return out;
  }
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/**
 * p50/p95/p99 of the edge's summed duration buckets. Rows from the store carry their buckets as lists
 * (EdgeTraffic.histogram); when every row with buckets has the same bounds they are added by position without an
 * object per bucket, else (rows built elsewhere, mixed bounds) through sumBuckets.
 */
function edgeQuantiles(series: readonly EdgeTraffic[]): number[] {
  let les: readonly number[] | null = null;
  for (const t of series) {
    const h = t.histogram;
    if (h === undefined) {
      if (t.durationBuckets.length === 0) continue;
      return histogramQuantiles(QUANTILES, sumBuckets(series.map((x) => x.durationBuckets)));
    }
    if (les === null) {
      les = h.les;
      if (scratch.length < les.length) scratch = new Float64Array(les.length * 2);
      for (let i = 0; i < les.length; i++) scratch[i] = h.rates[i] ?? 0;
    } else if (h.les === les || sameBounds(h.les, les)) {
      for (let i = 0; i < les.length; i++) scratch[i] = (scratch[i] ?? 0) + (h.rates[i] ?? 0);
    } else {
      return histogramQuantiles(QUANTILES, sumBuckets(series.map((x) => x.durationBuckets)));
    }
  }
  if (les === null) return histogramQuantiles(QUANTILES, []);
  return histogramQuantilesInPlace(QUANTILES, les, scratch);
}

/** Where an edge's buckets are summed: one buffer for all edges (the build is synchronous), grown as needed. */
let scratch = new Float64Array(64);

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function edgeMetrics(protocol: GraphProtocol, series: readonly EdgeTraffic[]): EdgeMetrics {
  const tally = emptyTally();
  const responses = new Breakdown(true);
  const flags = new Breakdown(false);
  let rps = 0;
  let errors = 0;
  let mtlsWeight = 0;
  let knownPolicyWeight = 0;
  let tcpSent = 0;
  let tcpReceived = 0;
  for (const t of series) {
    const c = keyClass(t.key);
    const r = t.requestsPerSec;
    rps += r;
    tcpSent += t.tcpSentBytesPerSec;
    tcpReceived += t.tcpReceivedBytesPerSec;
    if (protocol !== "tcp" && r > 0) {
      flags.add(c.flag, r);
      if (protocol === "grpc") {
        // gRPC edges break down by grpc-status (Kiali's grpc rates); an HTTP-level failure without one by its code.
        responses.add(c.grpcResponse, r);
        tally.grpc += r;
        if (c.noResponse) tally.grpcNoResponse += r;
        else if (c.grpcError) tally.grpcError += r;
        if (c.noResponse || c.grpcError) errors += r;
      } else {
        responses.add(t.key.responseCode, r);
        tally.http += r;
        if (c.noResponse) tally.httpNoResponse += r;
        else if (c.http5xx) tally.http5xx += r;
        else if (c.http4xx) tally.http4xx += r;
        if (c.noResponse || c.http5xx) errors += r;
      }
    }
    // Only the destination proxy knows the connection's security policy; the source reports "unknown".
    const weight = protocol === "tcp" ? t.tcpSentBytesPerSec + t.tcpReceivedBytesPerSec : r;
    if (c.policyKnown) {
      knownPolicyWeight += weight;
      if (c.mtls) mtlsWeight += weight;
    }
  }
  const [p50, p95, p99] = edgeQuantiles(series);
  return {
    rps: protocol === "tcp" ? 0 : rps,
    errorRate: protocol !== "tcp" && rps > 0 ? errors / rps : 0,
    responses: responses.record(),
    flags: flags.record(),
    p50Ms: finiteOrNull(p50),
    p95Ms: finiteOrNull(p95),
    p99Ms: finiteOrNull(p99),
    mtls: knownPolicyWeight > 0 ? mtlsWeight / knownPolicyWeight : null,
    tcpSentBytesPerSec: tcpSent,
    tcpReceivedBytesPerSec: tcpReceived,
    tally,
  };
}
