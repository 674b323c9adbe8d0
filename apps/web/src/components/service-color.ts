/**
 * A stable colour per service name, so one service has the same colour in the search results, the span tree and
 * (later) the graph. FNV-1a over the name picks from a fixed qualitative palette (Grafana's classic series
 * colours, which read on both the light and the dark background). Reds are left out on purpose: red means error.
 */
const PALETTE = [
  "#7eb26d",
  "#eab839",
  "#6ed0e0",
  "#ef843c",
  "#1f78c1",
  "#ba43a9",
  "#705da0",
  "#508642",
  "#cca300",
  "#447ebc",
  "#c15c17",
  "#3fb8a7",
  "#d683ce",
  "#8ab8ff",
] as const;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function serviceColor(name: string): string {
  return PALETTE[fnv1a(name) % PALETTE.length] ?? PALETTE[0];
}
