/**
 * The trace outline and its lazy parts over HTTP: `?view=outline` tells the same story as the full answer (tree,
 * times, services, errors, events), `/spans?ids=` gives spans in full, `/find?q=` matches attribute values, and
 * bad input is refused with the error envelope.
 */
import {
  decodeTraceOutline,
  ErrorEnvelope,
  TraceFindResponse,
  TraceOutlineWire,
  TraceResponse,
} from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowNs, otlpJsonRequest, postOtlpJson, randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let server: TestServer;
let traceId: string;
const ids = { root: randomSpanId(), child: randomSpanId(), failing: randomSpanId(), orphan: randomSpanId() };
const missingParent = randomSpanId();

function otlpSpan(spanId: string, parentSpanId: string | null, offsetMs: number, extra: Record<string, unknown> = {}) {
  const start = BigInt(nowNs(-5000)) + BigInt(offsetMs) * 1_000_000n;
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: `op ${spanId.slice(0, 4)}`,
    kind: 2,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 50_000_000n).toString(),
    attributes: [{ key: "customer.tier", value: { stringValue: `tier-${spanId}` } }],
    status: {},
    ...extra,
  };
}

beforeAll(async () => {
  server = await startTestServer();
  traceId = randomTraceId();
  const failingStart = BigInt(nowNs(-5000)) + 20_000_000n;
  const frontend = otlpJsonRequest("frontend", [otlpSpan(ids.root, null, 0), otlpSpan(ids.orphan, missingParent, 40)]);
  const backend = otlpJsonRequest("backend", [
    otlpSpan(ids.child, ids.root, 10),
    otlpSpan(ids.failing, ids.root, 20, {
      status: { code: 2, message: "upstream failed" },
      events: [{ timeUnixNano: (failingStart + 5_000_000n).toString(), name: "retry", attributes: [] }],
    }),
  ]);
  for (const body of [frontend, backend]) expect((await postOtlpJson(server.otlpHttpUrl, body)).status).toBe(200);
});
afterAll(async () => {
  await server.stop();
});

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.consoleUrl}${path}`);
  return { status: res.status, body: await res.json() };
}

describe("GET /api/traces/:traceId?view=outline", () => {
  it("holds the full answer's tree, times, services, errors and event times", async () => {
    const outline = TraceOutlineWire.parse((await getJson(`/api/traces/${traceId}?view=outline`)).body);
    const full = TraceResponse.parse((await getJson(`/api/traces/${traceId}`)).body);
    const lean = decodeTraceOutline(outline).spans;
    expect(outline.traceId).toBe(traceId);
    expect(lean.map((s) => s.spanId)).toEqual(full.spans.map((s) => s.spanId));
    for (const [i, s] of full.spans.entries()) {
      expect(lean[i]).toEqual({
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        service: s.service,
        namespace: s.namespace,
        name: s.name,
        kind: s.kind,
        start: s.start,
        duration: s.duration,
        status: s.status,
        events: s.events.map((e) => ({ time: e.time, name: e.name })),
      });
    }
    const failing = lean.find((s) => s.spanId === ids.failing);
    expect(failing?.status).toEqual({ code: "error", message: "upstream failed" });
    expect(lean.find((s) => s.spanId === ids.orphan)?.parentSpanId).toBe(missingParent);
    expect(outline.missingParent).toHaveLength(1);
    // Nothing the outline leaves out leaks into it.
    expect(JSON.stringify(outline)).not.toContain("tier-");
  });

  it("answers 404 for an unknown trace and 400 for a bad view or trace id", async () => {
    const unknown = await getJson(`/api/traces/${randomTraceId()}?view=outline`);
    expect(unknown.status).toBe(404);
    expect(ErrorEnvelope.parse(unknown.body).error.code).toBe("not_found");
    const badView = await getJson(`/api/traces/${traceId}?view=everything`);
    expect(badView.status).toBe(400);
    expect(ErrorEnvelope.parse(badView.body).error.message).toMatch(/view/);
    expect((await getJson("/api/traces/not-hex?view=outline")).status).toBe(400);
  });

  it("keeps the plain answer as it was when no view is asked for", async () => {
    const full = TraceResponse.parse((await getJson(`/api/traces/${traceId}?view=full`)).body);
    expect(full.spans.find((s) => s.spanId === ids.child)?.attributes).toEqual({
      "customer.tier": `tier-${ids.child}`,
    });
  });
});

describe("GET /api/traces/:traceId/spans", () => {
  it("answers the named spans in full and leaves out ids the trace does not hold", async () => {
    const { status, body } = await getJson(`/api/traces/${traceId}/spans?ids=${ids.failing},${ids.root},abcdef12`);
    expect(status).toBe(200);
    const trace = TraceResponse.parse(body);
    expect(trace.spans.map((s) => s.spanId)).toEqual([ids.root, ids.failing]);
    const failing = trace.spans[1];
    expect(failing?.attributes).toEqual({ "customer.tier": `tier-${ids.failing}` });
    expect(failing?.resource["service.name"]).toBe("backend");
    expect(failing?.events.map((e) => e.name)).toEqual(["retry"]);
  });

  it("answers 404 for an unknown trace and 400 without ids or with ids that are not hex", async () => {
    expect((await getJson(`/api/traces/${randomTraceId()}/spans?ids=${ids.root}`)).status).toBe(404);
    for (const query of ["", "?ids=", "?ids=xyz", `?ids=${"a".repeat(40)}`]) {
      const answer = await getJson(`/api/traces/${traceId}/spans${query}`);
      expect(answer.status, query).toBe(400);
      expect(ErrorEnvelope.parse(answer.body).error.code).toBe("invalid_request");
    }
  });
});

describe("GET /api/traces/:traceId/find", () => {
  it("matches attribute values, service names and span ids as the page's find does", async () => {
    const find = async (q: string) =>
      TraceFindResponse.parse((await getJson(`/api/traces/${traceId}/find?q=${encodeURIComponent(q)}`)).body)
        .spanIds.slice()
        .sort();
    expect(await find(`TIER-${ids.child}`)).toEqual([ids.child]);
    expect(await find("backend")).toEqual([ids.child, ids.failing].sort());
    expect(await find(`${ids.orphan} retry`)).toEqual([ids.failing, ids.orphan].sort());
    expect(await find("backend -customer.tier")).toEqual([]);
  });

  it("answers 404 for an unknown trace and 400 for an empty query", async () => {
    expect((await getJson(`/api/traces/${randomTraceId()}/find?q=x`)).status).toBe(404);
    expect((await getJson(`/api/traces/${traceId}/find?q=%20`)).status).toBe(400);
    expect((await getJson(`/api/traces/${traceId}/find`)).status).toBe(400);
  });
});
