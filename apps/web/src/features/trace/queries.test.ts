import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { fetchTrace } from "./queries";
import { span } from "./test-spans.test-support";

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
