// Envoy's local rate limit filter as Istio documents it through an EnvoyFilter (istio.md §4.3): an HTTP filter
// patched into SIDECAR_INBOUND with a token bucket per proxy (i.e. per pod). A request finding the bucket empty
// gets 429 with flag RL from the server-side proxy (reporter="destination").

import { type EnvoyFilterSpec, parseIstioDurationMs } from "@meshscope/mesh-config";

const LOCAL_RATE_LIMIT = "envoy.filters.http.local_ratelimit";

export interface TokenBucketConfig {
  maxTokens: number;
  tokensPerFill: number;
  fillIntervalMs: number;
  /** Share of requests the filter looks at (`filter_enabled`; Envoy's default is 0 %, "for safety"). */
  enabledShare: number;
  /** Share of limited requests actually rejected (`filter_enforced`; default 0 %: only counted). */
  enforcedShare: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A field under its proto name or its JSON (lowerCamel) name: protobuf JSON accepts both. */
function field(o: Record<string, unknown>, snake: string): unknown {
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return o[snake] ?? o[camel];
}

function num(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

function durationMs(x: unknown): number | undefined {
  if (typeof x === "string") return parseIstioDurationMs(x);
  // google.protobuf.Duration written as an object ({seconds, nanos}) rather than its JSON string form.
  if (isRecord(x)) return (num(x.seconds) ?? 0) * 1000 + (num(x.nanos) ?? 0) / 1e6;
  return undefined;
}

const DENOMINATORS: Readonly<Record<string, number>> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** envoy.config.core.v3.RuntimeFractionalPercent → share 0–1; absent = 0 (Envoy's local_ratelimit default). */
function fractionalShare(x: unknown): number {
  if (!isRecord(x)) return 0;
  const dv = field(x, "default_value");
  if (!isRecord(dv)) return 0;
  const numerator = num(dv.numerator) ?? 0;
  const denominator = DENOMINATORS[typeof dv.denominator === "string" ? dv.denominator : "HUNDRED"] ?? 100;
  return Math.min(1, Math.max(0, numerator / denominator));
}

/** The LocalRateLimit message inside `typed_config`, direct or wrapped in a udpa/xds TypedStruct. */
function localRateLimitConfig(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value) || value.name !== LOCAL_RATE_LIMIT) return undefined;
  const typed = field(value, "typed_config");
  if (!isRecord(typed)) return undefined;
  const inner = typed.value;
  return isRecord(inner) && field(typed, "type_url") !== undefined ? inner : typed;
}

/** The token bucket of the first local rate limit patch on SIDECAR_INBOUND, or undefined. */
export function parseRateLimitFilter(spec: EnvoyFilterSpec): TokenBucketConfig | undefined {
  for (const patch of spec.configPatches ?? []) {
    if (patch.applyTo !== "HTTP_FILTER") continue;
    const context = patch.match?.context ?? "ANY";
    if (context !== "SIDECAR_INBOUND" && context !== "ANY") continue;
    const config = localRateLimitConfig(patch.patch?.value);
    const bucket = config ? field(config, "token_bucket") : undefined;
    if (!config || !isRecord(bucket)) continue;
    const maxTokens = num(field(bucket, "max_tokens"));
    const fillIntervalMs = durationMs(field(bucket, "fill_interval"));
    if (maxTokens === undefined || fillIntervalMs === undefined || fillIntervalMs <= 0) continue;
    return {
      maxTokens,
      // TokenBucket.tokens_per_fill defaults to 1 (envoy/type/v3/token_bucket.proto).
      tokensPerFill: num(field(bucket, "tokens_per_fill")) ?? 1,
      fillIntervalMs,
      enabledShare: fractionalShare(field(config, "filter_enabled")),
      enforcedShare: fractionalShare(field(config, "filter_enforced")),
    };
  }
  return undefined;
}

/**
 * One bucket per pod. Envoy starts it full and adds `tokensPerFill` on a timer every `fillIntervalMs`; fills are
 * counted from the epoch so the answer depends only on the virtual time of the request.
 */
export class TokenBuckets {
  private readonly state = new Map<number, { tokens: number; fillIndex: number }>();

  take(podKey: number, config: TokenBucketConfig, atMs: number): boolean {
    const fillIndex = Math.floor(atMs / config.fillIntervalMs);
    let s = this.state.get(podKey);
    if (!s) {
      s = { tokens: config.maxTokens, fillIndex };
      this.state.set(podKey, s);
    } else if (fillIndex > s.fillIndex) {
      s.tokens = Math.min(config.maxTokens, s.tokens + (fillIndex - s.fillIndex) * config.tokensPerFill);
      s.fillIndex = fillIndex;
    }
    if (s.tokens >= 1) {
      s.tokens -= 1;
      return true;
    }
    return false;
  }
}
