import { encodeLabelPairs, WriteRequestBuilder } from "@meshscope/wire";
import type { IstioRequestLabels, MetricRecorder } from "../sim/contracts.js";

/**
 * The Istio standard HTTP metrics of every proxy in the demo mesh, kept the way Envoy's stats sink keeps them and
 * rendered the way Envoy's `/stats/prometheus` prints them (istio.md §1.1–1.3, §1.6):
 *
 * - `istio_requests_total` (counter) and three histograms, `istio_request_duration_milliseconds`,
 *   `istio_request_bytes`, `istio_response_bytes`, with Envoy's default buckets (Istio sets no override, §1.2);
 * - one series per distinct label set, created lazily on first traffic and never removed (Envoy keeps a stat until
 *   the proxy restarts, so counters only grow);
 * - labels in the order istio_stats.cc emits them; only `# TYPE` lines, no `# HELP` (Envoy prints none);
 * - counters first, then histograms, each group sorted by name (Envoy's prometheus_stats.cc order).
 *
 * The label text of a series is escaped once, when the series is created, so rendering is string concatenation.
 */

/** Envoy's default histogram bucket bounds (`HistogramSettingsImpl::defaultBuckets()`), for ms and bytes alike. */
export const ENVOY_DEFAULT_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** Label names in istio_stats.cc emission order (istio.md §1.3). */
export const ISTIO_LABEL_ORDER = [
  "reporter",
  "source_workload",
  "source_canonical_service",
  "source_canonical_revision",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_service_name",
  "destination_service_namespace",
  "destination_cluster",
  "request_protocol",
  "response_code",
  "grpc_response_status",
  "response_flags",
  "connection_security_policy",
] as const satisfies readonly (keyof IstioRequestLabels)[];

// Compile-time check that the order above lists every label of the contract.
type MissingLabel = Exclude<keyof IstioRequestLabels, (typeof ISTIO_LABEL_ORDER)[number]>;
const everyLabelListed: [MissingLabel] extends [never] ? true : never = true;
void everyLabelListed;

export const REQUESTS_TOTAL = "istio_requests_total";
export const HISTOGRAM_NAMES = [
  "istio_request_bytes",
  "istio_request_duration_milliseconds",
  "istio_response_bytes",
] as const;
type HistogramName = (typeof HISTOGRAM_NAMES)[number];

/** Exposition format 0.0.4: inside a quoted label value, backslash, double quote and line feed are escaped. */
export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`)) : value;
}

/** Bucket bound as Envoy prints it (`{:.32g}`): the shortest exact decimal, which is what String() gives here. */
const LE_STRINGS = [...ENVOY_DEFAULT_BUCKETS.map(String), "+Inf"];
const LE_SUFFIXES = LE_STRINGS.map((le) => `,le="${le}"} `);

class Histogram {
  /** Per-bucket (not cumulative) counts; the last slot is the overflow above the largest bound (+Inf). */
  readonly counts = new Float64Array(ENVOY_DEFAULT_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  observe(value: number): void {
    // Envoy histograms record unsigned integers (`Stats::Histogram::recordValue(uint64_t)`).
    const v = value > 0 ? Math.floor(value) : 0;
    let i = 0;
    while (i < ENVOY_DEFAULT_BUCKETS.length && v > (ENVOY_DEFAULT_BUCKETS[i] ?? 0)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += v;
    this.count++;
  }

  /** Cumulative count for `le` bucket `i` (the last index is +Inf). */
  cumulative(i: number): number {
    let total = 0;
    for (let j = 0; j <= i; j++) total += this.counts[j] ?? 0;
    return total;
  }
}

interface Series {
  readonly labels: Readonly<IstioRequestLabels>;
  /** `reporter="source",source_workload="..."...`, escaped, Istio order, no braces. */
  readonly labelText: string;
  requests: number;
  readonly histograms: Record<HistogramName, Histogram>;
  /** Remote-write label fields sorted by name, split around where `le` sorts in; encoded on first push. */
  remoteWrite?: { before: Uint8Array; after: Uint8Array };
}

/** A sample for remote-write style consumers: labels include `__name__` (and `le` for buckets). */
export interface CollectedSample {
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

// Remote-write wants labels sorted by name. `__name__` sorts first; `le` lands inside the Istio labels.
const SORTED_LABELS = [...ISTIO_LABEL_ORDER].sort();
const LABELS_BEFORE_LE = SORTED_LABELS.filter((name) => name < "le");
const LABELS_AFTER_LE = SORTED_LABELS.filter((name) => name > "le");
const NAME_PIECES = new Map<string, Uint8Array>();
function namePiece(name: string): Uint8Array {
  let piece = NAME_PIECES.get(name);
  if (!piece) {
    piece = encodeLabelPairs([["__name__", name]]);
    NAME_PIECES.set(name, piece);
  }
  return piece;
}
const LE_PIECES = LE_STRINGS.map((le) => encodeLabelPairs([["le", le]]));

export class IstioMetricsRegistry implements MetricRecorder {
  private readonly byKey = new Map<string, Series>();
  /**
   * The simulator builds each label set once and passes the same frozen-by-contract object every time (sim/labels.ts
   * "the recorder may keep them as series keys and must not mutate them"), so most lookups are one identity probe;
   * the content key below still merges equal label sets that arrive as different objects.
   */
  private readonly byObject = new WeakMap<IstioRequestLabels, Series>();
  private readonly series: Series[] = [];

  /** Number of distinct label sets seen so far. */
  get seriesCount(): number {
    return this.series.length;
  }

  recordRequest(labels: IstioRequestLabels, durationMs: number, requestBytes: number, responseBytes: number): void {
    const series = this.seriesFor(labels);
    series.requests++;
    series.histograms.istio_request_duration_milliseconds.observe(durationMs);
    series.histograms.istio_request_bytes.observe(requestBytes);
    series.histograms.istio_response_bytes.observe(responseBytes);
  }

  private seriesFor(labels: IstioRequestLabels): Series {
    const known = this.byObject.get(labels);
    if (known) return known;
    const series = this.seriesByContent(labels);
    this.byObject.set(labels, series);
    return series;
  }

  private seriesByContent(labels: IstioRequestLabels): Series {
    // The lookup key is the raw values joined by NUL (cheaper than escaping on every request); Istio label values
    // come from Kubernetes names, numbers and flags, none of which can hold a NUL.
    let key = labels.reporter;
    for (let i = 1; i < ISTIO_LABEL_ORDER.length; i++) {
      key += `\u0000${labels[ISTIO_LABEL_ORDER[i] ?? "reporter"]}`;
    }
    let series = this.byKey.get(key);
    if (!series) {
      series = {
        labels: { ...labels },
        labelText: ISTIO_LABEL_ORDER.map((name) => `${name}="${escapeLabelValue(labels[name])}"`).join(","),
        requests: 0,
        histograms: {
          istio_request_bytes: new Histogram(),
          istio_request_duration_milliseconds: new Histogram(),
          istio_response_bytes: new Histogram(),
        },
      };
      this.byKey.set(key, series);
      this.series.push(series);
    }
    return series;
  }

  /**
   * The exposition in chunks of about `chunkChars` characters, so a large mesh can be streamed to a socket with
   * backpressure instead of one giant string (a label set renders to ~60 KB: 67 lines of ~900 characters).
   * The label sets are those present when iteration starts; values are read as each chunk is produced, so a
   * consumer that lets the simulator run between chunks sees later values in later chunks (Envoy's own handler
   * does not freeze its stats either).
   */
  *prometheusTextChunks(chunkChars = 1 << 16): Generator<string, void, undefined> {
    const series = this.series.slice();
    let out = `# TYPE ${REQUESTS_TOTAL} counter\n`;
    for (const s of series) {
      out += `${REQUESTS_TOTAL}{${s.labelText}} ${s.requests}\n`;
      if (out.length >= chunkChars) {
        yield out;
        out = "";
      }
    }
    for (const name of HISTOGRAM_NAMES) {
      out += `# TYPE ${name} histogram\n`;
      for (const s of series) {
        out += renderHistogram(name, s.labelText, s.histograms[name]);
        if (out.length >= chunkChars) {
          yield out;
          out = "";
        }
      }
    }
    if (out.length > 0) yield out;
  }

  renderPrometheusText(): string {
    return [...this.prometheusTextChunks()].join("");
  }

  /** Every sample as Prometheus would store it from one scrape at `timestampMs` (for tests and small meshes). */
  collectSeries(timestampMs: number): CollectedSample[] {
    const out: CollectedSample[] = [];
    for (const s of this.series) {
      out.push({ labels: { __name__: REQUESTS_TOTAL, ...s.labels }, value: s.requests, timestampMs });
    }
    for (const name of HISTOGRAM_NAMES) {
      for (const s of this.series) {
        const h = s.histograms[name];
        LE_STRINGS.forEach((le, i) => {
          out.push({ labels: { __name__: `${name}_bucket`, ...s.labels, le }, value: h.cumulative(i), timestampMs });
        });
        out.push({ labels: { __name__: `${name}_sum`, ...s.labels }, value: h.sum, timestampMs });
        out.push({ labels: { __name__: `${name}_count`, ...s.labels }, value: h.count, timestampMs });
      }
    }
    return out;
  }

  /**
   * Snappy-compressed remote-write bodies holding every sample at `timestampMs`, about `seriesPerRequest` series
   * each (Prometheus' own sender batches 2,000 per request by default: `queue_config.max_samples_per_send`); a
   * histogram's 22 series are never split across bodies.
   * Label fields are encoded once per label set and reused on every push. Lazy, like `prometheusTextChunks`: a
   * pusher that awaits each request lets the simulator and other I/O run between bodies.
   */
  *remoteWriteBodies(timestampMs: number, seriesPerRequest = 2000): Generator<Uint8Array, void, undefined> {
    const builder = new WriteRequestBuilder(1 << 20);
    const add = (name: string, s: Series, le: Uint8Array | null, value: number) => {
      const rw = remoteWritePieces(s);
      const pieces = le ? [namePiece(name), rw.before, le, rw.after] : [namePiece(name), rw.before, rw.after];
      builder.addSeries(pieces, value, timestampMs);
    };
    const series = this.series.slice();
    for (const s of series) {
      add(REQUESTS_TOTAL, s, null, s.requests);
      if (builder.seriesCount >= seriesPerRequest) yield builder.finish();
    }
    for (const name of HISTOGRAM_NAMES) {
      for (const s of series) {
        // A histogram's buckets, sum and count go out together, read at one moment, so a body never holds a
        // bucket count above its _count.
        const h = s.histograms[name];
        let cumulative = 0;
        LE_PIECES.forEach((le, i) => {
          cumulative += h.counts[i] ?? 0;
          add(`${name}_bucket`, s, le, cumulative);
        });
        add(`${name}_sum`, s, null, h.sum);
        add(`${name}_count`, s, null, h.count);
        if (builder.seriesCount >= seriesPerRequest) yield builder.finish();
      }
    }
    if (builder.seriesCount > 0) yield builder.finish();
  }

  /** All of `remoteWriteBodies` at once. */
  encodeRemoteWrite(timestampMs: number, seriesPerRequest = 2000): Uint8Array[] {
    return [...this.remoteWriteBodies(timestampMs, seriesPerRequest)];
  }
}

function remoteWritePieces(s: Series): { before: Uint8Array; after: Uint8Array } {
  if (!s.remoteWrite) {
    s.remoteWrite = {
      before: encodeLabelPairs(LABELS_BEFORE_LE.map((name) => [name, s.labels[name]] as const)),
      after: encodeLabelPairs(LABELS_AFTER_LE.map((name) => [name, s.labels[name]] as const)),
    };
  }
  return s.remoteWrite;
}

function renderHistogram(name: string, labelText: string, h: Histogram): string {
  const bucketPrefix = `${name}_bucket{${labelText}`;
  let out = "";
  let cumulative = 0;
  for (let i = 0; i < LE_SUFFIXES.length; i++) {
    cumulative += h.counts[i] ?? 0;
    out += `${bucketPrefix}${LE_SUFFIXES[i]}${cumulative}\n`;
  }
  return `${out}${name}_sum{${labelText}} ${h.sum}\n${name}_count{${labelText}} ${h.count}\n`;
}
