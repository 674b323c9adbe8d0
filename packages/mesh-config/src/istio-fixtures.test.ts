// Conformance against Istio's own samples in ../shared/fixtures/istio (see its README). A fresh clone has no
// ../shared; the core behaviour is covered by parse-yaml.test.ts with fixtures of its own.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseMeshYaml, stringifyMeshYaml } from "./parse-yaml.js";
import { validateMeshObjects } from "./validate/index.js";

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

describe.skipIf(!present)("validation of Istio's sample configuration", () => {
  const files = samples();
  // Bookinfo's task pages apply destination-rule-all.yaml before any of the routing files: it is what the target
  // already holds when each file is validated.
  const [, subsetsText] = files.find(([f]) => f.endsWith("/destination-rule-all.yaml")) ?? ["", ""];
  const existing = parseMeshYaml(subsetsText, { defaultNamespace: "bookinfo" }).objects;

  function findingsOf(text: string): string[] {
    const { objects } = parseMeshYaml(text, { defaultNamespace: "bookinfo" });
    return validateMeshObjects(objects, { existing }).flatMap((r) =>
      r.messages.map((m) => `${r.ref.kind}/${r.ref.name} ${m.severity} ${m.code} ${m.path}`),
    );
  }

  it.each(files.filter(([f]) => !f.endsWith("fault-injection-details-v1.yaml")))(
    "finds nothing wrong in %s",
    (_file, text) => {
      expect(findingsOf(text)).toEqual([]);
    },
  );

  it("flags the second rule of fault-injection-details-v1.yaml as unreachable, and nothing else", () => {
    const [, text] = files.find(([f]) => f.endsWith("fault-injection-details-v1.yaml")) ?? ["", ""];
    expect(findingsOf(text)).toEqual(["VirtualService/details warning MS0103 spec.http[1]"]);
  });

  it("finds the missing subsets when the routing files are validated without destination-rule-all.yaml", () => {
    const [, text] = files.find(([f]) => f.endsWith("virtual-service-reviews-90-10.yaml")) ?? ["", ""];
    const { objects } = parseMeshYaml(text, { defaultNamespace: "bookinfo" });
    const messages = validateMeshObjects(objects).flatMap((r) => r.messages);
    expect(messages.map((m) => `${m.code} ${m.path}`)).toEqual([
      "MS0101 spec.http[0].route[0].destination.subset",
      "MS0101 spec.http[0].route[1].destination.subset",
    ]);
  });
});
