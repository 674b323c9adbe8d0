import { describe, expect, it } from "vitest";
import { loginPath, oidcLoginPath, sanitizeReturnTo } from "./return-to";

describe("sanitizeReturnTo", () => {
  it("keeps a path on this origin with its query and hash", () => {
    expect(sanitizeReturnTo("/graph?namespaces=bookinfo&window=300#x")).toBe("/graph?namespaces=bookinfo&window=300#x");
    expect(sanitizeReturnTo("/services/bookinfo/reviews")).toBe("/services/bookinfo/reviews");
  });

  it("sends anything that could leave the origin to the overview", () => {
    for (const evil of [
      "https://evil.example/",
      "//evil.example/path",
      "/\\evil.example",
      "/%5Cevil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "/\t/evil.example",
      "evil.example",
    ]) {
      expect(sanitizeReturnTo(evil), evil).toBe("/overview");
    }
  });

  it("falls back to the overview when there is nothing to return to", () => {
    expect(sanitizeReturnTo(null)).toBe("/overview");
    expect(sanitizeReturnTo(undefined)).toBe("/overview");
    expect(sanitizeReturnTo("")).toBe("/overview");
  });

  it("never returns to the login page, which would loop", () => {
    expect(sanitizeReturnTo("/login?returnTo=/graph")).toBe("/overview");
    expect(sanitizeReturnTo("/login")).toBe("/overview");
  });

  it("resolves dot segments before deciding", () => {
    expect(sanitizeReturnTo("/graph/../login")).toBe("/overview");
    expect(sanitizeReturnTo("/a/../traces")).toBe("/traces");
  });
});

describe("loginPath", () => {
  it("carries the page to return to, encoded", () => {
    expect(loginPath("/graph?namespaces=a,b")).toBe("/login?returnTo=%2Fgraph%3Fnamespaces%3Da%2Cb");
    expect(new URLSearchParams(loginPath("/traces?service=x&limit=20").split("?")[1]).get("returnTo")).toBe(
      "/traces?service=x&limit=20",
    );
  });

  it("leaves out a returnTo that is only the default", () => {
    expect(loginPath("/overview")).toBe("/login");
    expect(loginPath("https://evil.example")).toBe("/login");
  });
});

describe("oidcLoginPath", () => {
  it("hands the sanitised return path to the server's OIDC login", () => {
    expect(oidcLoginPath("/mesh-config?tab=revisions")).toBe(
      "/auth/oidc/login?returnTo=%2Fmesh-config%3Ftab%3Drevisions",
    );
    expect(oidcLoginPath("//evil.example")).toBe("/auth/oidc/login?returnTo=%2Foverview");
  });
});
