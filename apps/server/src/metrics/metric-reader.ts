/**
 * The query side of the metric store, pure of HTTP: what the graph builder and the service pages read.
 *
 * Every number is a PromQL `rate()` per second over the window, summed over the series of one edge key:
 * `edgeTraffic({startMs, endMs})` gives for each key what
 * `sum(rate(<metric>{...}[(endMs − startMs)ms] @ endMs)) by (<edge key labels>)` gives in Prometheus 2.42, with the
 * same extrapolation to the window edges (metric-reader-rate.ts), for any end time (stored points keep every
 * sample's timestamp, there is no bucketing). A key whose series have fewer than two samples in the window has
 * no rate in PromQL and is absent here too.
 *
 * Quantiles: sum `durationBuckets` over the keys you group (sumBuckets) and call histogramQuantile (histogram.ts),
 * which is `histogram_quantile(q, sum(rate(..._bucket[w])) by (le, ...))`.
 */
import type { EdgeKey } from "./edge-key.js";
import type { HistogramBucket } from "./histogram.js";

export interface EdgeTrafficQuery {
  /** Window start and end, ms since epoch; samples with startMs ≤ t ≤ endMs count (PromQL 2.x selectors). */
  startMs: number;
  endMs: number;
  /**
   * Only keys touching these namespaces (source workload namespace, destination service namespace or
   * destination workload namespace); all when absent.
   */
  namespaces?: readonly string[];
  /** Only this reporter ("source", "destination", "waypoint"); all when absent. */
  reporter?: string;
  /**
   * False for a window that ends now (a live view, asked without an end time): no later query names the same
   * window, so its answer is not kept for reuse (keeping it only held tens of thousands of rows in memory until
   * they aged into the old generation). Default true.
   */
  memoise?: boolean;
  /**
   * The caller reads the answer at once and drops it before it asks again (the live graph, within one request):
   * the store may then build it in the arrays of its previous transient answer, which that answer's holder must
   * no longer read. Read by `edgeTrafficTable` only (rows from `edgeTraffic` are kept by their callers); such an
   * answer is never memoised.
   */
  transient?: boolean;
}

export interface EdgeTraffic {
  key: EdgeKey;
  /** istio_requests_total, requests/s. */
  requestsPerSec: number;
  /** istio_request_duration_milliseconds_{sum,count}: ms/s and observations/s (sum/count = mean latency). */
  durationSumPerSec: number;
  durationCountPerSec: number;
  /** istio_request_duration_milliseconds_bucket rates per `le` (ms), sorted, cumulative; [] without a histogram. */
  durationBuckets: HistogramBucket[];
  /**
   * The same bucket rates as two parallel lists, as the store sums them (absent on rows built elsewhere): what the
   * graph reads, so a large graph does not build an object per bucket. `les` may be shared between rows (rows of
   * streams with the same bounds hold the same list) and is in first-seen order, not necessarily sorted.
   */
  histogram?: TrafficHistogram;
  /** istio_request_bytes_sum / istio_response_bytes_sum, bytes/s. */
  requestBytesPerSec: number;
  responseBytesPerSec: number;
  /** istio_tcp_sent_bytes_total / istio_tcp_received_bytes_total, bytes/s. */
  tcpSentBytesPerSec: number;
  tcpReceivedBytesPerSec: number;
  /** istio_tcp_connections_{opened,closed}_total, connections/s. */
  tcpOpenedPerSec: number;
  tcpClosedPerSec: number;
}

export interface TrafficHistogram {
  /** Bucket bounds (ms, +Inf as Infinity); never changed once handed out. */
  readonly les: readonly number[];
  /** Rate per bound, `rates[i]` for `les[i]`. */
  readonly rates: Float64Array;
}

/**
 * The answer of `edgeTraffic` as columns, with no object per key: slot `i` is one edge key. What the graph reads
 * (a large mesh has tens of thousands of keys per window, and a live graph asks every few seconds). Never changed
 * once handed out: a recent window's table may be shared by every caller until new data arrives.
 */
export interface TrafficTable {
  readonly keys: readonly EdgeKey[];
  /**
   * Nine rates per slot, slot `i` at `9 * i`: requests/s, duration ms/s, duration observations/s, request bytes/s,
   * response bytes/s, TCP sent bytes/s, TCP received bytes/s, TCP connections opened/s, closed/s (the fields of
   * EdgeTraffic, in that order). May be longer than 9 × keys.length.
   */
  readonly scalars: Float64Array;
  /** Duration bucket bounds of each slot (empty: no histogram); lists may be shared between slots. */
  readonly les: readonly (readonly number[])[];
  /** Slot `i`'s bucket rates are `rates[rateAt[i] + j]` for bound `les[i][j]`. */
  readonly rateAt: Int32Array;
  readonly rates: Float64Array;
}

export interface SeriesOverTimeQuery {
  /** First and last evaluation time (ms); evaluated at startMs, startMs + stepMs, … ≤ endMs. */
  startMs: number;
  endMs: number;
  stepMs: number;
  /** The rate window at each step (PromQL `[windowMs]`); default stepMs. */
  windowMs?: number;
  namespaces?: readonly string[];
  reporter?: string;
}

export interface SeriesPoint {
  /** Evaluation time (the window's end), ms. */
  tMs: number;
  edges: EdgeTraffic[];
}

export interface MetricReader {
  edgeTraffic(query: EdgeTrafficQuery): EdgeTraffic[];
  /** The same answer as columns (see TrafficTable). */
  edgeTrafficTable(query: EdgeTrafficQuery): TrafficTable;
  /** A range query: edgeTraffic at each step (for RED time series). At most 11,000 steps, as Prometheus allows. */
  seriesOverTime(query: SeriesOverTimeQuery): SeriesPoint[];
}
