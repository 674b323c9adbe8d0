/**
 * Number syntax of the text exposition format 0.0.4: values are Go `ParseFloat` numbers, which adds `NaN`, `Inf`,
 * `+Inf`, `-Inf` (any case, also spelled `Infinity`) to decimal floats; timestamps are int64 milliseconds.
 * JS `Number()` alone is too lenient (`Number("") === 0`, `Number("0x10") === 16`, `Number(" 1") === 1`), so the
 * token is checked first. Hexadecimal floats, which Go also accepts, are not produced by any exporter we target.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** The value, or undefined when the token is not a valid float. */
export function parsePrometheusFloat(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case "nan":
      return Number.NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Number.POSITIVE_INFINITY;
    case "-inf":
    case "-infinity":
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Milliseconds since epoch, or undefined when not an integer a JS number holds exactly. */
export function parseTimestampToken(token: string): number | undefined {
  if (!INTEGER.test(token)) return undefined;
  const ms = Number(token);
  return Number.isSafeInteger(ms) ? ms : undefined;
}
