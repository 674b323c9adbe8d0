/**
 * Parsers for the human-friendly values of flags, environment variables and the YAML file: durations (`7d`,
 * `15s`, `250ms`, `1h30m`) and byte sizes (`16MiB`, `64mb`, `1048576`). Each returns null when the text is not
 * one, so the caller can name the flag or variable in its message.
 */

const DURATION_UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A Go-style duration with the day and week units added (retention is naturally said in days): one or more
 * `<number><unit>` groups. A bare number is refused: `15` could mean seconds or milliseconds. */
export function parseDurationMs(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return null;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    const factor = DURATION_UNIT_MS[m[2] ?? ""];
    if (factor === undefined) return null;
    total += Number(m[1]) * factor;
  }
  return Math.round(total);
}

const SIZE_UNIT_BYTES: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1_000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1_000_000,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1_000_000_000,
  gib: 1024 ** 3,
};

/** Bytes: a plain integer, or a number with a unit (`KB`/`MB`/`GB` are powers of 1000, `KiB`/`MiB`/`GiB` and
 * the bare `k`/`m`/`g` powers of 1024), case-insensitive. */
export function parseByteSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!m) return null;
  const factor = SIZE_UNIT_BYTES[(m[2] ?? "").toLowerCase()];
  if (factor === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Prints a duration back in the largest unit that divides it, for logs and `--help`. */
export function formatDurationMs(ms: number): string {
  for (const [unit, factor] of [
    ["w", 604_800_000],
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ] as const) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
