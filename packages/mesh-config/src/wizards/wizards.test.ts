// Every wizard against the rest of the package: its objects survive YAML and pass Istio's schema and the
// semantic checks, alone and composed with the other wizards' objects.
import { WIZARDS, type WizardName } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import type { MeshObject } from "../objects.js";
import { parseMeshYaml, stringifyMeshYaml } from "../parse-yaml.js";
import { checkIstioSchema, validateMeshObjects } from "../validate/index.js";
import type { KnownWorkload } from "../validate/types.js";
import { WIZARD_BODY_SCHEMAS } from "./body-schemas.js";
import { bookinfo, build, problems, target } from "./bookinfo.testing.js";

const BODIES: Record<WizardName, object> = {
  "traffic-shifting": {
    ...target,
    weights: [
      { version: "v1", weight: 80 },
      { version: "v3", weight: 20 },
    ],
    mirror: { version: "v2", percentage: { value: 5 } },
  },
  "request-routing": {
    ...target,
    rules: [{ match: { headers: { "end-user": { exact: "jason" } }, uri: { prefix: "/reviews" } }, version: "v2" }],
    defaultVersion: "v1",
  },
  "fault-injection": {
    ...target,
    delay: { percentage: { value: 10 }, fixedDelay: "5s" },
    abort: { percentage: { value: 50 }, httpStatus: 500 },
  },
  "timeouts-retries": { ...target, timeout: "2s", retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,503" } },
  "circuit-breaker": {
    ...target,
    connectionPool: { tcp: { maxConnections: 1, connectTimeout: "30ms" }, http: { http1MaxPendingRequests: 1 } },
    outlierDetection: { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "3m", maxEjectionPercent: 100 },
  },
  mirroring: { ...target, version: "v1", mirror: { version: "v2" }, percentage: { value: 10 } },
  "rate-limit": { ...target, maxTokens: 10, tokensPerFill: 5, fillInterval: "1m" },
  mtls: { ...target, mode: "STRICT" },
  "access-control": {
    ...target,
    action: "DENY",
    rules: [{ from: { namespaces: ["untrusted"] }, to: { methods: ["POST", "DELETE"], paths: ["/admin*"] } }],
  },
};

const WORKLOADS: KnownWorkload[] = ["v1", "v2", "v3"].map((v) => ({
  namespace: "bookinfo",
  name: `reviews-${v}`,
  labels: { app: "reviews", version: v },
}));
const SERVICES = [{ namespace: "bookinfo", name: "reviews" }];

function errorsOf(objects: MeshObject[], existing: MeshObject[] = []) {
  return validateMeshObjects(objects, { existing, workloads: WORKLOADS, services: SERVICES }).flatMap((v) =>
    v.messages.filter((m) => m.severity === "error").map((m) => ({ ...v.ref, ...m })),
  );
}

describe.each(WIZARDS)("the %s wizard", (wizard) => {
  const objects = build(wizard, BODIES[wizard]);

  it("writes objects that read back equal from their YAML", () => {
    expect(objects.length).toBeGreaterThan(0);
    const parsed = parseMeshYaml(stringifyMeshYaml(objects));
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects).toEqual(objects);
  });

  it("writes objects Istio's CRD schema accepts, unknown fields included", () => {
    expect(objects.flatMap((o) => checkIstioSchema(o))).toEqual([]);
  });

  it("writes objects with no validation errors", () => {
    expect(errorsOf(objects)).toEqual([]);
  });

  it("writes objects with no validation errors on top of every other wizard's objects", () => {
    let mesh: MeshObject[] = [];
    for (const other of WIZARDS.filter((w) => w !== wizard)) {
      const result = build(other, mirroringAfter(other), bookinfo(mesh));
      mesh = [...mesh.filter((o) => !result.some((r) => sameRef(r, o))), ...result];
    }
    const composed = build(wizard, mirroringAfter(wizard), bookinfo(mesh));
    expect(errorsOf(composed, mesh)).toEqual([]);
  });

  it("rejects an unknown top-level key and a missing service", () => {
    const body: Record<string, unknown> = { ...BODIES[wizard], colour: "blue" };
    delete body.service;
    expect(problems(wizard, body)).toEqual(
      expect.arrayContaining([
        { path: "", message: 'Unrecognized key: "colour"' },
        { path: "service", message: "required field is missing" },
      ]),
    );
  });

  it("has a body schema that accepts its own example", () => {
    expect(WIZARD_BODY_SCHEMAS[wizard].safeParse(BODIES[wizard]).success).toBe(true);
  });
});

// On top of the others' objects every version already receives traffic (the canary routes v1 and v3, request
// routing sends jason to v2): mirror v3 while the default route goes to v1 only, as a person would there.
function mirroringAfter(wizard: WizardName): object {
  return wizard === "mirroring"
    ? { ...target, version: "v1", mirror: { version: "v3" }, percentage: { value: 10 } }
    : BODIES[wizard];
}

function sameRef(a: MeshObject, b: MeshObject): boolean {
  return a.kind === b.kind && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

describe("buildWizard", () => {
  it("refuses a body that is not an object", () => {
    expect(problems("mtls", "STRICT")).toEqual([
      { path: "", message: "Invalid input: expected object, received string" },
    ]);
  });

  it("refuses a service name that is not a DNS label", () => {
    expect(problems("mtls", { namespace: "bookinfo", service: "Reviews!", mode: "STRICT" })).toEqual([
      { path: "service", message: 'service must be a DNS-1123 label (lower-case letters, digits and "-")' },
    ]);
  });
});
