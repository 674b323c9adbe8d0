import type { SpanRecord } from "@meshscope/model";
import { afterEach, describe, expect, it } from "vitest";
import { hexId, makeSpan, type TempDir, tempDir } from "../test-support/store-fixtures.js";
import { openSpanEdgeReader, type SpanEdgeReader, type SpanEdgeSummary } from "./span-edges.js";
import { openSqliteStore, type SqliteStore } from "./sqlite-store.js";

const T0 = 1_700_000_000_000_000;
const WINDOW = { startUs: T0, endUs: T0 + 10_000_000 };

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function storeWith(spans: readonly SpanRecord[]): Promise<SpanEdgeReader> {
  const dir: TempDir = tempDir("meshscope-span-edges-");
  const path = dir.file("traces.db");
  const store: SqliteStore = openSqliteStore({ path, retentionIntervalMs: 0, writerThread: "main" });
  cleanup.push(() => dir.remove());
  cleanup.push(() => store.close());
  await store.writer.writeBatch(spans);
  const reader = openSpanEdgeReader(path);
  cleanup.push(() => reader.close());
  return reader;
}

let nextSpan = 1;
function span(traceNo: number, overrides: Partial<SpanRecord>): SpanRecord {
  return makeSpan({
    traceId: hexId(traceNo, 16),
    spanId: hexId(nextSpan++, 8),
    namespace: "",
    resource: {},
    ...overrides,
  });
}

/**
 * Trace i (0–9), 1 s apart: a's root server span → a client → b server → b client → c server. c answers 503 in
 * traces 0–2 (status unset) and fails with status error in trace 3; c's server spans last (i + 1) ms.
 */
function chain(traceNo: number, startUs: number, cOverrides: Partial<SpanRecord> = {}): SpanRecord[] {
  const aRoot = span(traceNo, { service: "a", kind: "server", startUs, durationUs: 50_000 });
  const aClient = span(traceNo, { service: "a", kind: "client", parentSpanId: aRoot.spanId, startUs: startUs + 100 });
  const bServer = span(traceNo, {
    service: "b",
    kind: "server",
    parentSpanId: aClient.spanId,
    startUs: startUs + 200,
    durationUs: 20_000,
  });
  const bClient = span(traceNo, { service: "b", kind: "client", parentSpanId: bServer.spanId, startUs: startUs + 300 });
  const cServer = span(traceNo, {
    service: "c",
    kind: "server",
    parentSpanId: bClient.spanId,
    startUs: startUs + 400,
    ...cOverrides,
  });
  return [aRoot, aClient, bServer, bClient, cServer];
}

function tenChains(): SpanRecord[] {
  const spans: SpanRecord[] = [];
  for (let i = 0; i < 10; i++) {
    const errors: Partial<SpanRecord> =
      i < 3
        ? { attributes: { "http.response.status_code": 503 } }
        : i === 3
          ? { status: { code: "error" } }
          : { attributes: { "http.response.status_code": 200 } };
    spans.push(...chain(100 + i, T0 + i * 1_000_000, { durationUs: (i + 1) * 1000, ...errors }));
  }
  return spans;
}

function edge(s: SpanEdgeSummary, caller: string, callee: string) {
  const e = s.edges.find((x) => x.caller.name === caller && x.callee.name === callee);
  if (e === undefined) throw new Error(`no edge ${caller} -> ${callee}`);
  return e;
}

describe("SqliteSpanEdgeReader", () => {
  it("pairs each server span with the service of its parent span, once per service pair", async () => {
    const reader = await storeWith(tenChains());
    const s = reader.spanEdges(WINDOW);
    expect(s.edges.map((e) => `${e.caller.name}>${e.callee.name}`).sort()).toEqual(["a>b", "b>c"]);
    expect(edge(s, "a", "b").red).toMatchObject({ requests: 10, errors: 0, protocol: "http" });
    expect(edge(s, "b", "c").red).toMatchObject({ requests: 10, errors: 4, clientErrors: 0 });
  });

  it("gives exact nearest-rank percentiles of the callee's server span durations", async () => {
    const reader = await storeWith(tenChains());
    const red = edge(reader.spanEdges(WINDOW), "b", "c").red;
    // durations 1..10 ms: ranks ceil(0.5·10)=5, ceil(0.95·10)=10, ceil(0.99·10)=10
    expect([red.p50Us, red.p95Us, red.p99Us]).toEqual([5000, 10_000, 10_000]);
  });

  it("reports every service's server spans, and marks services nobody known calls as roots", async () => {
    const reader = await storeWith(tenChains());
    const byName = new Map(reader.spanEdges(WINDOW).services.map((x) => [x.service.name, x]));
    expect(byName.get("a")).toMatchObject({ rootOnly: true, red: { requests: 10, errors: 0 } });
    expect(byName.get("b")).toMatchObject({ rootOnly: false, red: { requests: 10 } });
    expect(byName.get("c")).toMatchObject({ rootOnly: false, red: { requests: 10, errors: 4 } });
  });

  it("counts only server spans that start inside the window", async () => {
    const reader = await storeWith(tenChains());
    // traces 0–4 start at T0 … T0+4 s; their c span starts 400 µs later
    const s = reader.spanEdges({ startUs: T0, endUs: T0 + 4_000_500 });
    expect(edge(s, "b", "c").red.requests).toBe(5);
    expect(reader.spanEdges({ startUs: T0 + 60_000_000, endUs: T0 + 70_000_000 })).toEqual({ edges: [], services: [] });
  });

  it("finds a parent that started long before the window through the trace's other spans", async () => {
    const client = span(1, { service: "batch", kind: "client", startUs: T0 - 600_000_000, durationUs: 700_000_000 });
    const server = span(1, { service: "api", kind: "server", parentSpanId: client.spanId, startUs: T0 + 1000 });
    const reader = await storeWith([client, server]);
    expect(edge(reader.spanEdges(WINDOW), "batch", "api").red.requests).toBe(1);
  });

  it("draws an edge from an internal parent span of another service, but none within one service", async () => {
    const job = span(2, { service: "scheduler", kind: "internal", startUs: T0 });
    const called = span(2, { service: "worker", kind: "consumer", parentSpanId: job.spanId, startUs: T0 + 10 });
    const self = span(2, { service: "worker", kind: "server", parentSpanId: called.spanId, startUs: T0 + 20 });
    const reader = await storeWith([job, called, self]);
    const s = reader.spanEdges(WINDOW);
    expect(s.edges.map((e) => `${e.caller.name}>${e.callee.name}`)).toEqual(["scheduler>worker"]);
    expect(s.services.find((x) => x.service.name === "worker")?.red.requests).toBe(2);
  });

  it("keeps hostile service names and namespaces as data", async () => {
    const hostile = "x'); DROP TABLE spans; --";
    const client = span(3, { service: hostile, namespace: "ns\"'", kind: "client", startUs: T0 });
    const server = span(3, { service: "b", kind: "server", parentSpanId: client.spanId, startUs: T0 + 5 });
    const reader = await storeWith([client, server]);
    const e = edge(reader.spanEdges(WINDOW), hostile, "b");
    expect(e.caller).toEqual({ name: hostile, namespace: "ns\"'" });
    expect(reader.spanEdges(WINDOW).edges).toHaveLength(1);
  });

  it("classifies gRPC server spans by their status code", async () => {
    const client = span(4, { service: "a", kind: "client", startUs: T0 });
    const grpcAttrs = { "rpc.system": "grpc", "rpc.grpc.status_code": 14 };
    const server = span(4, {
      service: "g",
      kind: "server",
      parentSpanId: client.spanId,
      startUs: T0 + 5,
      attributes: grpcAttrs,
    });
    const reader = await storeWith([client, server]);
    expect(edge(reader.spanEdges(WINDOW), "a", "g").red).toMatchObject({ protocol: "grpc", requests: 1, errors: 1 });
  });
});
