import { encodeTraceOutline } from "@meshscope/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { fetchTrace, fetchTraceOutline, serverTraceDetails } from "./queries";
import { span } from "./test-spans.test-support";
import { localTraceDetails } from "./trace-details";

function stubFetch(status: number, body: string) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(body, { status, headers: { "Content-Type": "application/json" } })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("fetchTrace", () => {
  it("returns the parsed and checked trace", async () => {
    const trace = { traceId: "t1", spans: [span("a", null, 0, 5), span("b", "a", 1, 2)] };
    stubFetch(200, JSON.stringify(trace));
    await expect(fetchTrace("t1")).resolves.toEqual(trace);
  });

  it("turns the error envelope into an ApiError with the server's code and message", async () => {
    stubFetch(404, JSON.stringify({ error: { code: "not_found", message: "trace t1 not found" } }));
    const error = await fetchTrace("t1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "trace t1 not found" });
  });

  it("reports an error answer without an envelope by its status", async () => {
    stubFetch(502, "<html>Bad Gateway</html>");
    await expect(fetchTrace("t1")).rejects.toMatchObject({ status: 502, code: "http_502" });
  });

  it("refuses a body that is not JSON, and one that is not a trace, as bad responses", async () => {
    stubFetch(200, '{"traceId":"t1","spans":[{"spanId":');
    await expect(fetchTrace("t1")).rejects.toMatchObject({ code: "bad_response" });
    stubFetch(200, JSON.stringify({ traceId: "t1", spans: [{ ...span("a", null, 0, 1), kind: "sideways" }] }));
    await expect(fetchTrace("t1")).rejects.toMatchObject({ code: "bad_response", message: /spans\[0\]\.kind/ });
  });

  it("reports an unreachable server as a network error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(fetchTrace("t1")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });
});

describe("fetchTraceOutline", () => {
  it("asks for the outline view and gives its spans back", async () => {
    const spans = [
      span("a", null, 100, 50, { service: "front" }),
      span("b", "a", 110, 20, { status: { code: "error" } }),
    ];
    stubFetch(200, JSON.stringify(encodeTraceOutline("t1", spans)));
    const trace = await fetchTraceOutline("t1");
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe("/api/traces/t1?view=outline");
    expect(trace.spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.start, s.status.code])).toEqual([
      ["a", null, "front", 100, "unset"],
      ["b", "a", "svc", 110, "error"],
    ]);
  });

  it("refuses an outline whose columns disagree as a bad response", async () => {
    const outline = encodeTraceOutline("t1", [span("a", null, 0, 5)]);
    stubFetch(200, JSON.stringify({ ...outline, start: [] }));
    await expect(fetchTraceOutline("t1")).rejects.toMatchObject({ code: "bad_response", message: /start/ });
  });
});

describe("trace details", () => {
  it("asks the server for spans by id and for find matches", async () => {
    stubFetch(200, JSON.stringify({ traceId: "t1", spans: [span("b", "a", 1, 2)] }));
    const details = serverTraceDetails("t1");
    await expect(details.spans(["b", "c"])).resolves.toMatchObject([{ spanId: "b" }]);
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe("/api/traces/t1/spans?ids=b%2Cc");
    stubFetch(200, JSON.stringify({ spanIds: ["b"] }));
    await expect(details.find("tier 1")).resolves.toEqual(["b"]);
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe("/api/traces/t1/find?q=tier+1");
  });

  it("answers a file's spans and find from memory", async () => {
    const spans = [span("a", null, 0, 5), span("b", "a", 1, 2, { attributes: { "customer.tier": "gold" } })];
    const details = localTraceDetails("t1", spans);
    await expect(details.spans(["b", "zz"])).resolves.toEqual([spans[1]]);
    await expect(details.find("GOLD")).resolves.toEqual(["b"]);
    await expect(details.all()).resolves.toBe(spans);
  });
});
