import { HASH, OPEN_BRACE } from "./char-classes.js";
import { LineError, LineScanner, unescapeHelp } from "./line-scanner.js";
import { parsePrometheusFloat, parseTimestampToken } from "./parse-value.js";

/**
 * Parser for the Prometheus text exposition format 0.0.4 (prometheus/docs `content/docs/instrumenting/
 * exposition_formats.md`), what Envoy serves at `:15090/stats/prometheus` and pilot-agent at `:15020`.
 *
 * Line oriented and forgiving per line: a malformed line becomes an entry in `errors` (1-based line number and the
 * reason) and parsing continues with the next line, so one bad exporter line does not cost the whole scrape.
 * Where the format is loose, the choices follow Prometheus' own scrape parser (promparse), because the metrics
 * must agree with what a Prometheus scraping the same target would store.
 */
export type PrometheusMetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface PrometheusSample {
  /** Series name as written, e.g. `istio_request_duration_milliseconds_bucket`. */
  name: string;
  /**
   * Null-prototype object. Labels with an empty value are left out, as Prometheus does (`grpc_response_status=""`
   * on Istio's HTTP series is absent here). Histogram buckets keep `le` as the exporter wrote it ("+Inf", "0.5").
   */
  labels: Record<string, string>;
  /** May be NaN or ±Infinity. */
  value: number;
  /** Milliseconds since epoch when the line carries one; null means "the scrape time". */
  timestampMs: number | null;
}

export interface PrometheusLineError {
  /** 1-based line number in the scraped text. */
  line: number;
  message: string;
}

export interface PrometheusTextResult {
  samples: PrometheusSample[];
  /** From `# TYPE` lines, keyed by metric family name (`istio_request_duration_milliseconds`, not `_bucket`). */
  types: Record<string, PrometheusMetricType>;
  /** From `# HELP` lines, unescaped. */
  help: Record<string, string>;
  errors: PrometheusLineError[];
  /** True when `maxSeries` stopped the parse; the samples before the limit are kept. */
  truncated: boolean;
}

export interface ParsePrometheusTextOptions {
  /** Keep at most this many samples, then stop (like Prometheus' `sample_limit`, but keeping what was read). */
  maxSeries?: number;
  /** Record at most this many line errors individually; the rest are summarised in one final entry. Default 100. */
  maxErrors?: number;
}

const METRIC_TYPES: ReadonlySet<string> = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string, opts?: ParsePrometheusTextOptions): PrometheusTextResult {
  const maxSeries = opts?.maxSeries ?? Number.POSITIVE_INFINITY;
  const maxErrors = opts?.maxErrors ?? 100;
  const result: PrometheusTextResult = {
    samples: [],
    types: Object.create(null),
    help: Object.create(null),
    errors: [],
    truncated: false,
  };
  const scanner = new LineScanner(text);
  let unlisted = 0;
  let firstUnlisted = 0;
  let line = 0;

  for (let pos = 0; pos < text.length; ) {
    let nl = text.indexOf("\n", pos);
    if (nl === -1) nl = text.length;
    line++;
    // Tolerate CRLF line ends: a stray `\r` would otherwise end up in the value or timestamp token.
    const end = nl > pos && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    scanner.at(pos, end);
    pos = nl + 1;
    try {
      scanner.skipBlanks();
      if (scanner.atEnd()) continue;
      if (scanner.peek() === HASH) {
        parseComment(scanner, result);
        continue;
      }
      const sample = parseSample(scanner);
      checkSeriesShape(sample, result.types);
      if (result.samples.length >= maxSeries) {
        result.truncated = true;
        result.errors.push({
          line,
          message: `series limit of ${maxSeries} reached; the rest of the scrape is ignored`,
        });
        break;
      }
      result.samples.push(sample);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      if (result.errors.length < maxErrors) {
        result.errors.push({ line, message: err.message });
      } else {
        if (unlisted === 0) firstUnlisted = line;
        unlisted++;
      }
    }
  }
  if (unlisted > 0) {
    result.errors.push({ line: firstUnlisted, message: `${unlisted} more malformed lines from here on, not listed` });
  }
  return result;
}

function parseSample(s: LineScanner): PrometheusSample {
  const name = s.metricName();
  if (name === "") throw new LineError(`invalid metric name at column ${s.column()}`);
  const blanks = s.skipBlanks();
  let labels: Record<string, string>;
  if (s.peek() === OPEN_BRACE) {
    labels = s.labels();
    s.skipBlanks();
  } else {
    if (blanks === 0) throw new LineError(`unexpected character after metric name "${name}" at column ${s.column()}`);
    labels = Object.create(null);
  }
  const valueToken = s.word();
  if (valueToken === "") throw new LineError(`missing value for "${name}"`);
  const value = parsePrometheusFloat(valueToken);
  if (value === undefined) throw new LineError(`invalid value "${clip(valueToken)}" for "${name}"`);
  s.skipBlanks();
  let timestampMs: number | null = null;
  if (!s.atEnd()) {
    const tsToken = s.word();
    timestampMs = parseTimestampToken(tsToken) ?? null;
    if (timestampMs === null) throw new LineError(`invalid timestamp "${clip(tsToken)}" for "${name}"`);
    s.skipBlanks();
    if (!s.atEnd()) throw new LineError(`unexpected text after the timestamp at column ${s.column()}`);
  }
  return { name, labels, value, timestampMs };
}

/**
 * Histogram buckets must carry a parseable `le` and summary quantiles a parseable `quantile`: the rollups read
 * the bounds from these labels (never from a hard-coded list), so a line without one is useless and is reported.
 */
function checkSeriesShape(sample: PrometheusSample, types: Record<string, PrometheusMetricType>): void {
  const { name, labels } = sample;
  if (name.endsWith("_bucket") && types[name.slice(0, -7)] === "histogram") {
    const le = labels.le;
    if (le === undefined || parsePrometheusFloat(le) === undefined) {
      throw new LineError(`histogram bucket "${name}" has no valid "le" label`);
    }
  } else if (types[name] === "summary" && labels.quantile !== undefined) {
    if (parsePrometheusFloat(labels.quantile) === undefined) {
      throw new LineError(`summary "${name}" has an invalid "quantile" label`);
    }
  }
}

/** `# HELP name text`, `# TYPE name type`; any other `#` line is a plain comment (including OpenMetrics `# EOF`). */
function parseComment(s: LineScanner, out: PrometheusTextResult): void {
  s.pos++; // the `#`
  s.skipBlanks();
  const keyword = s.word();
  if (keyword !== "HELP" && keyword !== "TYPE") return;
  if (s.skipBlanks() === 0) throw new LineError(`# ${keyword} without a metric name`);
  const name = s.metricName();
  const after = s.peek();
  if (name === "" || (after !== -1 && after !== 0x20 && after !== 0x09)) {
    throw new LineError(`invalid metric name in # ${keyword} at column ${s.column()}`);
  }
  s.skipBlanks();
  if (keyword === "HELP") {
    out.help[name] = unescapeHelp(s.text.slice(s.pos, s.end));
    return;
  }
  const type = s.word();
  s.skipBlanks();
  if (!isMetricType(type) || !s.atEnd()) {
    throw new LineError(`unknown metric type "${clip(type)}" for "${name}"`);
  }
  const previous = out.types[name];
  if (previous !== undefined && previous !== type) {
    throw new LineError(`second # TYPE for "${name}" (${type}) conflicts with ${previous}; the first is kept`);
  }
  out.types[name] = type;
}

function isMetricType(word: string): word is PrometheusMetricType {
  return METRIC_TYPES.has(word);
}

function clip(token: string): string {
  return token.length > 64 ? `${token.slice(0, 64)}…` : token;
}
