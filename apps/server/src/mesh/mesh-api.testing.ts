/**
 * Shared by the mesh-config API tests: a real server with its own temporary config directory, Istio traffic
 * pushed through remote-write (so the inventory knows Bookinfo's services and versions), a body for every wizard,
 * and typed calls that validate every answer with the model's zod schemas.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorEnvelope, type WizardName } from "@meshscope/model";
import type { z } from "zod";
import { readCrdFile } from "../../../../packages/mesh-config/src/validate/crd-file.test-support.js";
import { compactCrdSchema, walkCrdSchema } from "../../../../packages/mesh-config/src/validate/crd-schema.js";
import { EDGE_KEY_FIELDS, EDGE_KEY_LABELS } from "../metrics/edge-key.js";
import type { EdgeTraffic } from "../metrics/metric-reader.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

export interface MeshTestServer {
  server: TestServer;
  /** The files target's directory. */
  configDir: string;
  url: (path: string) => string;
  stop(): Promise<void>;
}

export async function startMeshTestServer(): Promise<MeshTestServer> {
  const configDir = mkdtempSync(path.join(tmpdir(), "meshscope-mesh-config-"));
  const server = await startTestServer({ meshConfigDir: configDir });
  return {
    server,
    configDir,
    url: (p) => `${server.consoleUrl}${p}`,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(configDir, { recursive: true, force: true });
      }
    },
  };
}

const REMOTE_WRITE_HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
};

/** Pushes each edge's rps as an istio_requests_total counter rising over the minute before `endMs`. */
export async function pushTraffic(server: TestServer, edges: readonly EdgeTraffic[], endMs: number): Promise<void> {
  const series = edges.map((t) => {
    const labels: Record<string, string> = { __name__: "istio_requests_total" };
    for (const field of EDGE_KEY_FIELDS) labels[EDGE_KEY_LABELS[field]] = t.key[field];
    return {
      labels,
      samples: [
        { value: 0, timestampMs: endMs - 60_000 },
        { value: t.requestsPerSec * 30, timestampMs: endMs - 30_000 },
        { value: t.requestsPerSec * 60, timestampMs: endMs },
      ],
    };
  });
  const body = snappyLiterals(writeRequest(series));
  const res = await fetch(`${server.consoleUrl}/api/v1/write`, { method: "POST", headers: REMOTE_WRITE_HEADERS, body });
  if (res.status !== 204) throw new Error(`remote-write answered ${res.status}: ${await res.text()}`);
}

const target = { namespace: "bookinfo" };

/** One valid body per wizard, each about its own Bookinfo service where the wizards would otherwise merge. */
export const WIZARD_BODIES: Record<WizardName, Record<string, unknown>> = {
  "traffic-shifting": {
    ...target,
    service: "reviews",
    weights: [
      { version: "v1", weight: 80 },
      { version: "v3", weight: 20 },
    ],
  },
  "request-routing": {
    ...target,
    service: "reviews",
    rules: [{ match: { headers: { "end-user": { exact: "jason" } } }, version: "v2" }],
    defaultVersion: "v1",
  },
  "fault-injection": {
    ...target,
    service: "ratings",
    delay: { percentage: { value: 10 }, fixedDelay: "5s" },
    abort: { percentage: { value: 50 }, httpStatus: 500 },
  },
  "timeouts-retries": {
    ...target,
    service: "details",
    timeout: "2s",
    retries: { attempts: 3, perTryTimeout: "500ms", retryOn: "5xx,connect-failure" },
  },
  "circuit-breaker": {
    ...target,
    service: "productpage",
    connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
    outlierDetection: { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "3m", maxEjectionPercent: 100 },
  },
  mirroring: { ...target, service: "reviews", version: "v1", mirror: { version: "v2" }, percentage: { value: 100 } },
  "rate-limit": { ...target, service: "productpage", maxTokens: 10, tokensPerFill: 10, fillInterval: "1s" },
  mtls: { ...target, service: "ratings", mode: "STRICT" },
  "access-control": {
    ...target,
    service: "ratings",
    action: "ALLOW",
    rules: [{ from: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-reviews"] }, to: { methods: ["GET"] } }],
  },
};

export interface Answer<T> {
  status: number;
  body: T;
}

/** Sends a request and parses the answer with `schema` (the success shape, or ErrorEnvelope for failures). */
export async function call<S extends z.ZodType>(
  schema: S,
  method: string,
  url: string,
  body?: { json: unknown } | { yaml: string },
): Promise<Answer<z.output<S>>> {
  const init: RequestInit = { method };
  if (body && "json" in body) init.body = JSON.stringify(body.json);
  if (body && "yaml" in body) init.body = body.yaml;
  if (body) init.headers = { "content-type": "json" in body ? "application/json" : "application/yaml" };
  const res = await fetch(url, init);
  const data: unknown = await res.json();
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(data)}: ${parsed.error.message}`);
  }
  return { status: res.status, body: parsed.data };
}

export const errorOf = (m: string, url: string, body?: { json: unknown } | { yaml: string }) =>
  call(ErrorEnvelope, m, url, body);

// Istio's own CRD file, found as ../shared next to the repository (absent in a fresh clone: that check is skipped).
const CRD_FILE = fileURLToPath(new URL("../../../../../shared/fixtures/istio/crd-all.gen.yaml", import.meta.url));
let crds: ReturnType<typeof readCrdFile> | null | undefined;

/**
 * Paths the apiserver would refuse in `object` by the schema of Istio's CRD file (unknown fields included), or
 * null when the file is not there. apiVersion, kind and metadata are the apiserver's own, not the CRD schema's.
 */
export function crdFileProblems(object: Record<string, unknown>): string[] | null {
  if (crds === undefined) {
    crds = existsSync(CRD_FILE) ? readCrdFile(readFileSync(CRD_FILE, "utf8")) : null;
    if (crds === null) console.warn(`Istio's CRD file is not at ${CRD_FILE}: skipping the check against it`);
  }
  if (crds === null) return null;
  const { apiVersion, kind, metadata: _metadata, ...body } = object;
  const crd = crds.find(
    (k) => k.kind === kind && typeof apiVersion === "string" && apiVersion.startsWith(`${k.group}/`),
  );
  const version = crd?.versions.find((v) => apiVersion === `${crd.group}/${v.name}`);
  if (version === undefined) return [`${String(kind)} ${String(apiVersion)} is not served by the CRD file`];
  return walkCrdSchema(compactCrdSchema(version.raw), body).map((p) => `${p.path.join(".")}: ${p.message}`);
}
