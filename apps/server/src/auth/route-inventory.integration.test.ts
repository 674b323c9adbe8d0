/**
 * Every route of the real console app, walked from its router stack and called over HTTP: no route that needs a
 * caller answers one without credentials, no change is open to a viewer unless it is declared read-only, and no
 * non-GET route exists that no access list names.
 */
import { ErrorEnvelope } from "@meshscope/model";
import express, { type Express, Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify } from "./access-rules.js";
import { type AuthTestServer, bearer, startAuthTestServer } from "./auth.testing.js";
import { listRoutes, type RouteEntry, samplePath, unclassifiedRoutes } from "./route-inventory.js";

describe("the console's route inventory", () => {
  let t: AuthTestServer;
  let routes: RouteEntry[] = [];
  beforeAll(async () => {
    let app: Express | null = null;
    t = await startAuthTestServer(["--auth", "token", "--ingest-auth", "token"], {
      onConsoleApp: (a) => {
        app = a;
      },
    });
    if (app === null) throw new Error("the console app was not handed out");
    routes = listRoutes(app);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const changes = () => routes.filter((r) => !["GET", "HEAD", "OPTIONS"].includes(r.method));

  it("finds the routes of every router, mount paths included", () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      "GET /healthz",
      "POST /v1/traces",
      "POST /api/v1/write",
      "GET /api/auth/me",
      "POST /api/auth/login",
      "GET /api/services",
      "GET /api/mesh/objects",
      "PUT /api/mesh/objects/:kind/:namespace/:name",
      "DELETE /api/mesh/objects/:kind/:namespace/:name",
      "POST /api/mesh/wizards/:wizard",
      "POST /api/mesh/revisions/:id/rollback",
      "POST /api/mesh/validate",
      "GET /jaeger/api/services",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it("has no non-GET route that no access list names", () => {
    expect(unclassifiedRoutes(routes)).toEqual([]);
  });

  it("answers 401 to every non-public route called without credentials", async () => {
    const checked: string[] = [];
    for (const r of routes) {
      const method = r.method === "ALL" ? "POST" : r.method;
      const access = classify(method, samplePath(r.path));
      if (access.kind === "public") continue;
      const res = await fetch(t.url(samplePath(r.path)), { method });
      expect(res.status, `${method} ${r.path}`).toBe(401);
      if (method !== "HEAD") expect(ErrorEnvelope.safeParse(await res.json()).success, r.path).toBe(true);
      checked.push(`${method} ${r.path}`);
    }
    expect(checked).toContain("GET /api/services");
    expect(checked).toContain("POST /api/mesh/wizards/:wizard");
    expect(checked).toContain("POST /v1/traces");
  });

  it("answers 403 to a viewer on every change except the declared read-only and public ones", async () => {
    const refused: string[] = [];
    for (const r of changes()) {
      const method = r.method === "ALL" ? "POST" : r.method;
      const access = classify(method, samplePath(r.path));
      const res = await fetch(t.url(samplePath(r.path)), {
        method,
        headers: { "content-type": "application/json", ...bearer(t.tokens.viewer) },
        body: "{}",
      });
      const label = `${method} ${r.path}`;
      if (access.kind === "public" || (access.kind === "role" && access.role === "viewer")) {
        expect([401, 403], label).not.toContain(res.status);
      } else {
        // An ingest route with ingest auth on wants an ingest token; an editor route wants an editor.
        expect(res.status, label).toBe(403);
        refused.push(label);
      }
      await res.body?.cancel();
    }
    expect(refused).toContain("PUT /api/mesh/objects/:kind/:namespace/:name");
    expect(refused).toContain("POST /api/v1/write");
  });

  it("answers 403 to a viewer on a method no route has (default deny), and 401 without credentials", async () => {
    expect((await fetch(t.url("/api/services"), { method: "PATCH" })).status).toBe(401);
    const res = await fetch(t.url("/api/anything"), { method: "DELETE", headers: bearer(t.tokens.viewer) });
    expect(res.status).toBe(403);
  });
});

describe("the inventory check itself", () => {
  it("fails on a route added without classification", () => {
    const app = express();
    const router = Router();
    router.post("/mesh/validate", (_req, res) => {
      res.end();
    });
    router.post("/mesh/new-thing", (_req, res) => {
      res.end();
    });
    router.get("/mesh/read", (_req, res) => {
      res.end();
    });
    app.use("/api", router);
    app.post("/v1/traces", (_req, res) => {
      res.end();
    });
    expect(unclassifiedRoutes(listRoutes(app))).toEqual([{ method: "POST", path: "/api/mesh/new-thing" }]);
  });

  it("turns route patterns into paths a request can use", () => {
    expect(samplePath("/mesh/objects/:kind/:namespace/:name")).toBe("/mesh/objects/x/x/x");
    expect(samplePath("/{*splat}")).toBe("/x");
  });
});
