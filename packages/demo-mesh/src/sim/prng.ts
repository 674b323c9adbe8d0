// A small seeded PRNG (sfc32, seeded through splitmix32) and the distributions the simulator draws from.
// Math.random cannot be seeded; the simulator's promise is "same seed, same output", so every random choice goes
// through one of these generators, in an order that depends only on the seed and the request sequence.

/** Seeded random source: uniform floats in [0, 1) and the distributions built on them. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the 128-bit sfc32 state, so seeds 1 and 2 diverge at once.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): 32 random bits. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** True with probability `p` (0–1). */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** Exponential with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Standard normal (Box–Muller; one draw per call keeps the draw count easy to reason about). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lower-case hex string of `chars` characters (trace ids 32, span ids 16). */
  hex(chars: number): string {
    let out = "";
    while (out.length < chars) out += this.uint32().toString(16).padStart(8, "0");
    return out.slice(0, chars);
  }

  /** An RFC 4122 version-4 shaped UUID, as Envoy generates `x-request-id`. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// z of the 99th percentile of the standard normal: for a log-normal, p99 = median · e^(σ·z99).
const Z99 = 2.3263478740408408;

/** Parameters of a log-normal from its median and 99th percentile (both > 0, p99 ≥ median). */
export function logNormalParams(medianMs: number, p99Ms: number): { mu: number; sigma: number } {
  const median = Math.max(medianMs, 1e-6);
  return { mu: Math.log(median), sigma: Math.log(Math.max(p99Ms, median) / median) / Z99 };
}

export function drawLogNormal(prng: Prng, params: { mu: number; sigma: number }): number {
  return Math.exp(params.mu + params.sigma * prng.normal());
}

/** A stable 32-bit FNV-1a hash: pod names and IPs derive from workload names, not from the PRNG sequence. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
