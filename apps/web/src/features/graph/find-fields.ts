/**
 * The operands of the find/hide language: what each field reads, on which elements, and which values it takes.
 * Names follow Kiali's find/hide help (`pages/Graph/GraphHelpFind.tsx`) where a Kiali name exists, so a Kiali
 * user's muscle memory (`rt > 1000`, `ns = bookinfo`, `!healthy`) works here.
 */
export type ElementType = "node" | "edge";

/** What a field yields for one element: `name` gives several names (app, service, workload). */
export type FieldValue = string | number | boolean | null | readonly string[];

export type FieldKind =
  | { kind: "string" }
  | { kind: "enum"; values: readonly string[] }
  /** `unit` is shown in messages; `percent` accepts `5` and `5%`, `ms` accepts `250`, `250ms` and `1.5s`. */
  | { kind: "number"; unit: "rps" | "percent" | "ms" }
  /** Unary: `mtls`, `!healthy`. */
  | { kind: "flag" };

export interface FieldSpec {
  name: string;
  aliases: readonly string[];
  kind: FieldKind;
  on: readonly ElementType[];
  help: string;
}

const NODE: readonly ElementType[] = ["node"];
const EDGE: readonly ElementType[] = ["edge"];
const BOTH: readonly ElementType[] = ["node", "edge"];

const HEALTH = ["healthy", "degraded", "failure", "idle", "unknown"] as const;

export const FIELDS: readonly FieldSpec[] = [
  { name: "name", aliases: [], kind: { kind: "string" }, on: NODE, help: "app, service or workload name" },
  { name: "app", aliases: [], kind: { kind: "string" }, on: NODE, help: "app (canonical service)" },
  { name: "version", aliases: [], kind: { kind: "string" }, on: NODE, help: "version (canonical revision)" },
  { name: "workload", aliases: ["wl"], kind: { kind: "string" }, on: NODE, help: "workload name" },
  { name: "service", aliases: ["svc"], kind: { kind: "string" }, on: NODE, help: "service name" },
  { name: "namespace", aliases: ["ns"], kind: { kind: "string" }, on: NODE, help: "namespace" },
  {
    name: "node",
    aliases: ["kind"],
    kind: { kind: "enum", values: ["app", "workload", "service", "unknown", "external"] },
    on: NODE,
    help: "node kind",
  },
  { name: "health", aliases: [], kind: { kind: "enum", values: HEALTH }, on: BOTH, help: "request health" },
  {
    name: "rps",
    aliases: [],
    kind: { kind: "number", unit: "rps" },
    on: BOTH,
    help: "requests/s (a node: into it, or out of it for a traffic source)",
  },
  { name: "in", aliases: ["httpin"], kind: { kind: "number", unit: "rps" }, on: NODE, help: "requests/s into a node" },
  {
    name: "out",
    aliases: ["httpout"],
    kind: { kind: "number", unit: "rps" },
    on: NODE,
    help: "requests/s out of a node",
  },
  {
    name: "error",
    aliases: ["err", "%error", "%httperr", "%httperror", "%grpcerr"],
    kind: { kind: "number", unit: "percent" },
    on: BOTH,
    help: "error % (a node: of its inbound requests)",
  },
  {
    name: "protocol",
    aliases: [],
    kind: { kind: "enum", values: ["http", "grpc", "tcp"] },
    on: EDGE,
    help: "edge protocol",
  },
  { name: "p50", aliases: [], kind: { kind: "number", unit: "ms" }, on: EDGE, help: "median latency" },
  {
    name: "p95",
    aliases: ["rt", "responsetime"],
    kind: { kind: "number", unit: "ms" },
    on: EDGE,
    help: "95th percentile latency",
  },
  { name: "p99", aliases: [], kind: { kind: "number", unit: "ms" }, on: EDGE, help: "99th percentile latency" },
  {
    name: "share",
    aliases: ["%httptraffic", "%grpctraffic"],
    kind: { kind: "number", unit: "percent" },
    on: EDGE,
    help: "% of the source's requests on this edge",
  },
  { name: "mtls", aliases: [], kind: { kind: "flag" }, on: EDGE, help: "edge with mutual TLS traffic" },
  { name: "healthy", aliases: [], kind: { kind: "flag" }, on: BOTH, help: "health = healthy" },
  { name: "degraded", aliases: [], kind: { kind: "flag" }, on: BOTH, help: "health = degraded" },
  { name: "failure", aliases: ["unhealthy"], kind: { kind: "flag" }, on: BOTH, help: "health = failure" },
  { name: "idle", aliases: [], kind: { kind: "flag" }, on: BOTH, help: "no traffic" },
  { name: "traced", aliases: [], kind: { kind: "flag" }, on: BOTH, help: "drawn from spans, not proxy metrics" },
  { name: "circuitbreaker", aliases: ["cb"], kind: { kind: "flag" }, on: NODE, help: "circuit breaker badge" },
  { name: "faultinjection", aliases: ["fi"], kind: { kind: "flag" }, on: NODE, help: "fault injection badge" },
  { name: "trafficshifting", aliases: ["ts"], kind: { kind: "flag" }, on: NODE, help: "traffic shifting badge" },
  { name: "virtualservice", aliases: ["vs"], kind: { kind: "flag" }, on: NODE, help: "virtual service badge" },
  { name: "requestrouting", aliases: ["rr"], kind: { kind: "flag" }, on: NODE, help: "request routing badge" },
  { name: "requesttimeout", aliases: ["rto", "timeout"], kind: { kind: "flag" }, on: NODE, help: "timeout badge" },
  { name: "mirroring", aliases: [], kind: { kind: "flag" }, on: NODE, help: "mirroring badge" },
];

const BY_NAME = new Map<string, FieldSpec>();
for (const f of FIELDS) {
  BY_NAME.set(f.name, f);
  for (const a of f.aliases) BY_NAME.set(a, f);
}

export function fieldByName(name: string): FieldSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}
