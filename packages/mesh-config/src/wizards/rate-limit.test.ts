import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { EnvoyFilter } from "../objects.js";
import { parseMeshYaml } from "../parse-yaml.js";
import { bookinfo, build, MANAGED, problems } from "./bookinfo.testing.js";

// Istio's documented local rate limit (see ../shared/fixtures/istio/README.md); absent in a fresh clone.
const SAMPLE = fileURLToPath(
  new URL("../../../../../shared/fixtures/istio/local-rate-limit-envoyfilter.yaml", import.meta.url),
);
const samplePresent = existsSync(SAMPLE);
if (!samplePresent) console.warn(`${SAMPLE} not found: skipping the comparison with Istio's rate limit sample`);

const productpage = {
  namespace: "bookinfo",
  service: "productpage",
  maxTokens: 4,
  tokensPerFill: 4,
  fillInterval: "60s",
};

describe("the rate-limit wizard", () => {
  it("writes an EnvoyFilter named after the service that selects its pods", () => {
    const [filter] = build("rate-limit", productpage);
    expect(filter?.apiVersion).toBe("networking.istio.io/v1alpha3");
    expect(filter?.metadata).toEqual({
      name: "productpage-local-ratelimit",
      namespace: "bookinfo",
      labels: MANAGED("rate-limit"),
    });
    expect(filter?.kind === "EnvoyFilter" && filter.spec.workloadSelector).toEqual({ labels: { app: "productpage" } });
  });

  it.skipIf(!samplePresent)("writes the same spec as Istio's local rate limit task for the same limits", () => {
    const [sample] = parseMeshYaml(samplePresent ? readFileSync(SAMPLE, "utf8") : "").objects;
    const [filter] = build("rate-limit", productpage);
    expect(filter?.spec).toEqual(sample?.spec);
  });

  it("writes the fill interval as a protobuf duration in seconds, which Envoy's JSON requires", () => {
    const patch = (fillInterval: string) => {
      const [filter] = build("rate-limit", { ...productpage, fillInterval });
      const value = filter?.kind === "EnvoyFilter" ? filter.spec.configPatches?.[0]?.patch?.value : undefined;
      return JSON.stringify(value).match(/"fill_interval":"([^"]+)"/)?.[1];
    };
    expect(patch("1m")).toBe("60s");
    expect(patch("500ms")).toBe("0.5s");
  });

  it("replaces the spec of its earlier filter and keeps that filter's metadata", () => {
    const [first] = build("rate-limit", productpage);
    if (first?.kind !== "EnvoyFilter") return expect.fail("expected an EnvoyFilter");
    const stored: EnvoyFilter = { ...first, metadata: { ...first.metadata, resourceVersion: "7" } };
    const [second] = build("rate-limit", { ...productpage, maxTokens: 100 }, bookinfo([stored]));
    expect(second?.metadata.resourceVersion).toBe("7");
    expect(JSON.stringify(second?.spec)).toContain('"max_tokens":100');
  });

  it("refuses a fill interval Envoy would reject and a bucket of zero tokens", () => {
    expect(problems("rate-limit", { ...productpage, maxTokens: 0, fillInterval: "10ms" })).toEqual([
      { path: "maxTokens", message: "must be at least 1" },
      { path: "fillInterval", message: "Envoy needs a fill interval of at least 50ms" },
    ]);
  });
});
