/**
 * Demo mode (DESIGN §2, issue #4 §5): the bundled Bookinfo runs inside meshscope unless turned off, its metrics
 * scraped and its spans received through the public protocols, and it stops with the server.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ScrapeTargetsResponse, ServicesResponse, TraceSearchResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type MeshscopeConfig } from "../config/load-config.js";
import { createLogger } from "../ops/logger.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { BOOKINFO_HOPS, edgeRps, fetchGraph, waitFor } from "./bookinfo-graph.testing.js";

function demoFlag(argv: string[], env: Record<string, string> = {}): boolean {
  const loaded = loadConfig({ argv, env });
  if (loaded.kind !== "config") throw new Error("expected a configuration");
  return loaded.config.demo;
}

async function scrapeTargets(consoleUrl: string): Promise<ScrapeTargetsResponse> {
  return ScrapeTargetsResponse.parse(await (await fetch(`${consoleUrl}/api/scrape-targets`)).json());
}

/** A scrape target nobody listens on: port 9 (discard) on loopback refuses the connection. */
const USER_TARGET = "http://127.0.0.1:9/stats/prometheus";

describe("meshscope with the demo mesh on (the default)", () => {
  let server: TestServer;
  let root: string;
  let meshConfigDir: string;
  const logLines: string[] = [];
  let startedMs: number;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "meshscope-demo-mode-"));
    meshConfigDir = path.join(root, "mesh-config");
    startedMs = Date.now();
    // Every demo setting at its default (20 rps, the demo's endpoint scraped every 5 s): what `npm start` does.
    server = await startTestServer(
      { demo: true, meshConfigDir, scrapeTargets: [USER_TARGET] },
      { logger: createLogger("info", (line) => logLines.push(line)) },
    );
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("shows every Bookinfo hop with traffic on /api/graph within 30 seconds of start", async () => {
    const rates = await waitFor(
      "every Bookinfo hop to carry traffic",
      async () => {
        const graph = await fetchGraph(server.consoleUrl, { windowS: 30, injectServiceNodes: false });
        const rps = BOOKINFO_HOPS.map(([from, to]) => edgeRps(graph, from, to));
        return { value: rps.every((r) => r > 0) ? rps : undefined, seen: JSON.stringify(graph.edges.map((e) => e.id)) };
      },
      30_000 - (Date.now() - startedMs),
    );
    expect(rates.every((r) => r > 0)).toBe(true);
  });

  it("sends the demo's spans to its own OTLP receiver, one trace spanning gateway to reviews", async () => {
    const trace = await waitFor(
      "a trace of a page view",
      async () => {
        const q = new URLSearchParams({ service: "istio-ingressgateway.istio-system", limit: "20" });
        const res = TraceSearchResponse.parse(await (await fetch(`${server.consoleUrl}/api/traces?${q}`)).json());
        const full = res.traces.find((t) => t.services.some((s) => s.name === "reviews.bookinfo"));
        return { value: full, seen: `${res.traces.length} traces` };
      },
      20_000,
    );
    const services = trace.services.map((s) => s.name);
    expect(services).toEqual(expect.arrayContaining(["productpage.bookinfo", "details.bookinfo", "reviews.bookinfo"]));
  });

  it("scrapes the user's explicit targets and the demo's own endpoint side by side", async () => {
    const { targets } = await scrapeTargets(server.consoleUrl);
    expect(targets.map((t) => t.url)).toContain(USER_TARGET);
    const demoTarget = targets.find((t) => t.url !== USER_TARGET);
    expect(demoTarget?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/stats\/prometheus$/);
    expect(demoTarget?.health).toBe("up");
  });

  it("reports a mesh config file it cannot use in the server's log, and does not create a missing folder", async () => {
    expect(existsSync(meshConfigDir)).toBe(false);
    mkdirSync(path.join(meshConfigDir, "bookinfo"), { recursive: true });
    writeFileSync(path.join(meshConfigDir, "bookinfo", "broken.yaml"), "kind: VirtualService\nspec: [unclosed\n");
    const line = await waitFor(
      "a log line about broken.yaml",
      async () => {
        const hit = logLines.find((l) => l.includes("mesh config file not applied") && l.includes("broken.yaml"));
        return { value: hit, seen: `${logLines.length} log lines` };
      },
      10_000,
      200,
    );
    expect(JSON.parse(line)).toMatchObject({ level: "warn", component: "demo-mesh", file: "bookinfo/broken.yaml" });
  });

  it("stops the demo with the server: its metrics endpoint no longer answers", async () => {
    const { targets } = await scrapeTargets(server.consoleUrl);
    const demoUrl = targets.find((t) => t.url !== USER_TARGET)?.url ?? "";
    expect((await fetch(demoUrl)).status).toBe(200);
    await server.stop();
    await expect(fetch(demoUrl)).rejects.toThrow();
  });
});

describe("meshscope with the demo mesh off", () => {
  it("turns the demo off with --no-demo or MESHSCOPE_DEMO=false, and leaves it on by default", () => {
    expect(demoFlag([])).toBe(true);
    expect(demoFlag(["--no-demo"])).toBe(false);
    expect(demoFlag([], { MESHSCOPE_DEMO: "false" })).toBe(false);
    expect(demoFlag(["--demo"], { MESHSCOPE_DEMO: "false" })).toBe(true);
  });

  describe("a running server", () => {
    let server: TestServer;
    beforeAll(async () => {
      const overrides: Partial<MeshscopeConfig> = { demo: false, demoScrapeIntervalMs: 1000 };
      server = await startTestServer(overrides);
    });
    afterAll(async () => {
      await server.stop();
    });

    it("has no scrape target, no traffic and no spans", async () => {
      // Absence cannot be polled for: wait past two demo scrape intervals (1 s here), in which the demo would
      // have shown up had it started.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await scrapeTargets(server.consoleUrl)).targets).toEqual([]);
      const graph = await fetchGraph(server.consoleUrl, { windowS: 60 });
      expect(graph.edges).toEqual([]);
      const services = ServicesResponse.parse(await (await fetch(`${server.consoleUrl}/api/services`)).json());
      expect(services.services).toEqual([]);
    });
  });
});
