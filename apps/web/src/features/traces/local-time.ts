/**
 * `<input type="datetime-local">` speaks wall-clock text in the browser's time zone (`2026-11-26T14:05:30`);
 * the URL and the API speak µs since the epoch. Jaeger's custom range is browser-local too (jaeger.md §1.2).
 */

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** µs text (as in the URL) → the input's value; "" when the text is not µs. */
export function usToLocalInput(us: string): string {
  if (!/^\d+$/.test(us.trim())) return "";
  const d = new Date(Math.floor(Number(us) / 1_000));
  if (Number.isNaN(d.getTime())) return "";
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${day}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The input's value → µs text; "" when the input is empty or not a date. */
export function localInputToUs(value: string): string {
  if (value.trim() === "") return "";
  // Date parses `YYYY-MM-DDTHH:mm[:ss]` without a zone as local time (ECMA-262 Date Time String Format).
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? "" : String(ms * 1_000);
}
