/**
 * `1234567` → `1,234,567`: the console's counts and rounded rates, grouped as `toLocaleString("en-US")` groups them
 * (a fraction, if any, is kept as `String` writes it). Not `toLocaleString` itself: its first call in a page loads
 * the ICU locale data, ~35–40 ms of the main thread while a big trace's first rows or the first graph are drawn
 * (bench/ui-trace.ts and bench/ui-graph.ts CPU profiles).
 */
export function groupThousands(n: number): string {
  const text = String(n);
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (dot < 0 ? "" : text.slice(dot));
}
