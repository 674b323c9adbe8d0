/**
 * An edge's numbers from the Istio series counted on it (after reporter pinning): rates, the response-code and
 * flag breakdowns, the error ratio, latency quantiles from the summed histogram buckets, mTLS share, TCP bytes/s.
 * Every input is already a per-second rate over the window (metric-reader.ts), so sums of them are rates too.
 *
 * One adder (EdgeSums) holds the arithmetic. `edgeMetrics` feeds it rows (the service pages, services/red.ts); the
 * graph feeds it straight from the window's columnar traffic (build-graph.ts), reusing it edge after edge, so a
 * graph of thousands of edges allocates only its answer.
 */
import type { GraphProtocol } from "@meshscope/model";
import type { EdgeKey } from "../metrics/edge-key.js";
import { histogramQuantilesInto } from "../metrics/histogram.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { CODE_RECORDS, codeRank, NO_LITERAL, NOT_A_CODE } from "./code-records.js";
import { emptyTally, type RequestTally, resetTally } from "./health.js";

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
  return protocolOfKey(t.key, t.requestsPerSec, t.tcpSentBytesPerSec + t.tcpReceivedBytesPerSec);
}

/** protocolOf from a key and its request and TCP byte rates (for columnar traffic). */
export function protocolOfKey(key: EdgeKey, requestsPerSec: number, tcpBytesPerSec: number): GraphProtocol {
  const p = key.requestProtocol;
  if (p === "http" || p === "grpc" || p === "tcp") return p;
  return requestsPerSec === 0 && tcpBytesPerSec > 0 ? "tcp" : "http";
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
export interface KeyClass {
  flag: string;
  /** The `responses` key on an HTTP edge: the response code. */
  httpResponse: string;
  /** The `responses` key on a gRPC edge: grpc-status, or the HTTP code when there is none. */
  grpcResponse: string;
  /**
   * The key's error classes and connection security as bits (CLASS_*), what EdgeSums.add reads: a number, which
   * the graph's plan keeps per slot in a typed array (no object per key read per refresh).
   */
  bits: number;
}

/** KeyClass.bits: no response received (code 0 or `-`), 5xx, 4xx, gRPC status ≠ OK, policy known, mutual TLS. */
export const CLASS_NO_RESPONSE = 1;
export const CLASS_HTTP_5XX = 2;
export const CLASS_HTTP_4XX = 4;
export const CLASS_GRPC_ERROR = 8;
export const CLASS_POLICY_KNOWN = 16;
export const CLASS_MTLS = 32;

const keyClasses = new WeakMap<EdgeKey, KeyClass>();

export function keyClass(k: EdgeKey): KeyClass {
  let c = keyClasses.get(k);
  if (c === undefined) {
    const grpcStatusSet = k.grpcResponseStatus !== "";
    const noResponse = isNoResponse(k.responseCode);
    const http5xx = k.responseCode.startsWith("5");
    const http4xx = k.responseCode.startsWith("4");
    const grpcError = grpcStatusSet && k.grpcResponseStatus !== "0";
    const policyKnown = k.connectionSecurityPolicy !== "unknown" && k.connectionSecurityPolicy !== "";
    const mtls = k.connectionSecurityPolicy === "mutual_tls";
    c = {
      flag: k.responseFlags === "unknown" || k.responseFlags === "" ? "-" : k.responseFlags,
      httpResponse: k.responseCode,
      grpcResponse: grpcStatusSet ? k.grpcResponseStatus : k.responseCode,
      bits:
        (noResponse ? CLASS_NO_RESPONSE : 0) |
        (http5xx ? CLASS_HTTP_5XX : 0) |
        (http4xx ? CLASS_HTTP_4XX : 0) |
        (grpcError ? CLASS_GRPC_ERROR : 0) |
        (policyKnown ? CLASS_POLICY_KNOWN : 0) |
        (mtls ? CLASS_MTLS : 0),
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

/** Breakdown.signature: up to 10 keys of indices below 31, 5 bits each, stay an exact integer (2^50). */
const SIGNATURE_BASE = 32;
const MAX_SIGNATURE_KEYS = 10;

/**
 * Requests/s per code or flag while an edge is summed. The keys are a list fixed per edge (the graph's plan lists
 * each edge's keys once: `use`) or one grown as rows arrive (`useOwn`, then `indexOf`). Sums live by key index in
 * a typed array reused edge after edge, so summing allocates nothing; the record lists the keys in the order they
 * first got requests, as a dictionary filled by adding would.
 */
class Breakdown {
  private keys: readonly string[] = [];
  private ownKeys: string[] = [];
  private sums = new Float64Array(16);
  /** Key indices in the order they first got requests. */
  private order = new Int32Array(16);
  private orderCount = 0;

  /** numericKeys: the keys are mostly array-index-like (response codes), see smallRecord. */
  constructor(private readonly numericKeys: boolean) {}

  /** codeRank of each key (code-records.ts), or null to work them out when a record is made. */
  private ranks: Int32Array | null = null;

  use(keys: readonly string[], ranks: Int32Array | null): void {
    this.keys = keys;
    this.ranks = ranks;
    this.reset(keys.length);
  }

  useOwn(): void {
    this.ownKeys = [];
    this.keys = this.ownKeys;
    this.ranks = null;
    this.reset(0);
  }

  private reset(n: number): void {
    if (this.sums.length < n) {
      this.sums = new Float64Array(n * 2);
      this.order = new Int32Array(n * 2);
    } else this.sums.fill(0, 0, n);
    this.orderCount = 0;
  }

  /** The index of `key` in the own list (`useOwn`), added when new. */
  indexOf(key: string): number {
    let i = this.ownKeys.indexOf(key);
    if (i < 0) {
      i = this.ownKeys.length;
      this.ownKeys.push(key);
      if (this.sums.length <= i) {
        const grown = new Float64Array(this.sums.length * 2);
        grown.set(this.sums);
        this.sums = grown;
        const order = new Int32Array(grown.length);
        order.set(this.order);
        this.order = order;
      }
      this.sums[i] = 0;
    }
    return i;
  }

  /** Adds `value` (> 0) to key `i`. */
  add(i: number, value: number): void {
    const sums = this.sums;
    const before = sums[i] ?? 0;
    // Values are positive, so a sum of 0 means the key gets its first requests now.
    if (before === 0) this.order[this.orderCount++] = i;
    sums[i] = before + value;
  }

  record(): Record<string, number> {
    const seed = this.numericKeys ? this.seedKey() : -1;
    const out: Record<string, number> =
      seed >= 0
        ? (CODE_RECORDS.get(this.keys[seed] ?? "") as (v: number) => Record<string, number>)(this.sums[seed] ?? 0)
        : this.numericKeys
          ? smallRecord()
          : {};
    this.assign(out, seed);
    return out;
  }

  /** Sets every key that got requests, in that order, to its sum on `out`, except key index `skip`. */
  private assign(out: Record<string, number>, skip: number): void {
    for (let n = 0; n < this.orderCount; n++) {
      const i = this.order[n] ?? 0;
      if (i === skip) continue;
      const key = this.keys[i] ?? "";
      const value = this.sums[i] ?? 0;
      // Assignment would set the prototype for "__proto__"; define it as an own data property like any other key.
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else out[key] = value;
    }
  }

  /**
   * The keys that got requests, in the order they did, as one number: two sums with the same key list and the same
   * signature make records with the same keys in the same order. -1 when there are too many keys to tell.
   */
  signature(): number {
    if (this.orderCount > MAX_SIGNATURE_KEYS) return -1;
    let sig = 0;
    for (let n = 0; n < this.orderCount; n++) {
      const i = this.order[n] ?? 0;
      if (i >= SIGNATURE_BASE - 1) return -1;
      sig = sig * SIGNATURE_BASE + i + 1;
    }
    return sig;
  }

  /** Writes the sums into `record`, a record made by `record()` of sums with this signature (same keys). */
  refill(record: Record<string, number>): void {
    this.assign(record, -1);
  }

  /**
   * The key whose literal (code-records.ts) starts the record, or -1 for smallRecord: the largest code of the
   * record, so the others fit the literal's elements (a small code's literal has a short array, which a larger
   * code added later would stretch to its size); -1 when some code has no literal. Integer keys enumerate in
   * ascending order whatever order they were added in, and other keys keep theirs, so the record is the same.
   */
  private seedKey(): number {
    let seed = -1;
    let largest = -1;
    const ranks = this.ranks;
    for (let n = 0; n < this.orderCount; n++) {
      const i = this.order[n] ?? 0;
      const rank = ranks === null ? codeRank(this.keys[i] ?? "") : (ranks[i] ?? NOT_A_CODE);
      if (rank === NO_LITERAL) return -1;
      if (rank > largest) {
        largest = rank;
        seed = i;
      }
    }
    return seed;
  }
}

/**
 * The `responses` key of a series on an edge of this protocol: gRPC edges break down by grpc-status (Kiali's grpc
 * rates), an HTTP-level failure without one by its code.
 */
export function responseKey(protocol: GraphProtocol, c: KeyClass): string {
  return protocol === "grpc" ? c.grpcResponse : c.httpResponse;
}

export function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** Index of bound `le` in `les`, NaN matching NaN (as a Map key would); -1 when absent. */
function boundIndex(les: readonly number[], le: number): number {
  const i = les.indexOf(le);
  if (i >= 0 || !Number.isNaN(le)) return i;
  return les.findIndex(Number.isNaN);
}

/**
 * The sums of one edge at a time. `begin` starts an edge; `add` counts one series' rates; `addBuckets` its
 * duration bucket rates; then the getters and `quantiles`, `responses()`, `flags()` read the edge's numbers.
 * A series' response and flag keys come as indices into the key lists given to `begin` (the graph's plan works
 * them out once), or, begun without lists, from `responseIndex` / `flagIndex`.
 */
export class EdgeSums {
  protocol: GraphProtocol = "http";
  rps = 0;
  errors = 0;
  mtlsWeight = 0;
  knownPolicyWeight = 0;
  tcpSent = 0;
  tcpReceived = 0;
  /** The edge's requests split the way health needs; reset (not replaced) by `begin`. */
  readonly tally: RequestTally = emptyTally();
  private readonly responseRates = new Breakdown(true);
  private readonly flagRates = new Breakdown(false);
  /**
   * Summed bucket rates, `bucketRates[i]` for `bucketLes[i]`: while every series has the same bound list (nearly
   * always: one proxy version, one bucket configuration) it is that shared list and rates add by position; a series
   * with other bounds turns it into the edge's own merged list (bounds in first-seen order, as `sum by (le)` adds).
   */
  private bucketLes: readonly number[] | null = null;
  private ownLes = false;
  private bucketRates = new Float64Array(64);
  private readonly quantileOut = new Float64Array(QUANTILES.length);

  /**
   * Starts an edge. With key lists (the graph's plan), each series' keys come as indices into them; `responseRanks`
   * is codeRank of each response key, worked out once with the lists. Without, keys are looked up as they come.
   */
  begin(
    protocol: GraphProtocol,
    responseKeys?: readonly string[],
    flagKeys?: readonly string[],
    responseRanks?: Int32Array,
  ): void {
    this.protocol = protocol;
    this.rps = 0;
    this.errors = 0;
    this.mtlsWeight = 0;
    this.knownPolicyWeight = 0;
    this.tcpSent = 0;
    this.tcpReceived = 0;
    resetTally(this.tally);
    if (responseKeys === undefined) this.responseRates.useOwn();
    else this.responseRates.use(responseKeys, responseRanks ?? null);
    if (flagKeys === undefined) this.flagRates.useOwn();
    else this.flagRates.use(flagKeys, null);
    this.bucketLes = null;
    this.ownLes = false;
  }

  /** Where a series' response key is (edges begun without key lists). */
  responseIndex(c: KeyClass): number {
    return this.responseRates.indexOf(responseKey(this.protocol, c));
  }

  flagIndex(c: KeyClass): number {
    return this.flagRates.indexOf(c.flag);
  }

  /**
   * One series of the edge: its key's class bits (KeyClass.bits), the indices of its response and flag keys,
   * requests/s and TCP bytes/s each way.
   */
  add(bits: number, response: number, flag: number, r: number, tcpSent: number, tcpReceived: number): void {
    const protocol = this.protocol;
    this.rps += r;
    this.tcpSent += tcpSent;
    this.tcpReceived += tcpReceived;
    if (protocol !== "tcp" && r > 0) {
      const tally = this.tally;
      this.flagRates.add(flag, r);
      this.responseRates.add(response, r);
      if (protocol === "grpc") {
        tally.grpc += r;
        if ((bits & CLASS_NO_RESPONSE) !== 0) tally.grpcNoResponse += r;
        else if ((bits & CLASS_GRPC_ERROR) !== 0) tally.grpcError += r;
        if ((bits & (CLASS_NO_RESPONSE | CLASS_GRPC_ERROR)) !== 0) this.errors += r;
      } else {
        tally.http += r;
        if ((bits & CLASS_NO_RESPONSE) !== 0) tally.httpNoResponse += r;
        else if ((bits & CLASS_HTTP_5XX) !== 0) tally.http5xx += r;
        else if ((bits & CLASS_HTTP_4XX) !== 0) tally.http4xx += r;
        if ((bits & (CLASS_NO_RESPONSE | CLASS_HTTP_5XX)) !== 0) this.errors += r;
      }
    }
    // Only the destination proxy knows the connection's security policy; the source reports "unknown".
    if ((bits & CLASS_POLICY_KNOWN) !== 0) {
      const weight = protocol === "tcp" ? tcpSent + tcpReceived : r;
      this.knownPolicyWeight += weight;
      if ((bits & CLASS_MTLS) !== 0) this.mtlsWeight += weight;
    }
  }

  /** One series' bucket rates: `rates[at + i]` for bound `les[i]` (cumulative, any order). */
  addBuckets(les: readonly number[], rates: ArrayLike<number>, at: number): void {
    const n = les.length;
    if (n === 0) return;
    const current = this.bucketLes;
    if (current === null) {
      this.bucketLes = les;
      if (this.bucketRates.length < n) this.bucketRates = new Float64Array(n * 2);
      const sums = this.bucketRates;
      for (let i = 0; i < n; i++) sums[i] = rates[at + i] ?? 0;
      return;
    }
    if (current === les || (!this.ownLes && sameBounds(current, les))) {
      const sums = this.bucketRates;
      for (let i = 0; i < n; i++) sums[i] = (sums[i] ?? 0) + (rates[at + i] ?? 0);
      return;
    }
    const own = this.ownLes ? (current as number[]) : [...current];
    this.bucketLes = own;
    this.ownLes = true;
    for (let i = 0; i < n; i++) {
      const le = les[i] ?? 0;
      let j = boundIndex(own, le);
      if (j < 0) {
        j = own.length;
        own.push(le);
        if (this.bucketRates.length < own.length) {
          const grown = new Float64Array(own.length * 2);
          grown.set(this.bucketRates.subarray(0, j));
          this.bucketRates = grown;
        }
        this.bucketRates[j] = 0;
      }
      this.bucketRates[j] = (this.bucketRates[j] ?? 0) + (rates[at + i] ?? 0);
    }
  }

  /**
   * histogram_quantile(0.5, 0.95, 0.99) of the summed buckets, NaN where PromQL answers NaN (no buckets, no +Inf,
   * no observations); one reused array (read it before the next edge).
   */
  quantiles(): Float64Array {
    const out = this.quantileOut;
    const les = this.bucketLes;
    if (les === null) out.fill(Number.NaN);
    else histogramQuantilesInto(QUANTILES, les, this.bucketRates, out);
    return out;
  }

  responses(): Record<string, number> {
    return this.responseRates.record();
  }

  flags(): Record<string, number> {
    return this.flagRates.record();
  }

  /** Breakdown.signature of the responses and of the flags (to update an earlier answer's records in place). */
  responseSignature(): number {
    return this.responseRates.signature();
  }

  flagSignature(): number {
    return this.flagRates.signature();
  }

  /** Writes the responses into a record `responses()` made for the same signature. */
  refillResponses(record: Record<string, number>): void {
    this.responseRates.refill(record);
  }

  refillFlags(record: Record<string, number>): void {
    this.flagRates.refill(record);
  }

  /** Requests/s as the edge shows it: TCP edges carry bytes, not requests. */
  get edgeRps(): number {
    return this.protocol === "tcp" ? 0 : this.rps;
  }

  get errorRate(): number {
    return this.protocol !== "tcp" && this.rps > 0 ? this.errors / this.rps : 0;
  }

  get mtls(): number | null {
    return this.knownPolicyWeight > 0 ? this.mtlsWeight / this.knownPolicyWeight : null;
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const rowSums = new EdgeSums();

export function edgeMetrics(protocol: GraphProtocol, series: readonly EdgeTraffic[]): EdgeMetrics {
  const s = rowSums;
  s.begin(protocol);
  for (const t of series) {
    const c = keyClass(t.key);
    s.add(c.bits, s.responseIndex(c), s.flagIndex(c), t.requestsPerSec, t.tcpSentBytesPerSec, t.tcpReceivedBytesPerSec);
    const h = t.histogram;
    if (h !== undefined) s.addBuckets(h.les, h.rates, 0);
    else {
      const buckets = t.durationBuckets;
      if (buckets.length > 0) {
        s.addBuckets(
          buckets.map((b) => b.le),
          buckets.map((b) => b.count),
          0,
        );
      }
    }
  }
  const q = s.quantiles();
  return {
    rps: s.edgeRps,
    errorRate: s.errorRate,
    responses: s.responses(),
    flags: s.flags(),
    p50Ms: finiteOrNull(q[0]),
    p95Ms: finiteOrNull(q[1]),
    p99Ms: finiteOrNull(q[2]),
    mtls: s.mtls,
    tcpSentBytesPerSec: s.tcpSent,
    tcpReceivedBytesPerSec: s.tcpReceived,
    // A copy: the adder's tally is reset for the next edge.
    tally: { ...s.tally },
  };
}
