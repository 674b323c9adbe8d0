/**
 * ACCEPTANCE (issue #2): a 2xx means committed. The process is killed with SIGKILL in the middle of a load of
 * concurrent OTLP requests, restarted on the same file, and every span of every acknowledged request is there.
 * And SIGTERM drains: requests in flight when it arrives are answered 2xx and their spans survive.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiClient } from "./test-support/api-client.js";
import { type ChildServer, startChildServer } from "./test-support/child-server.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "./test-support/otlp-json.js";

let dir: string;
let child: ChildServer | null = null;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "meshscope-crash-"));
});
afterEach(async () => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill("SIGKILL");
    await child.exited;
  }
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A POST whose body is sent in two halves, the second one only when asked. */
function startUpload(url: string, body: Buffer) {
  const req = request(url, {
    method: "POST",
    agent: false,
    headers: { "content-type": "application/json", "content-length": String(body.length) },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.once("response", (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
  });
  const half = Math.floor(body.length / 2);
  const firstHalfSent = new Promise<void>((resolve) => req.write(body.subarray(0, half), () => resolve()));
  return { firstHalfSent, status, sendRest: () => req.end(body.subarray(half)) };
}

/** Every acknowledged trace must be stored with all its spans; returns how many were checked. */
async function expectAllStored(consoleUrl: string, acked: Map<string, number>): Promise<void> {
  const api = apiClient(consoleUrl);
  const missing: string[] = [];
  const ids = [...acked.keys()];
  for (let i = 0; i < ids.length; i += 16) {
    await Promise.all(
      ids.slice(i, i + 16).map(async (traceId) => {
        const stored = await api.spanIds(traceId);
        if (stored.length !== acked.get(traceId)) missing.push(`${traceId}: ${stored.length}/${acked.get(traceId)}`);
      }),
    );
  }
  expect(missing).toEqual([]);
}

describe("crash safety", () => {
  it("keeps every span acknowledged before a SIGKILL in the middle of a load", async () => {
    const db = path.join(dir, "meshscope.db");
    child = await startChildServer(db);
    const running = child;
    const spansPerRequest = 50;
    const acked = new Map<string, number>();
    let stop = false;
    let failed = 0;
    let inFlight = 0;
    const worker = async () => {
      while (!stop) {
        inFlight++;
        const traceId = randomTraceId();
        const spans = Array.from({ length: spansPerRequest }, () => otlpJsonSpan({ traceId }));
        try {
          const res = await postOtlpJson(running.otlpHttpUrl, otlpJsonRequest("crash-load", spans));
          if (res.ok) acked.set(traceId, spansPerRequest);
          await res.arrayBuffer();
        } catch {
          failed++; // in flight when the process died: never acknowledged, so no promise was made
        } finally {
          inFlight--;
        }
      }
    };
    const workers = Array.from({ length: 12 }, worker);
    // Let the load run until a good number of requests have been acknowledged, then kill mid-stream.
    const started = Date.now();
    while (acked.size < 150 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    const inFlightAtKill = inFlight;
    running.process.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);
    expect(await running.exited).toBeNull();
    expect(acked.size).toBeGreaterThanOrEqual(150);
    expect(inFlightAtKill).toBeGreaterThan(0);

    child = await startChildServer(db);
    await expectAllStored(child.consoleUrl, acked);
    console.info(
      `SIGKILL with ${inFlightAtKill} requests in flight: ${acked.size} acknowledged, all found; ${failed} cut off`,
    );
  });

  it("drains on SIGTERM: requests in flight are answered 2xx, stored, and the process exits 0", async () => {
    const db = path.join(dir, "meshscope.db");
    child = await startChildServer(db);
    const running = child;
    const acked = new Map<string, number>();
    const statuses: number[] = [];
    const bodies = Array.from({ length: 16 }, () => {
      const traceId = randomTraceId();
      const spans = Array.from({ length: 2000 }, () => otlpJsonSpan({ traceId }));
      return { traceId, spans: spans.length, bytes: Buffer.from(JSON.stringify(otlpJsonRequest("drain", spans))) };
    });
    // Each request is IN FLIGHT when the signal arrives: headers and half of its body are uploaded, so the server
    // has accepted it and cannot have answered it yet. The second halves follow the signal.
    const uploads = bodies.map((body) => startUpload(`${running.otlpHttpUrl}/v1/traces`, body.bytes));
    await Promise.all(uploads.map((u) => u.firstHalfSent));
    // Give the server's event loop time to accept every connection and start reading (nothing else is running).
    await new Promise((r) => setTimeout(r, 500));
    running.process.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    for (const u of uploads) u.sendRest();
    await Promise.all(
      uploads.map(async (u, i) => {
        const status = await u.status;
        statuses.push(status);
        const body = bodies[i];
        if (body && status === 200) acked.set(body.traceId, body.spans);
      }),
    );
    expect(await running.exited).toBe(0);
    expect(statuses).toEqual(statuses.map(() => 200));
    expect(statuses).toHaveLength(16);
    expect(running.logLines.some((l) => l.includes('"msg":"meshscope stopped"'))).toBe(true);

    child = await startChildServer(db);
    await expectAllStored(child.consoleUrl, acked);
  });
});
