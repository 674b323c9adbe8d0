import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeRemoteWrite, type PrometheusSample, parsePrometheusText, type RemoteWriteSeries } from "@meshscope/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookinfoTopology } from "../sim/bookinfo.js";
import { type RunningDemoMesh, startDemoMesh } from "./demo-runner.js";
import { startTestOtlpReceiver, type TestOtlpReceiver } from "./otlp-receiver.testing.js";

// Istio's Bookinfo samples in ../shared beside the repository (CI always has it there).
const FIXTURES = fileURLToPath(new URL("../../../../../shared/fixtures/istio/bookinfo-networking", import.meta.url));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

async function scrape(url: string): Promise<PrometheusSample[]> {
  const parsed = parsePrometheusText(await (await fetch(url)).text());
  expect(parsed.errors).toEqual([]);
  return parsed.samples.filter((s) => s.name === "istio_requests_total");
}

/** Requests the reviews workloads received so far, by version (the destination proxies' view). */
function reviewsByVersion(samples: PrometheusSample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    if (s.labels.reporter !== "destination" || s.labels.destination_service_name !== "reviews") continue;
    const version = s.labels.destination_version ?? "?";
    out[version] = (out[version] ?? 0) + s.value;
  }
  return out;
}

describe("startDemoMesh running Bookinfo", () => {
  let dir: string;
  let otlp: TestOtlpReceiver;
  let capture: Server;
  let captureUrl: string;
  const pushed: RemoteWriteSeries[][] = [];
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  let demo: RunningDemoMesh;
  const namespace = bookinfoTopology().services.find((s) => s.name === "reviews")?.namespace ?? "default";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meshscope-demo-config-"));
    otlp = await startTestOtlpReceiver();
    capture = createServer((req, res) => {
      void readBody(req).then((body) => {
        pushed.push(decodeRemoteWrite(body).timeseries);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve));
    const address = capture.address();
    if (address === null || typeof address === "string") throw new Error("capture server has no port");
    captureUrl = `http://127.0.0.1:${address.port}/api/v1/write`;
    demo = await startDemoMesh({
      topology: bookinfoTopology(),
      seed: 11,
      rps: 60,
      loggedInShare: 0.3,
      sampleRate: 1,
      meshConfigDir: dir,
      metricsListen: { host: "127.0.0.1", port: 0 },
      otlpTracesUrl: otlp.url,
      remoteWriteUrl: captureUrl,
      remoteWriteIntervalMs: 500,
      tickMs: 50,
      log: (level, message, fields) => logs.push({ level, message, ...(fields && { fields }) }),
    });
  });

  afterAll(async () => {
    await demo?.stop();
    await otlp?.close();
    await new Promise<void>((resolve) => (capture ? capture.close(() => resolve()) : resolve()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves istio_requests_total for every Bookinfo edge, from both reporters, within a few seconds", async () => {
    const url = demo.metricsUrl ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/stats\/prometheus$/);
    const edges = [
      ["productpage-v1", "details-v1"],
      ["productpage-v1", "reviews-v1"],
      ["productpage-v1", "reviews-v2"],
      ["productpage-v1", "reviews-v3"],
      ["reviews-v2", "ratings-v1"],
      ["reviews-v3", "ratings-v1"],
    ];
    const seen = (samples: PrometheusSample[], from: string, to: string, reporter: string) =>
      samples.some(
        (s) =>
          s.labels.source_workload === from &&
          s.labels.destination_workload === to &&
          s.labels.reporter === reporter &&
          s.value > 0,
      );
    const samples = await waitFor("every Bookinfo edge", async () => {
      const now = await scrape(url);
      const complete = edges.every(
        ([from = "", to = ""]) => seen(now, from, to, "source") && seen(now, from, to, "destination"),
      );
      return complete ? now : undefined;
    });
    // The gateway reports only as `source` (it has no inbound sidecar), toward productpage.
    expect(
      samples.some(
        (s) => s.labels.destination_workload === "productpage-v1" && s.labels.source_workload?.includes("ingress"),
      ),
    ).toBe(true);
  });

  it("exports a client and a server span per hop to the OTLP endpoint", async () => {
    await waitFor("spans from productpage and reviews", async () =>
      otlp.spans.some((s) => s.service.startsWith("reviews")) ? true : undefined,
    );
    // Each hop: the caller's sidecar reports a client span, the callee's a server span whose parent it is.
    const byId = new Map(otlp.spans.map((s) => [s.spanId, s]));
    const hops = otlp.spans.filter((s) => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return s.kind === "server" && parent?.kind === "client" && parent.traceId === s.traceId;
    });
    expect(
      hops.some(
        (s) => s.service.startsWith("reviews") && byId.get(s.parentSpanId ?? "")?.service.startsWith("productpage"),
      ),
    ).toBe(true);
    expect(new Set(otlp.spans.map((s) => s.spanId)).size).toBe(otlp.spans.length);
  });

  it("pushes the same metrics by remote-write", async () => {
    const series = await waitFor("a remote-write push", async () => pushed.at(-1));
    expect(series.some((s) => s.labels.__name__ === "istio_requests_total")).toBe(true);
    expect(series.some((s) => s.labels.__name__ === "istio_request_duration_milliseconds_bucket")).toBe(true);
  });

  it("sends every new request to reviews-v3 once a VirtualService in the config directory says so", async () => {
    await mkdir(join(dir, namespace), { recursive: true });
    await copyFile(join(FIXTURES, "destination-rule-all.yaml"), join(dir, namespace, "destination-rule-all.yaml"));
    await copyFile(join(FIXTURES, "virtual-service-reviews-v3.yaml"), join(dir, namespace, "vs-reviews.yaml"));
    await waitFor("the config to be applied", async () =>
      logs.some((l) => l.message === "mesh config applied" && Number(l.fields?.objects) >= 5) ? true : undefined,
    );
    // Nothing about the config may warn. (A push round skipped because the machine is busy is not about it.)
    const timing = "remote-write push slower than its interval; rounds skipped";
    expect(logs.filter((l) => l.level !== "info" && l.message !== timing)).toEqual([]);
    // Requests that started before the change may still complete on v1/v2; give them a moment.
    await new Promise((r) => setTimeout(r, 1500));
    const url = demo.metricsUrl ?? "";
    const before = reviewsByVersion(await scrape(url));
    await new Promise((r) => setTimeout(r, 2500));
    const after = reviewsByVersion(await scrape(url));
    const delta = (v: string) => (after[v] ?? 0) - (before[v] ?? 0);
    expect(delta("v3")).toBeGreaterThan(20);
    expect(delta("v1")).toBe(0);
    expect(delta("v2")).toBe(0);
  });

  it("reports a config file it cannot parse and keeps running", async () => {
    const bad = join(dir, namespace, "broken.yaml");
    await writeFile(bad, "kind: VirtualService\nspec: [unclosed\n");
    await demo.reloadConfig();
    await waitFor("a warning about the broken file", async () =>
      logs.some((l) => l.level === "warn" && String(l.fields?.file).includes("broken.yaml")) ? true : undefined,
    );
    await rm(bad);
  });

  it("closes the metrics endpoint on stop", async () => {
    const url = demo.metricsUrl ?? "";
    await demo.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
