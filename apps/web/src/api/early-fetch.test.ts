import { TraceSearchResponse } from "@meshscope/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiGet, apiPath } from "./client";
import { startEarlyGet, takeEarlyGet, traceOutlinePath } from "./early-fetch";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("early GETs (started by the entry before the page loads)", () => {
  it("asks the server once: the page's apiGet of the same path takes the early response, a refetch asks again", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ traces: [] }), { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    startEarlyGet("/api/traces?service=a");
    startEarlyGet("/api/traces?service=a");
    expect(fetch).toHaveBeenCalledTimes(1);
    await expect(apiGet("/api/traces?service=a", TraceSearchResponse)).resolves.toEqual({ traces: [] });
    expect(fetch).toHaveBeenCalledTimes(1);
    await apiGet("/api/traces?service=a", TraceSearchResponse);
    expect(fetch).toHaveBeenCalledTimes(2);
    // Another path never takes it.
    startEarlyGet("/api/traces?service=b");
    await apiGet("/api/traces?service=c", TraceSearchResponse);
    expect(takeEarlyGet("/api/traces?service=b")).toBeDefined();
  });

  it("leaves a failed early request for the page to report, as its own request would", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("connection refused");
      }),
    );
    startEarlyGet("/api/traces?x=1");
    await expect(apiGet("/api/traces?x=1", TraceSearchResponse)).rejects.toMatchObject({ code: "network_error" });
  });

  it("names the trace page's first request exactly as the page builds it", () => {
    for (const id of ["4bf92f3577b34da6a3ce929d0e0e4736", "with space", "ünïcode", "a%2Fb"]) {
      const encoded = encodeURIComponent(id);
      expect(traceOutlinePath(`/traces/${encoded}`)).toBe(
        apiPath(`/api/traces/${encodeURIComponent(id)}`, { view: "outline" }),
      );
    }
    for (const other of [
      "/traces",
      "/traces/",
      "/traces/compare",
      "/traces/open",
      "/graph",
      "/traces/a/b",
      "/traces/%E0",
    ]) {
      expect(traceOutlinePath(other)).toBeNull();
    }
  });
});
