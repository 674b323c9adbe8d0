import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { closeGracefully, listen } from "./http-listener.js";
import { CONTENT_SECURITY_POLICY, CYTOSCAPE_STYLE_HASH, securityHeaders } from "./security-headers.js";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const EXPECTED: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

function securityHeadersOf(res: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, res.headers.get(name)]));
}

describe("security headers", () => {
  let server: TestServer;
  let webDir: string;
  beforeAll(async () => {
    // A stand-in for apps/web/dist: the static router and its SPA fallback serve it like the real build.
    webDir = mkdtempSync(path.join(tmpdir(), "meshscope-web-"));
    mkdirSync(path.join(webDir, "assets"));
    writeFileSync(path.join(webDir, "index.html"), '<!doctype html><script src="/assets/app.js"></script>');
    writeFileSync(path.join(webDir, "assets", "app.js"), "console.log('hi');\n");
    server = await startTestServer({ webDistDir: webDir });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  it("forbids inline script and style, plugins, framing and other origins in the policy", () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(";").map((d) => {
        const [name = "", ...sources] = d.trim().split(/\s+/);
        return [name, sources] as const;
      }),
    );
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("style-src")).toEqual(["'self'", CYTOSCAPE_STYLE_HASH]);
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it("allows exactly the stylesheet cytoscape injects, by its hash", () => {
    // The graph page's cytoscape (apps/web) writes this <style> when it mounts: its text, as in its source.
    const source = readFileSync(path.join(REPO_ROOT, "node_modules/cytoscape/dist/cytoscape.esm.mjs"), "utf8");
    expect(source).toContain("className = '__________cytoscape_container'");
    expect(source).toContain("textContent = '.' + className + ' { position: relative; }'");
    const text = ".__________cytoscape_container { position: relative; }";
    expect(CYTOSCAPE_STYLE_HASH).toBe(`'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  });

  it.each([
    ["the UI's index page", "/", 200],
    ["a deep link answered by the SPA fallback", "/traces/abc", 200],
    ["a static asset", "/assets/app.js", 200],
    ["a JSON API answer", "/api/services", 200],
    ["an API error", "/api/no-such-route", 404],
    ["a Jaeger API answer", "/jaeger/api/services", 200],
    ["an ops endpoint", "/healthz", 200],
  ])("are on %s (%s)", async (_what, urlPath, status) => {
    const res = await fetch(`${server.consoleUrl}${urlPath}`);
    await res.arrayBuffer();
    expect(res.status).toBe(status);
    expect(securityHeadersOf(res)).toEqual(EXPECTED);
    // Plain http: HSTS would be ignored by browsers and must not pin a loopback console to https.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("are on the receiver ports' answers too", async () => {
    for (const url of [`${server.otlpHttpUrl}/nothing-here`, `${server.zipkinUrl}/nothing-here`]) {
      const res = await fetch(url);
      await res.arrayBuffer();
      expect(res.status).toBe(404);
      expect(securityHeadersOf(res)).toEqual(EXPECTED);
    }
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent only on a request that arrived over TLS", async () => {
    // A TLS-terminating proxy in front: with `trust proxy`, X-Forwarded-Proto is what makes req.secure true.
    const app = express();
    app.set("trust proxy", "loopback");
    app.use(securityHeaders());
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    const listener = createServer(app);
    const port = await listen(listener, "127.0.0.1", 0);
    try {
      const url = `http://127.0.0.1:${port}/`;
      const overTls = await fetch(url, { headers: { "x-forwarded-proto": "https" } });
      expect(overTls.headers.get("strict-transport-security")).toBe("max-age=63072000");
      const plain = await fetch(url);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await closeGracefully(listener, 1000);
    }
  });
});
