import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfTokenSource } from "../../api/client";
import { AnyBody, ApiSendError, apiSend } from "./send";

function recordFetch(status = 200, body = "{}") {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(body, { status, headers: { "Content-Type": "application/json" } });
    }),
  );
  return calls;
}

function headerOf(init: RequestInit | undefined, name: string): string | null {
  return new Headers(init?.headers).get(name);
}

let undoSource: (() => void) | null = null;

afterEach(() => {
  vi.unstubAllGlobals();
  undoSource?.();
  undoSource = null;
});

describe("apiSend", () => {
  it("sends the session's CSRF token with POST, PUT and DELETE", async () => {
    undoSource = setCsrfTokenSource(() => "csrf-abc");
    const calls = recordFetch();
    await apiSend("POST", "/api/mesh/wizards/mtls", AnyBody, { json: { namespace: "a" } });
    await apiSend("PUT", "/api/mesh/objects/VirtualService/a/b", AnyBody, { yaml: "kind: VirtualService" });
    await apiSend("DELETE", "/api/mesh/objects/VirtualService/a/b", AnyBody);
    expect(calls.map((c) => [c.init.method, headerOf(c.init, "X-CSRF-Token")])).toEqual([
      ["POST", "csrf-abc"],
      ["PUT", "csrf-abc"],
      ["DELETE", "csrf-abc"],
    ]);
    expect(headerOf(calls[1]?.init, "Content-Type")).toBe("application/yaml");
  });

  it("reads the token at send time, so a token from a later sign-in is used", async () => {
    let token: string | null = null;
    undoSource = setCsrfTokenSource(() => token);
    const calls = recordFetch();
    await apiSend("POST", "/api/mesh/validate", AnyBody, { yaml: "" });
    token = "after-login";
    await apiSend("POST", "/api/mesh/validate", AnyBody, { yaml: "" });
    expect(calls.map((c) => headerOf(c.init, "X-CSRF-Token"))).toEqual([null, "after-login"]);
  });

  it("keeps the server's message of a 403, so a refused change says why", async () => {
    undoSource = setCsrfTokenSource(() => "csrf-abc");
    recordFetch(403, JSON.stringify({ error: { code: "forbidden", message: "role viewer cannot apply wizards" } }));
    const error = await apiSend("POST", "/api/mesh/wizards/mtls", AnyBody, { json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiSendError);
    expect(error).toMatchObject({ status: 403, code: "forbidden", message: "role viewer cannot apply wizards" });
  });
});
