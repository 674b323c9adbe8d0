import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify, READ_ONLY_POSTS } from "../auth/access-rules.js";
import { silentLogger } from "../ops/logger.js";
import { createFilesTarget } from "./files-target.js";
import { meshRouter } from "./mesh-routes.js";
import { MeshService } from "./mesh-service.js";
import { MUTATING_ROUTES, requireMutationAllowed } from "./mutating-routes.js";
import { openRevisionStore } from "./revisions.js";

/** POST routes that change nothing (they only check what they are sent), relative to /api like the mesh router. */
const READ_ONLY = new Set(READ_ONLY_POSTS.map(([, p]) => p.replace(/^\/api/, "")));

describe("the list of mutating mesh routes", () => {
  let dir: string;
  let service: MeshService;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "meshscope-mutating-"));
    service = new MeshService({
      target: createFilesTarget({ dir: path.join(dir, "mesh-config") }),
      revisions: openRevisionStore(path.join(dir, "meshscope.db")),
      nowUs: () => Date.now() * 1000,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function routes(): { method: string; path: string; first: unknown }[] {
    return meshRouter({ service, nowUs: () => 0 }).stack.flatMap((layer) => {
      const route = layer.route;
      if (!route) return [];
      return route.stack.map((l) => ({ method: l.method, path: route.path, first: route.stack[0]?.handle }));
    });
  }

  it("names every route that is not a read, so the route inventory knows them all", () => {
    const writes = routes().filter((r) => r.method !== "get" && r.method !== "head" && !READ_ONLY.has(r.path));
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(
        MUTATING_ROUTES.some(([m, p]) => m === w.method && p === w.path),
        `${w.method} ${w.path}`,
      ).toBe(true);
    }
  });

  it("has the access guard ask for the editor role on each listed route", () => {
    for (const [method, p] of MUTATING_ROUTES) {
      const sample = `/api${p.replace(/:[a-z]+/g, "x")}`;
      expect(classify(method.toUpperCase(), sample), `${method} ${p}`).toEqual({ kind: "role", role: "editor" });
    }
  });

  it("refuses every change when the mesh router is mounted where the access guard does not run", async () => {
    const app = express();
    app.use("/api", meshRouter({ service, nowUs: () => 0 }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      const res = await fetch(`http://127.0.0.1:${address.port}/api/mesh/objects/virtualservice/a/b`, {
        method: "DELETE",
      });
      expect(res.status).toBe(403);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("puts requireMutationAllowed in front of each listed route", () => {
    const all = routes();
    for (const [method, p] of MUTATING_ROUTES) {
      const first = all.find((r) => r.method === method && r.path === p);
      expect(first?.first, `${method} ${p}`).toBe(requireMutationAllowed);
    }
  });
});
