// Conformance of the schema layer with Istio's own CRD file (../shared/fixtures/istio/crd-all.gen.yaml, Istio
// 1.30.3). A fresh clone has no ../shared: these tests then skip with a message, and schema.test.ts covers the
// schema layer with objects of its own.
//
// Regenerate the embedded schemas after updating the CRD file:
//   UPDATE_ISTIO_CRD_SCHEMAS=1 npx vitest run --project mesh-config istio-crd
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { formatPath } from "../object-shape.js";
import {
  type CrdKind,
  type CrdVersion,
  embeddedSchemasFrom,
  readCrdFile,
  renderSchemasModule,
} from "./crd-file.test-support.js";
import { type CrdSchema, compactCrdSchema, walkCrdSchema } from "./crd-schema.js";
import { ISTIO_CRD_SCHEMAS } from "./istio-crd-schemas.gen.js";
import { checkIstioSchema } from "./schema.js";

const FIXTURES = fileURLToPath(new URL("../../../../../shared/fixtures/istio/", import.meta.url));
const CRD_FILE = `${FIXTURES}crd-all.gen.yaml`;
const present = existsSync(CRD_FILE);
if (!present) console.warn(`Istio's CRD file not found at ${CRD_FILE}: skipping the CRD conformance tests`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The CRD file's verdict on `value`, walked with the whole openAPIV3Schema of its kind and version: the paths
 * of the problems, or `["unserved"]` when the CRD file serves no such kind and version. apiVersion, kind and
 * metadata are left out, as the apiserver checks them itself, not through the CRD schema.
 */
function crdVerdict(crds: readonly CrdKind[], value: Record<string, unknown>): string[] {
  const crd = crds.find(
    (k) => k.kind === value.kind && typeof value.apiVersion === "string" && value.apiVersion.startsWith(`${k.group}/`),
  );
  const version = crd?.versions.find((v) => value.apiVersion === `${crd.group}/${v.name}`);
  if (version === undefined) return ["unserved"];
  const { apiVersion: _a, kind: _k, metadata: _m, ...body } = value;
  return walkCrdSchema(compactedOnce(version), body).map((p) => formatPath(p.path));
}

const compacted = new Map<CrdVersion, CrdSchema>();
function compactedOnce(version: CrdVersion): CrdSchema {
  const known = compacted.get(version);
  if (known) return known;
  const schema = compactCrdSchema(version.raw);
  compacted.set(version, schema);
  return schema;
}

function ourVerdict(value: unknown): string[] {
  return checkIstioSchema(value).map((m) => (m.code === "MS0001" ? "unserved" : m.path));
}

function documentsOf(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(`${FIXTURES}${file}`, "utf8"))
    .map((d): unknown => d.toJS())
    .filter(isRecord);
}

const meta = { name: "x", namespace: "bookinfo" };
const HAND_WRITTEN_VALID: Record<string, unknown>[] = [
  {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata: meta,
    spec: {
      selector: { matchLabels: { app: "ratings" } },
      action: "ALLOW",
      rules: [
        {
          from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-reviews"] } }],
          to: [{ operation: { methods: ["GET"], paths: ["/ratings/*"] } }],
        },
      ],
    },
  },
  {
    apiVersion: "security.istio.io/v1beta1",
    kind: "PeerAuthentication",
    metadata: meta,
    spec: {
      selector: { matchLabels: { app: "reviews" } },
      mtls: { mode: "STRICT" },
      portLevelMtls: { "9080": { mode: "PERMISSIVE" } },
    },
  },
  {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: meta,
    spec: {
      host: "reviews",
      trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user" } } },
      subsets: [
        { name: "v1", labels: { version: "v1" }, trafficPolicy: { connectionPool: { http: { maxRetries: 3 } } } },
      ],
    },
  },
];

const vsWith = (http: unknown[]) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: meta,
  spec: { hosts: ["reviews"], http },
});
const drWith = (spec: unknown, apiVersion = "networking.istio.io/v1beta1") => ({
  apiVersion,
  kind: "DestinationRule",
  metadata: meta,
  spec,
});
const BROKEN: Record<string, unknown>[] = [
  vsWith([{ rout: [{ destination: { host: "reviews" } }] }]),
  vsWith([{ route: [{ destination: { host: "reviews" }, weight: "90" }] }]),
  vsWith([{ route: [{ destination: { subset: "v1" } }] }]),
  vsWith([
    { route: [{ destination: { host: "reviews" } }], fault: { abort: { httpStatus: 500, grpcStatus: "UNAVAILABLE" } } },
  ]),
  vsWith([{ match: [{ uri: { prefix: "/", exact: "/" } }], route: [{ destination: { host: "reviews" } }] }]),
  drWith({ subsets: [{ name: "v1" }] }),
  drWith({ host: "reviews", trafficPolicy: { tls: { mode: "MTLS" } } }),
  drWith({
    host: "reviews",
    trafficPolicy: { loadBalancer: { simple: "RANDOM", consistentHash: { useSourceIp: true } } },
  }),
  drWith({ host: "reviews", subsets: [{ name: "v1", label: { version: "v1" } }] }),
  drWith({ host: "reviews", trafficPolicy: { outlierDetection: { consecutive5xxErrors: -1 } } }),
  drWith({ host: "reviews" }, "networking.istio.io/v2"),
  { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: meta, spec: { mtls: { mode: "ON" } } },
  { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: meta, spec: { rules: [{ form: [] }] } },
  { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: meta },
  {
    apiVersion: "networking.istio.io/v1alpha3",
    kind: "EnvoyFilter",
    metadata: meta,
    spec: { configPatches: [{ applyTo: "HTTP_FILTER", patch: { operation: "INSERT_BEFOR", value: { any: 1 } } }] },
  },
];

describe.skipIf(!present)("the schema layer against Istio's crd-all.gen.yaml", () => {
  // Parsing the 870 kB file takes a second or two: once for the whole suite.
  const crds = present ? readCrdFile(readFileSync(CRD_FILE, "utf8")) : [];

  it("embeds the spec schema of every kind exactly as the CRD file has it, the same for every served version", () => {
    const fromFile = embeddedSchemasFrom(crds);
    if (process.env.UPDATE_ISTIO_CRD_SCHEMAS) {
      const target = fileURLToPath(new URL("./istio-crd-schemas.gen.ts", import.meta.url));
      writeFileSync(
        target,
        renderSchemasModule(fromFile, "manifests/charts/base/files/crd-all.gen.yaml (../shared/fixtures/istio)"),
      );
    }
    expect(ISTIO_CRD_SCHEMAS).toEqual(fromFile);
  });

  const samples = present
    ? [
        ...readdirSync(`${FIXTURES}bookinfo-networking`).map((f) => `bookinfo-networking/${f}`),
        "httpbin-circuit-breaker-destination-rule.yaml",
        "local-rate-limit-envoyfilter.yaml",
      ].flatMap((file) => documentsOf(file).map((doc): [string, Record<string, unknown>] => [file, doc]))
    : [];

  it.each(samples)("accepts %s, as the CRD schema does", (_file, doc) => {
    expect(crdVerdict(crds, doc)).toEqual([]);
    expect(ourVerdict(doc)).toEqual([]);
  });

  it.each(HAND_WRITTEN_VALID.map((o) => [o.kind, o]))("accepts a valid %s, as the CRD schema does", (_kind, doc) => {
    expect(crdVerdict(crds, doc)).toEqual([]);
    expect(ourVerdict(doc)).toEqual([]);
  });

  it.each(BROKEN.map((o, i) => [i, o.kind, o]))(
    "rejects broken object %d (%s) at the same paths as the CRD schema with unknown fields rejected",
    (_i, _kind, doc) => {
      const expected = crdVerdict(crds, doc);
      expect(expected.length).toBeGreaterThan(0);
      expect(ourVerdict(doc)).toEqual(expected);
    },
  );
});
