// Conformance against Istio's own samples in ../shared/fixtures/istio (see its README). A fresh clone has no
// ../shared; the core behaviour is covered by parse-yaml.test.ts with fixtures of its own.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseMeshYaml, stringifyMeshYaml } from "./parse-yaml.js";

const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/istio/", import.meta.url));
const present = existsSync(FIXTURES);
if (!present) console.warn(`Istio sample fixtures not found at ${FIXTURES}: skipping the Istio conformance tests`);

function samples(): [string, string][] {
  if (!present) return [];
  const networking = readdirSync(`${FIXTURES}bookinfo-networking`)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `bookinfo-networking/${f}`);
  return [...networking, "httpbin-circuit-breaker-destination-rule.yaml", "local-rate-limit-envoyfilter.yaml"].map(
    (f) => [f, readFileSync(`${FIXTURES}${f}`, "utf8")],
  );
}

describe.skipIf(!present)("Istio's sample configuration", () => {
  const files = samples();

  it("includes every Bookinfo networking sample, the circuit breaker and the rate limit filter", () => {
    expect(files.length).toBeGreaterThanOrEqual(23);
  });

  it.each(files)("parses %s without issues and round-trips it", (file, text) => {
    const first = parseMeshYaml(text, { defaultNamespace: "bookinfo", source: file });
    expect(first.errors).toEqual([]);
    const documents = text.split(/^---\s*$/m).filter((d) => /^kind:/m.test(d)).length;
    expect(first.objects).toHaveLength(documents);
    expect(parseMeshYaml(stringifyMeshYaml(first.objects))).toEqual(first);
  });

  it("reads the typed fields of the circuit breaker as numbers and duration strings", () => {
    const [, text] = files.find(([f]) => f.startsWith("httpbin-circuit")) ?? ["", ""];
    const [dr] = parseMeshYaml(text).objects;
    expect(dr?.kind).toBe("DestinationRule");
    if (dr?.kind !== "DestinationRule") return;
    expect(dr.spec.trafficPolicy?.connectionPool).toEqual({
      tcp: { maxConnections: 1 },
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
    });
    expect(dr.spec.trafficPolicy?.outlierDetection?.baseEjectionTime).toBe("3m");
  });

  it("keeps the namespace written in the rate limit filter", () => {
    const [, text] = files.find(([f]) => f.startsWith("local-rate-limit")) ?? ["", ""];
    const [filter] = parseMeshYaml(text, { defaultNamespace: "bookinfo" }).objects;
    expect(filter?.metadata.namespace).toBe("istio-system");
    expect(filter?.kind).toBe("EnvoyFilter");
  });
});
