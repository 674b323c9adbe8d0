import { GraphType, TraceSearchResponse } from "@meshscope/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import script from "../../public/early-requests.js?raw";
import { readPageTime } from "../features/graph/page-time";
import { readGraphView } from "../features/graph/url";
import { apiGet, apiPath } from "./client";
import { takeEarlyGet } from "./early-fetch";

/**
 * index.html's classic script (`script`, above) runs here against a stand-in window: the URL it reads and the fetch
 * it calls.
 */
type Fetch = (path: string, init?: RequestInit) => Promise<Response>;
interface StandInWindow {
  location: { pathname: string; search: string };
  fetch: Fetch;
  __meshscopeEarlyGets?: typeof globalThis.__meshscopeEarlyGets;
}

function runScript(url: string, fetch: Fetch = async () => new Response("{}")): StandInWindow {
  const parsed = new URL(url, "http://127.0.0.1");
  const window: StandInWindow = { location: { pathname: parsed.pathname, search: parsed.search }, fetch };
  new Function("window", script)(window);
  return window;
}

/** The page's own early request (besides `/api/auth/me`, which every page asks for), or null. */
function earlyPath(url: string): string | null {
  const paths = Object.keys(runScript(url).__meshscopeEarlyGets ?? {});
  expect(paths[0]).toBe("/api/auth/me");
  expect(paths.length).toBeLessThanOrEqual(2);
  return paths[1] ?? null;
}

/** The path GraphPage's query asks for (features/graph/queries.ts graphQueryOptions), from the same URL. */
function graphPagePath(search: string): string {
  const params = new URLSearchParams(search);
  const view = readGraphView(params);
  const time = readPageTime(params);
  return apiPath("/api/graph", {
    type: view.type,
    namespaces: time.namespaces.join(","),
    window: time.windowSeconds,
    end: view.end ?? undefined,
  });
}

afterEach(() => {
  globalThis.__meshscopeEarlyGets = undefined;
  vi.unstubAllGlobals();
});

describe("public/early-requests.js: the page's first request, from its URL, before the entry loads", () => {
  it("names the trace page's outline request exactly as the page builds it", () => {
    for (const id of ["4bf92f3577b34da6a3ce929d0e0e4736", "with space", "ünïcode", "a%2Fb"]) {
      expect(earlyPath(`/traces/${encodeURIComponent(id)}`)).toBe(
        apiPath(`/api/traces/${encodeURIComponent(id)}`, { view: "outline" }),
      );
    }
  });

  const graphSearches = [
    "",
    "?refresh=10s",
    "?type=workload&window=900&namespaces=bookinfo,%20default%20,,istio-system",
    "?type=mesh&window=0&namespaces=",
    "?window=99999999999&end=1700000000000000&layout=fcose&find=rps%20%3E%201",
    "?end=007&type=service&namespaces=a%26b,%C3%A9t%C3%A9",
    "?end=12345678901234567890&window=1.5",
    ...GraphType.options.map((type) => `?type=${type}`),
  ];
  for (const search of graphSearches) {
    it(`names the graph page's request exactly as the page builds it, with "${search}"`, () => {
      expect(earlyPath(`/graph${search}`)).toBe(graphPagePath(search));
      expect(earlyPath(`/graph/${search}`)).toBe(graphPagePath(search));
    });
  }

  it("asks only for the session on other pages", () => {
    for (const other of [
      "/",
      "/login?returnTo=%2Fgraph",
      "/graphs",
      "/services?type=app",
      "/traces",
      "/traces/",
      "/traces/compare",
      "/traces/open",
      "/traces/a/b",
      "/traces/%E0",
    ]) {
      const fetch = vi.fn<Fetch>(async () => new Response("{}"));
      runScript(other, fetch);
      expect(fetch.mock.calls.map((call) => call[0])).toEqual(["/api/auth/me"]);
    }
  });
});

describe("the early answers (api/early-fetch.ts)", () => {
  it("asks the server once: the page's apiGet of the same path takes the answer, a refetch asks again", async () => {
    const fetch = vi.fn<Fetch>(async () => new Response(JSON.stringify({ traces: [] }), { status: 200 }));
    globalThis.__meshscopeEarlyGets = runScript("/traces/abc", fetch).__meshscopeEarlyGets;
    vi.stubGlobal("fetch", fetch);
    const path = "/api/traces/abc?view=outline";
    expect(fetch.mock.calls).toEqual([
      ["/api/auth/me", { headers: { Accept: "application/json" } }],
      [path, { headers: { Accept: "application/json" } }],
    ]);
    await expect(apiGet(path, TraceSearchResponse)).resolves.toEqual({ traces: [] });
    expect(fetch).toHaveBeenCalledTimes(2);
    await apiGet(path, TraceSearchResponse);
    expect(fetch).toHaveBeenCalledTimes(3);
    // The session check's answer is still there for its own query, and only for it.
    await expect(apiGet("/api/auth/me", TraceSearchResponse)).resolves.toEqual({ traces: [] });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("hands an error answer to the page as its own request would", async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ error: { code: "not_found", message: "no trace abc" } }), { status: 404 }),
    );
    globalThis.__meshscopeEarlyGets = runScript("/traces/abc", fetch).__meshscopeEarlyGets;
    await expect(apiGet("/api/traces/abc?view=outline", TraceSearchResponse)).rejects.toMatchObject({
      status: 404,
      code: "not_found",
      message: "no trace abc",
    });
  });

  it("is not taken by another path, nor once it has waited 30 s unclaimed", () => {
    const answer = (expires: number) => ({
      response: Promise.resolve(new Response("{}")),
      text: Promise.resolve("{}"),
      expires,
    });
    const fresh = answer(Date.now() + 30_000);
    globalThis.__meshscopeEarlyGets = { "/api/graph?type=app&window=300": fresh };
    expect(takeEarlyGet("/api/graph?type=service&window=300")).toBeUndefined();
    expect(takeEarlyGet("toString")).toBeUndefined();
    expect(takeEarlyGet("/api/graph?type=app&window=300")).toBe(fresh);
    expect(takeEarlyGet("/api/graph?type=app&window=300")).toBeUndefined();
    globalThis.__meshscopeEarlyGets = { "/api/graph?type=app&window=300": answer(Date.now() - 1) };
    expect(takeEarlyGet("/api/graph?type=app&window=300")).toBeUndefined();
  });

  it("leaves a failed early request for the page to report, as its own request would", async () => {
    const fetch = vi.fn<Fetch>(async () => {
      throw new TypeError("connection refused");
    });
    globalThis.__meshscopeEarlyGets = runScript("/traces/x", fetch).__meshscopeEarlyGets;
    await expect(apiGet("/api/traces/x?view=outline", TraceSearchResponse)).rejects.toMatchObject({
      code: "network_error",
    });
  });
});
