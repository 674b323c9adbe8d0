/**
 * Validation of the `/api/graph` answer, by hand. The zod schema (`GraphResponse` in @meshscope/model) is the
 * contract; this checks the same fields, types and enums and builds the same output (unknown keys dropped; the
 * `responses` and `flags` records are the answer's own, checked objects), in one tight loop: zod took a good part
 * of a refresh's main-thread time on a 1,000-node / 3,000-edge answer (bench/ui-graph.ts). Malformed input is
 * still rejected, with the path of the first bad field (`edges[12].protocol: expected one of http, grpc, tcp, got
 * "udp"`). graph-response.test.ts checks it agrees with the schema.
 */
import {
  type GraphEdge,
  type GraphNode,
  GraphNodeKind,
  GraphProtocol,
  type GraphResponse,
  GraphType,
  HealthStatus,
} from "@meshscope/model";

type Json = Record<string, unknown>;

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new Error(`${path}: expected ${expected}, got ${shown(value)}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Json {
  return isObject(value) ? value : fail(path, "an object", value);
}

function array(value: unknown, path: string): unknown[] {
  return Array.isArray(value) ? value : fail(path, "an array", value);
}

function string(o: Json, key: string, path: string): string {
  const v = o[key];
  return typeof v === "string" ? v : fail(`${path}.${key}`, "a string", v);
}

function number(o: Json, key: string, path: string): number {
  const v = o[key];
  // JSON has no NaN or Infinity; zod's number() refuses them too.
  return typeof v === "number" && Number.isFinite(v) ? v : fail(`${path}.${key}`, "a number", v);
}

function nullableString(o: Json, key: string, path: string): string | null {
  const v = o[key];
  return v === null ? null : typeof v === "string" ? v : fail(`${path}.${key}`, "a string or null", v);
}

function nullableNumber(o: Json, key: string, path: string): number | null {
  const v = o[key];
  return v === null
    ? null
    : typeof v === "number" && Number.isFinite(v)
      ? v
      : fail(`${path}.${key}`, "a number or null", v);
}

function oneOf<T extends string>(options: readonly T[], o: Json, key: string, path: string): T {
  const v = o[key];
  return options.find((option) => option === v) ?? fail(`${path}.${key}`, `one of ${options.join(", ")}`, v);
}

/** `traceDerived`: absent, or a boolean. */
function optionalBoolean(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  return v === undefined || typeof v === "boolean" ? v : fail(`${path}.${key}`, "a boolean", v);
}

function finiteNumbers(record: Json): record is Record<string, number> {
  for (const k of Object.keys(record)) {
    const v = record[k];
    if (typeof v !== "number" || !Number.isFinite(v)) return false;
  }
  return true;
}

/**
 * The answer's own object once every value is checked, not a copy: copying 6,000 small records (3,000 edges) was
 * most of this check's time, as keyed stores of keys like "200" and "-" (bench/ui-graph.ts CPU profile). What
 * `response.json()` made is ours alone, and JSON.parse makes every key an own property (a `__proto__` key too).
 */
function numberRecord(o: Json, key: string, path: string): Record<string, number> {
  const record = object(o[key], `${path}.${key}`);
  if (finiteNumbers(record)) return record;
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`${path}.${key}[${JSON.stringify(k)}]`, "a number", v);
  }
  return fail(`${path}.${key}`, "numbers", record);
}

function node(value: unknown, path: string): GraphNode {
  const o = object(value, path);
  const rawBadges = array(o.badges, `${path}.badges`);
  const badges: string[] = [];
  for (let i = 0; i < rawBadges.length; i++) {
    const badge = rawBadges[i];
    badges.push(typeof badge === "string" ? badge : fail(`${path}.badges[${i}]`, "a string", badge));
  }
  const out: GraphNode = {
    id: string(o, "id", path),
    kind: oneOf(GraphNodeKind.options, o, "kind", path),
    namespace: string(o, "namespace", path),
    app: nullableString(o, "app", path),
    version: nullableString(o, "version", path),
    workload: nullableString(o, "workload", path),
    service: nullableString(o, "service", path),
    health: oneOf(HealthStatus.options, o, "health", path),
    badges,
    inboundRps: number(o, "inboundRps", path),
    outboundRps: number(o, "outboundRps", path),
    tcpInboundBytesPerSec: number(o, "tcpInboundBytesPerSec", path),
    tcpOutboundBytesPerSec: number(o, "tcpOutboundBytesPerSec", path),
  };
  const traceDerived = optionalBoolean(o, "traceDerived", path);
  if (traceDerived !== undefined) out.traceDerived = traceDerived;
  return out;
}

function edge(value: unknown, path: string): GraphEdge {
  const o = object(value, path);
  const out: GraphEdge = {
    id: string(o, "id", path),
    source: string(o, "source", path),
    target: string(o, "target", path),
    protocol: oneOf(GraphProtocol.options, o, "protocol", path),
    rps: number(o, "rps", path),
    errorRate: number(o, "errorRate", path),
    responses: numberRecord(o, "responses", path),
    flags: numberRecord(o, "flags", path),
    p50Ms: nullableNumber(o, "p50Ms", path),
    p95Ms: nullableNumber(o, "p95Ms", path),
    p99Ms: nullableNumber(o, "p99Ms", path),
    mtls: nullableNumber(o, "mtls", path),
    tcpSentBytesPerSec: number(o, "tcpSentBytesPerSec", path),
    tcpReceivedBytesPerSec: number(o, "tcpReceivedBytesPerSec", path),
    health: oneOf(HealthStatus.options, o, "health", path),
  };
  const traceDerived = optionalBoolean(o, "traceDerived", path);
  if (traceDerived !== undefined) out.traceDerived = traceDerived;
  return out;
}

/** Throws an Error naming the first field that does not match the schema. */
export function parseGraphResponse(data: unknown): GraphResponse {
  const o = object(data, "answer");
  const window = object(o.window, "window");
  const nodes = array(o.nodes, "nodes");
  const edges = array(o.edges, "edges");
  return {
    window: { start: number(window, "start", "window"), end: number(window, "end", "window") },
    type: oneOf(GraphType.options, o, "type", "answer"),
    nodes: nodes.map((n, i) => node(n, `nodes[${i}]`)),
    edges: edges.map((e, i) => edge(e, `edges[${i}]`)),
  };
}

/** What `apiGet` takes in place of the zod schema. */
export const FastGraphResponse = { parse: parseGraphResponse };
