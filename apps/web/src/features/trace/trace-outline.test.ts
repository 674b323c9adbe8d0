import { type ApiSpan, decodeTraceOutline, encodeTraceOutline, TraceOutlineWire } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { criticalPath } from "./critical-path";
import { span } from "./test-spans.test-support";
import { buildTraceModel, summarizeTrace, type TraceModel } from "./trace-model";

const T0 = 1_700_000_000_000_000;

/** A trace with what the outline must keep: nesting, an orphan, a duplicate id, errors, events, namespaces. */
function fullTrace(): ApiSpan[] {
  return [
    span("c", "a", T0 + 30, 50, {
      service: "payments",
      namespace: "shop",
      status: { code: "error", message: "card declined" },
      events: [{ time: T0 + 40, name: "retry", attributes: { attempt: 2 } }],
      attributes: { "card.type": "visa" },
    }),
    span("a", null, T0, 200, { service: "frontend", namespace: "shop", kind: "server" }),
    span("b", "a", T0 + 10, 100, { service: "cart", kind: "client", status: { code: "ok" } }),
    span("d", "b", T0 + 20, 30, {
      service: "cart",
      events: [
        { time: T0 + 21, name: "cache miss", attributes: {} },
        { time: T0 + 25, name: "retry", attributes: {} },
      ],
    }),
    span("e", "gone", T0 + 150, 70, { service: "worker", kind: "consumer" }),
    span("b", "a", T0 + 60, 5, { service: "cart", name: "duplicate id" }),
  ];
}

/** Encode, send as JSON, validate, decode: the page's way. */
function roundTrip(traceId: string, spans: readonly ApiSpan[]) {
  const wire = JSON.parse(JSON.stringify(encodeTraceOutline(traceId, spans)));
  return decodeTraceOutline(TraceOutlineWire.parse(wire)).spans;
}

/** The page's model of a stored trace: from the outline's spans and its parent positions. */
function outlineModel(traceId: string, spans: readonly ApiSpan[]) {
  const outline = decodeTraceOutline(
    TraceOutlineWire.parse(JSON.parse(JSON.stringify(encodeTraceOutline(traceId, spans)))),
  );
  return buildTraceModel(traceId, outline.spans, outline.parents);
}

function treeFacts(model: TraceModel) {
  return {
    ids: model.spans.map((s) => s.spanId),
    parent: Array.from(model.parent),
    depth: Array.from(model.depth),
    subtreeEnd: Array.from(model.subtreeEnd),
    orphan: Array.from(model.orphan),
    errorBelow: Array.from(model.errorBelow),
    startUs: model.startUs,
    endUs: model.endUs,
    times: model.spans.map((s) => [s.start, s.duration]),
    events: model.spans.map((s) => s.events.map((e) => [e.time, e.name])),
    services: model.spans.map((s) => [s.service, s.namespace, s.kind, s.status]),
  };
}

describe("trace outline", () => {
  it("gives the same tree, times, services, errors and events as the full trace", () => {
    const full = buildTraceModel("t1", fullTrace());
    const lean = buildTraceModel("t1", roundTrip("t1", fullTrace()));
    expect(treeFacts(lean)).toEqual(treeFacts(full));
    const { root: leanRoot, ...leanSummary } = summarizeTrace(lean);
    const { root: fullRoot, ...fullSummary } = summarizeTrace(full);
    expect(leanSummary).toEqual(fullSummary);
    expect(leanRoot?.spanId).toBe(fullRoot?.spanId);
    expect(criticalPath(lean)).toEqual(criticalPath(full));
    expect(lean.orphan[lean.indexOf.get("e") ?? -1]).toBe(1);
  });

  it("builds the same model from the outline's parent positions as from span ids", () => {
    const withSelfParent = [...fullTrace(), span("f", "f", T0 + 5, 1, { service: "loop" })];
    const full = buildTraceModel("t1", withSelfParent);
    const lean = outlineModel("t1", withSelfParent);
    expect(treeFacts(lean)).toEqual(treeFacts(full));
    for (const id of ["a", "b", "c", "d", "e", "f", "gone"]) {
      expect(lean.indexOf.get(id)).toBe(full.indexOf.get(id));
      expect(lean.indexOf.has(id)).toBe(full.indexOf.has(id));
    }
  });

  it("keeps the parent id of a span whose parent is not in the trace", () => {
    const spans = roundTrip("t1", fullTrace());
    expect(spans.find((s) => s.spanId === "e")?.parentSpanId).toBe("gone");
    expect(spans.find((s) => s.spanId === "a")?.parentSpanId).toBeNull();
  });

  it("stores each string once and times relative to the trace start", () => {
    const outline = encodeTraceOutline("t1", fullTrace());
    expect(outline.startUs).toBe(T0);
    expect(outline.start[0]).toBe(0);
    expect(outline.strings.filter((s) => s === "retry")).toHaveLength(1);
    expect(outline.strings.filter((s) => s === "cart")).toHaveLength(1);
    expect(outline.spanId).toEqual(["a", "b", "d", "c", "b", "e"]);
    expect(outline.eventTime).toEqual([21, 25, 40]);
  });

  it("round-trips an empty trace", () => {
    expect(roundTrip("t0", [])).toEqual([]);
  });

  it("refuses an outline whose columns do not fit together", () => {
    const outline = encodeTraceOutline("t1", fullTrace());
    expect(() => decodeTraceOutline({ ...outline, duration: outline.duration.slice(1) })).toThrow(/duration/);
    expect(() => decodeTraceOutline({ ...outline, eventName: [] })).toThrow(/events/);
    expect(() => decodeTraceOutline({ ...outline, service: outline.service.map(() => 99) })).toThrow(/service 99/);
    expect(() => decodeTraceOutline({ ...outline, parent: outline.parent.map(() => 99) })).toThrow(/parent 99/);
  });

  it("checks every value as it decodes (the wire schema checks only the frame)", () => {
    const wire = (): Record<string, unknown> => JSON.parse(JSON.stringify(encodeTraceOutline("t1", fullTrace())));
    const broken = (column: string, at: number, value: unknown) => {
      const o = wire();
      (o[column] as unknown[])[at] = value;
      return () => decodeTraceOutline(TraceOutlineWire.parse(o));
    };
    expect(broken("kind", 2, 99)).toThrow(/kind of span 2/);
    expect(broken("kind", 2, "1")).toThrow(/kind of span 2/);
    expect(broken("status", 1, 3)).toThrow(/status of span 1/);
    expect(broken("start", 3, "12")).toThrow(/start of span 3/);
    expect(broken("duration", 0, null)).toThrow(/duration of span 0/);
    expect(broken("spanId", 4, 7)).toThrow(/spanId of span 4/);
    expect(broken("parent", 1, -2)).toThrow(/parent of span 1/);
    expect(broken("parent", 1, 0.5)).toThrow(/parent of span 1/);
    expect(broken("service", 1, "0")).toThrow(/service 0 is out of range/);
    expect(broken("name", 1, "0")).toThrow(/string 0 is out of range/);
    expect(broken("eventCount", 0, -1)).toThrow(/eventCount of span 0/);
    expect(broken("eventCount", 0, 99)).toThrow(/fewer events/);
    expect(broken("eventTime", 0, "21")).toThrow(/eventTime of span/);
    expect(broken("eventName", 0, 999)).toThrow(/string 999 is out of range/);
    expect(broken("services", 0, [0])).toThrow(/service 0 is not a pair/);
    expect(broken("strings", 0, 5)).toThrow(/string 0 is not a string/);
    expect(broken("statusMessage", 0, [99, 0])).toThrow(/statusMessage names span 99/);
    expect(broken("missingParent", 0, [5, 3])).toThrow(/missingParent 0 has no parent span id/);
    expect(() => TraceOutlineWire.parse({ ...wire(), start: "0,1" })).toThrow(/start/);
    // The untouched outline decodes: the helper itself breaks nothing.
    expect(decodeTraceOutline(TraceOutlineWire.parse(wire())).spans).toHaveLength(6);
  });
});
