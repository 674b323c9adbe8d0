// Local rate limit: an EnvoyFilter in the shape Istio documents (istio.md §4.3; the task "Enabling Rate Limits
// using Envoy", first local example), scoped to the service's pods by `workloadSelector`. Over the limit, the
// sidecar answers 429 with flag RL and the header `x-local-rate-limit: true`.
import { parseIstioDurationMs as parseDurationMs } from "../duration.js";
import type { EnvoyFilter, MeshObject } from "../objects.js";
import type { RateLimitBody } from "./body-schemas.js";
import { objectNamed } from "./lookup.js";
import { newMetadata, updatedMetadata } from "./metadata.js";
import { type Built, built, type WizardTarget } from "./target.js";

/** `<service>-local-ratelimit`: one filter per service, replaced (metadata kept) when it exists. */
export function rateLimitFilterName(service: string): string {
  return `${service}-local-ratelimit`;
}

export function buildRateLimit(t: WizardTarget, body: RateLimitBody): Built<MeshObject[]> {
  const name = rateLimitFilterName(t.service);
  const existing = objectNamed(t, "EnvoyFilter", name);
  const filter: EnvoyFilter = {
    apiVersion: "networking.istio.io/v1alpha3",
    kind: "EnvoyFilter",
    metadata:
      existing === undefined ? newMetadata(name, t.namespace, t.wizard) : updatedMetadata(existing.metadata, t.wizard),
    spec: {
      workloadSelector: { labels: { app: t.service } },
      configPatches: [
        {
          applyTo: "HTTP_FILTER",
          match: {
            context: "SIDECAR_INBOUND",
            listener: { filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } } },
          },
          patch: { operation: "INSERT_BEFORE", value: localRateLimitFilter(body) },
        },
      ],
    },
  };
  return built([filter]);
}

function localRateLimitFilter(body: RateLimitBody): Record<string, unknown> {
  const enabled = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: "HUNDRED" } });
  return {
    name: "envoy.filters.http.local_ratelimit",
    typed_config: {
      "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
      type_url: "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
      value: {
        stat_prefix: "http_local_rate_limiter",
        token_bucket: {
          max_tokens: body.maxTokens,
          tokens_per_fill: body.tokensPerFill,
          fill_interval: protoDuration(body.fillInterval),
        },
        filter_enabled: enabled("local_rate_limit_enabled"),
        filter_enforced: enabled("local_rate_limit_enforced"),
        response_headers_to_add: [{ append: false, header: { key: "x-local-rate-limit", value: "true" } }],
      },
    },
  };
}

/**
 * The value inside the TypedStruct is Envoy's proto3 JSON, where a Duration is seconds with an `s` suffix only
 * (`60s`, `0.5s`); Istio's Go-style `1m` is not accepted there, so the body's duration is converted.
 */
export function protoDuration(istioDuration: string): string {
  const ms = parseDurationMs(istioDuration) ?? 0;
  return `${ms / 1000}s`;
}
