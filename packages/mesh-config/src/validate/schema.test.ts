import { describe, expect, it } from "vitest";
import { type CrdSchema, compactCrdSchema, walkCrdSchema } from "./crd-schema.js";
import { checkIstioSchema } from "./schema.js";

const REVIEWS_SPLIT = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo", labels: { "app.kubernetes.io/managed-by": "meshscope" } },
  spec: {
    hosts: ["reviews"],
    http: [
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: 90 },
          { destination: { host: "reviews", subset: "v3" }, weight: 10 },
        ],
        timeout: "5s",
        retries: { attempts: 2, perTryTimeout: "2s", retryOn: "5xx,connect-failure" },
      },
    ],
  },
};

/** A deep copy of REVIEWS_SPLIT changed by `edit`, so each case starts from the valid object. */
function splitWith(edit: (vs: typeof REVIEWS_SPLIT & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(REVIEWS_SPLIT);
  edit(copy);
  return copy;
}

function codesAndPaths(value: unknown): string[] {
  return checkIstioSchema(value).map((m) => `${m.code} ${m.path}`);
}

describe("checkIstioSchema", () => {
  it("accepts a valid VirtualService, DestinationRule and PeerAuthentication", () => {
    expect(checkIstioSchema(REVIEWS_SPLIT)).toEqual([]);
    const dr = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews" },
      spec: {
        host: "reviews",
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } }, tls: { mode: "ISTIO_MUTUAL" } },
        subsets: [{ name: "v1", labels: { version: "v1" } }],
      },
    };
    expect(checkIstioSchema(dr)).toEqual([]);
    const pa = {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: "istio-system" },
      spec: { mtls: { mode: "STRICT" } },
    };
    expect(checkIstioSchema(pa)).toEqual([]);
  });

  it("reports a typo in a field name as an unknown field with its path and a hint", () => {
    const typo = splitWith((vs) => {
      const [rule] = vs.spec.http;
      if (rule) Object.assign(rule, { rout: rule.route });
    });
    expect(checkIstioSchema(typo)).toEqual([
      {
        severity: "error",
        code: "MS0002",
        path: "spec.http[0].rout",
        message: 'unknown field "rout" (did you mean "route"?)',
      },
    ]);
  });

  it("reports unknown fields at the top level and in metadata, which the apiserver would drop", () => {
    const value = splitWith((vs) => {
      Object.assign(vs, { specs: {} });
      Object.assign(vs.metadata, { label: { a: "b" } });
    });
    expect(codesAndPaths(value)).toEqual(["MS0002 specs", "MS0002 metadata.label"]);
  });

  it("reports a string weight, a missing destination host, an unknown TLS mode and exclusive abort fields", () => {
    const vs = splitWith((v) => {
      const [rule] = v.spec.http;
      if (!rule) return;
      Object.assign(rule.route[0] ?? {}, { weight: "90" });
      Object.assign(rule.route[1] ?? {}, { destination: { subset: "v3" } });
      Object.assign(rule, { fault: { abort: { httpStatus: 500, grpcStatus: "UNAVAILABLE" } } });
    });
    expect(codesAndPaths(vs)).toEqual([
      "MS0003 spec.http[0].route[0].weight",
      "MS0004 spec.http[0].route[1].destination.host",
      "MS0007 spec.http[0].fault.abort",
    ]);
    const dr = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews" },
      spec: { trafficPolicy: { tls: { mode: "MTLS" } } },
    };
    expect(checkIstioSchema(dr)).toEqual([
      { severity: "error", code: "MS0004", path: "spec.host", message: "required field is missing" },
      {
        severity: "error",
        code: "MS0005",
        path: "spec.trafficPolicy.tls.mode",
        message: "must be one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL; got MTLS",
      },
    ]);
  });

  it("reports a negative outlier threshold as out of range", () => {
    const dr = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "httpbin" },
      spec: { host: "httpbin", trafficPolicy: { outlierDetection: { consecutive5xxErrors: -1 } } },
    };
    expect(codesAndPaths(dr)).toEqual(["MS0006 spec.trafficPolicy.outlierDetection.consecutive5xxErrors"]);
  });

  it("keeps the opaque value of an EnvoyFilter patch, where the CRD preserves unknown fields", () => {
    const filter = {
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "EnvoyFilter",
      metadata: { name: "rate-limit", namespace: "bookinfo" },
      spec: {
        workloadSelector: { labels: { app: "productpage" } },
        configPatches: [
          {
            applyTo: "HTTP_FILTER",
            match: { context: "SIDECAR_INBOUND" },
            patch: { operation: "INSERT_BEFORE", value: { name: "x", typed_config: { anything: [1, 2] } } },
          },
        ],
      },
    };
    expect(checkIstioSchema(filter)).toEqual([]);
    const wrongPatch = structuredClone(filter);
    Object.assign(wrongPatch.spec.configPatches[0]?.patch ?? {}, { operation: "PREPEND" });
    expect(codesAndPaths(wrongPatch)).toEqual(["MS0005 spec.configPatches[0].patch.operation"]);
  });

  it("rejects a kind or API version Istio does not serve, and a document that is not a mapping", () => {
    expect(codesAndPaths({ ...REVIEWS_SPLIT, apiVersion: "networking.istio.io/v2" })).toEqual(["MS0001 apiVersion"]);
    expect(codesAndPaths({ ...REVIEWS_SPLIT, kind: "Deployment" })).toEqual(["MS0001 kind"]);
    expect(codesAndPaths({ ...REVIEWS_SPLIT, apiVersion: "networking.istio.io/v1", kind: "EnvoyFilter" })).toEqual([
      "MS0001 apiVersion",
    ]);
    expect(codesAndPaths(["not", "an", "object"])).toEqual(["MS0001 "]);
  });

  it("requires metadata with a name", () => {
    const { metadata: _, ...noMetadata } = REVIEWS_SPLIT;
    expect(codesAndPaths(noMetadata)).toEqual(["MS0004 metadata"]);
    expect(codesAndPaths({ ...REVIEWS_SPLIT, metadata: { namespace: "x" } })).toEqual(["MS0004 metadata.name"]);
  });
});

describe("walkCrdSchema", () => {
  const schema: CrdSchema = {
    type: "object",
    properties: {
      port: { type: "integer", format: "int32", minimum: 0 },
      mode: { type: "string", enum: ["A", "B"] },
      labels: { type: "object", additionalProperties: { type: "string" }, maxProperties: 2 },
      any: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      portOrName: { "x-kubernetes-int-or-string": true },
      optional: { type: "string", nullable: true },
    },
  };

  it("treats null as absent and honours preserve-unknown-fields and int-or-string", () => {
    const value = { port: null, any: { whatever: { deep: 1 } }, portOrName: "http", optional: null };
    expect(walkCrdSchema(schema, value)).toEqual([]);
    expect(walkCrdSchema(schema, { portOrName: 8080 })).toEqual([]);
    expect(walkCrdSchema(schema, { portOrName: 1.5 }).map((p) => p.kind)).toEqual(["type"]);
  });

  it("checks map values, entry counts and the int32 range", () => {
    const problems = walkCrdSchema(schema, { port: 2 ** 31, labels: { a: "1", b: 2, c: "3" } });
    expect(problems.map((p) => [p.kind, p.path.join(".")])).toEqual([
      ["range", "port"],
      ["range", "labels"],
      ["type", "labels.b"],
    ]);
  });
});

describe("compactCrdSchema", () => {
  it("drops descriptions and CEL rules and refuses a node that is not a schema", () => {
    const raw = {
      description: "x",
      type: "object",
      properties: { timeout: { type: "string", "x-kubernetes-validations": [{ rule: "duration(self) >= 1ms" }] } },
    };
    expect(compactCrdSchema(raw)).toEqual({ type: "object", properties: { timeout: { type: "string" } } });
    expect(() => compactCrdSchema({ type: "tuple" })).toThrow(/unsupported tuple/);
    expect(() => compactCrdSchema("string")).toThrow(/must be a mapping/);
  });
});
