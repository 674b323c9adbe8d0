import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webUiRouter } from "./web-ui";

describe("webUiRouter caching", () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "meshscope-web-ui-"));
    mkdirSync(path.join(dir, "assets"));
    writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(path.join(dir, "assets", "index-AbC123.js"), "export {};");
    writeFileSync(path.join(dir, "theme-init.js"), ";");
    const app = express();
    app.use(webUiRouter(dir));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets browsers keep content-hashed assets for a year", async () => {
    const response = await fetch(`${base}/assets/index-AbC123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("makes browsers revalidate index.html, deep links and unhashed files, so a new build shows at once", async () => {
    for (const url of ["/", "/index.html", "/graph", "/theme-init.js"]) {
      const response = await fetch(`${base}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("cache-control") ?? "", url).not.toContain("immutable");
    }
  });
});
