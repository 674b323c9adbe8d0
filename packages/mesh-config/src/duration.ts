// Istio durations as authors write them in YAML. Istio decodes them through jsonpb, which accepts Go's
// `time.ParseDuration` syntax, and the apiserver's CEL `duration()` accepts the same (reference istio.md §4.1):
// a sequence of decimal numbers, each with an optional fraction and a unit, e.g. `5s`, `250ms`, `1.5s`, `1m30s`,
// `10us`. The single string `0` needs no unit. Units: ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h — no days.
//
// The ≥1ms and millisecond-precision rules are semantic checks (validation), not syntax: `0.5ms` parses here
// to 0.5 and the validator reports it.

const MS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  "\u00b5s": 1e-3,
  "\u03bcs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// Go's Duration is an int64 of nanoseconds (about 292 years); ParseDuration rejects anything longer.
const MAX_GO_DURATION_MS = 9_223_372_036_854.775;

// One component: digits with an optional fraction (`5`, `1.5`, `.5`, `5.`), then a unit. Go rejects a lone `.`;
// the lookahead requires at least one digit.
const COMPONENT = /(?=\.?\d)(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;

/**
 * Milliseconds in an Istio duration string, or `undefined` when Istio would not accept it. Fractions are kept
 * (`10us` → 0.01). A leading `+` is accepted as Go does; a negative duration is `undefined` because no Istio
 * duration field admits one.
 */
export function parseIstioDurationMs(s: string): number | undefined {
  const body = s.startsWith("+") ? s.slice(1) : s;
  if (body === "0") return 0;
  if (body === "") return undefined;
  let total = 0;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < body.length) {
    const m = COMPONENT.exec(body);
    if (m === null) return undefined;
    const [, whole = "", fraction = "", unit = ""] = m;
    const perUnit = MS_PER_UNIT[unit];
    if (perUnit === undefined) return undefined;
    total += Number(`${whole === "" ? "0" : whole}.${fraction === "" ? "0" : fraction}`) * perUnit;
  }
  return total <= MAX_GO_DURATION_MS ? total : undefined;
}
