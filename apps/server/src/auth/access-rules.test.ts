import { describe, expect, it } from "vitest";
import { classify } from "./access-rules.js";

describe("request classification", () => {
  it("keeps ops endpoints, who-am-I, sign-in, OIDC and the UI public", () => {
    for (const [m, p] of [
      ["GET", "/healthz"],
      ["GET", "/readyz"],
      ["GET", "/metrics"],
      ["GET", "/api/auth/me"],
      ["POST", "/api/auth/login"],
      ["POST", "/api/auth/logout"],
      ["GET", "/auth/oidc/callback"],
      ["GET", "/"],
      ["GET", "/traces/abc"],
      ["GET", "/assets/index-abc.js"],
    ] as const) {
      expect(classify(m, p), `${m} ${p}`).toEqual({ kind: "public" });
    }
  });

  it("wants a viewer for reads under /api and /jaeger/api, and for declared read-only POSTs", () => {
    for (const [m, p] of [
      ["GET", "/api/services"],
      ["HEAD", "/api/events"],
      ["GET", "/jaeger/api/traces/abc"],
      ["GET", "/API/Services/"],
      ["POST", "/api/mesh/validate"],
      ["POST", "/api/mesh/validate/"],
    ] as const) {
      expect(classify(m, p), `${m} ${p}`).toEqual({ kind: "role", role: "viewer" });
    }
  });

  it("sends telemetry pushes to the ingest check", () => {
    for (const p of ["/v1/traces", "/v1/metrics", "/api/v2/spans", "/api/v1/write"])
      expect(classify("POST", p)).toEqual({ kind: "ingest" });
  });

  it("wants an editor for every other change, listed or not (default deny)", () => {
    for (const [m, p] of [
      ["POST", "/api/mesh/wizards/mtls"],
      ["PUT", "/api/mesh/objects/virtualservice/a/b"],
      ["DELETE", "/api/mesh/objects/virtualservice/a/b"],
      ["PATCH", "/api/services"],
      ["POST", "/api/something-new"],
      ["PUT", "/v1/traces"],
      ["POST", "/api/auth/me"],
      ["DELETE", "/"],
    ] as const) {
      expect(classify(m, p), `${m} ${p}`).toEqual({ kind: "role", role: "editor" });
    }
  });
});
