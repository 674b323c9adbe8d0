import { TraceSearchResponse } from "@meshscope/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiGet, apiPath, csrfHeaders, currentCsrfToken, setCsrfTokenSource } from "./client";

function stubFetch(status: number, body: string) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(body, { status, headers: { "Content-Type": "application/json" } })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("apiGet", () => {
  it("returns the body once it matches the schema", async () => {
    stubFetch(200, JSON.stringify({ traces: [] }));
    await expect(apiGet("/api/traces", TraceSearchResponse)).resolves.toEqual({ traces: [] });
  });

  it("turns the error envelope into an ApiError with the server's code and message", async () => {
    stubFetch(400, JSON.stringify({ error: { code: "bad_request", message: "minDuration: not a duration" } }));
    const error = await apiGet("/api/traces", TraceSearchResponse).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "bad_request", message: "minDuration: not a duration" });
  });

  it("reports an error answer without an envelope by its status", async () => {
    stubFetch(502, "<html>Bad Gateway</html>");
    await expect(apiGet("/api/traces", TraceSearchResponse)).rejects.toMatchObject({ status: 502, code: "http_502" });
  });

  it("rejects a body that does not match the schema instead of passing it on", async () => {
    stubFetch(200, JSON.stringify({ traces: [{ traceId: 1 }] }));
    await expect(apiGet("/api/traces", TraceSearchResponse)).rejects.toMatchObject({ code: "bad_response" });
  });

  it("reports an unreachable server as a network error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(apiGet("/api/services", TraceSearchResponse)).rejects.toMatchObject({
      status: 0,
      code: "network_error",
    });
  });
});

describe("apiPath", () => {
  it("leaves out empty and undefined parameters", () => {
    expect(apiPath("/api/traces", { service: "cart", operation: "", limit: 20, tags: undefined })).toBe(
      "/api/traces?service=cart&limit=20",
    );
  });
});

describe("csrfHeaders", () => {
  it("adds the session's token to every mutating method", () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "post"]) {
      expect(csrfHeaders(method, "tok-1"), method).toEqual({ "X-CSRF-Token": "tok-1" });
    }
  });

  it("sends no token with reads, and none when there is no session", () => {
    expect(csrfHeaders("GET", "tok-1")).toEqual({});
    expect(csrfHeaders("HEAD", "tok-1")).toEqual({});
    expect(csrfHeaders("POST", null)).toEqual({});
    expect(csrfHeaders("POST", "")).toEqual({});
  });
});

describe("setCsrfTokenSource", () => {
  it("reads the token where the app points it, and forgets it when undone", () => {
    let token: string | null = "first";
    const undo = setCsrfTokenSource(() => token);
    expect(currentCsrfToken()).toBe("first");
    token = "second";
    expect(currentCsrfToken()).toBe("second");
    undo();
    expect(currentCsrfToken()).toBeNull();
  });

  it("keeps a newer source when an older one is undone", () => {
    const undoOld = setCsrfTokenSource(() => "old");
    const undoNew = setCsrfTokenSource(() => "new");
    undoOld();
    expect(currentCsrfToken()).toBe("new");
    undoNew();
  });
});
