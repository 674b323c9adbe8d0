/**
 * Traffic-shifting weights as linked sliders: integers 0–100 per version that always sum to exactly 100. Kiali
 * refuses a form whose weights do not sum to 100 (kiali.md §3.3); here the form cannot get there at all, because
 * moving one weight rebalances the others in proportion to what they had.
 */

export interface VersionWeight {
  version: string;
  /** Integer percent, 0–100. */
  weight: number;
}

export const TOTAL = 100;

function clampPercent(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(TOTAL, Math.max(0, Math.round(value)));
}

/**
 * Integers proportional to `shares` that sum to `total` (largest-remainder method). Equal shares when all are 0,
 * so a remainder always lands somewhere; ties go to the earlier entry, so the result is stable.
 */
export function apportion(shares: readonly number[], total: number): number[] {
  if (shares.length === 0) return [];
  const sum = shares.reduce((a, b) => a + b, 0);
  const basis = sum > 0 ? shares : shares.map(() => 1);
  const basisSum = sum > 0 ? sum : shares.length;
  const exact = basis.map((s) => (s * total) / basisSum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    result[i] = (result[i] ?? 0) + 1;
    left--;
  }
  return result;
}

/** Kiali's default: an even split, the remainder to the last version (three versions: 33/33/34). */
export function evenWeights(versions: readonly string[]): VersionWeight[] {
  const base = versions.length > 0 ? Math.floor(TOTAL / versions.length) : 0;
  return versions.map((version, i) => ({
    version,
    weight: i === versions.length - 1 ? TOTAL - base * (versions.length - 1) : base,
  }));
}

/**
 * Sets one version's weight and rebalances the others proportionally, keeping the sum at 100. Versions in `fixed`
 * (a mirrored version pinned at 0) keep their weight and are not given any of the remainder, unless nothing else
 * can take it. A single version always carries 100.
 */
export function setWeight(
  weights: readonly VersionWeight[],
  version: string,
  value: number,
  fixed: ReadonlySet<string> = new Set(),
): VersionWeight[] {
  const index = weights.findIndex((w) => w.version === version);
  if (index < 0) return [...weights];
  const others = weights.map((w, i) => ({ ...w, i })).filter((w) => w.i !== index && !fixed.has(w.version));
  if (others.length === 0) return weights.map((w, i) => ({ ...w, weight: i === index ? TOTAL : 0 }));
  const pinned = weights.filter((w, i) => i !== index && fixed.has(w.version)).reduce((sum, w) => sum + w.weight, 0);
  const target = Math.min(clampPercent(value), TOTAL - pinned);
  const shares = apportion(
    others.map((w) => w.weight),
    TOTAL - pinned - target,
  );
  const next = weights.map((w) => ({ ...w }));
  const at = next[index];
  if (at) at.weight = target;
  others.forEach((w, k) => {
    const row = next[w.i];
    if (row) row.weight = shares[k] ?? 0;
  });
  return next;
}

export function totalWeight(weights: readonly VersionWeight[]): number {
  return weights.reduce((sum, w) => sum + w.weight, 0);
}
