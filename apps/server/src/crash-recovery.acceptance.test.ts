/**
 * ACCEPTANCE (issue #2, issue #8): a 2xx means committed. The process is killed with SIGKILL at a random moment
 * of a load of concurrent OTLP span requests and remote-write pushes, the file passes PRAGMA integrity_check,
 * meshscope restarts on it, and every span of every acknowledged request is there; round after round.
 * And SIGTERM drains: requests in flight when it arrives are answered 2xx and their spans survive.
 */
import { request } from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { apiClient } from "./test-support/api-client.js";
import { childServerPerTest } from "./test-support/child-server.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "./test-support/otlp-json.js";
import { snappyLiterals, writeRequest } from "./test-support/remote-write-body.js";

const children = childServerPerTest("meshscope-crash-");

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

/**
 * Crash rounds: 5 by default, MESHSCOPE_CRASH_ROUNDS for a longer run (e.g. 50 before a release). Each round
 * restarts meshscope on the same file, loads it with OTLP/HTTP spans and Prometheus remote-write pushes, and
 * kills it with SIGKILL at a random moment.
 */
const CRASH_ROUNDS = Math.max(1, Number(process.env.MESHSCOPE_CRASH_ROUNDS ?? "5") || 5);

const REMOTE_WRITE_HEADERS = {
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
};

/** One push of request counters for a few edges, at `push` (cumulative values grow with it). */
function remoteWritePush(round: number, push: number): Uint8Array {
  const timestampMs = Date.now();
  return snappyLiterals(
    writeRequest(
      Array.from({ length: 8 }, (_, i) => ({
        labels: {
          __name__: "istio_requests_total",
          reporter: "destination",
          source_workload: `crash-client-${i}`,
          source_workload_namespace: "crash",
          destination_workload: `crash-server-${round}`,
          destination_workload_namespace: "crash",
          response_code: "200",
        },
        samples: [{ value: push * 10 + i, timestampMs }],
      })),
    ),
  );
}

/** PRAGMA integrity_check on the file as the kill left it (the WAL included), read-only. */
function integrityCheck(dbPath: string): unknown[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    // "ok" alone, or one row per problem found.
    return db.prepare("PRAGMA integrity_check").pluck().all();
  } finally {
    db.close();
  }
}

describe("crash safety", () => {
  it(
    `keeps every span acknowledged before a SIGKILL at a random moment of a mixed load, ${CRASH_ROUNDS} times over`,
    async () => {
      const db = path.join(children.dir, "meshscope.db");
      const spansPerRequest = 50;
      // Trace ids of every round: each restart must still hold what all earlier rounds acknowledged.
      const ackedAll = new Map<string, number>();
      let lastRound = new Map<string, number>();
      for (let round = 1; round <= CRASH_ROUNDS; round++) {
        const running = await children.start(db);
        // What the previous kill interrupted is all there, read through the restarted server.
        await expectAllStored(running.consoleUrl, lastRound);
        const acked = new Map<string, number>();
        let stop = false;
        let inFlight = 0;
        let cutOff = 0;
        let metricPushes = 0;
        const spanWorker = async () => {
          while (!stop) {
            inFlight++;
            const traceId = randomTraceId();
            const spans = Array.from({ length: spansPerRequest }, () => otlpJsonSpan({ traceId }));
            try {
              const res = await postOtlpJson(running.otlpHttpUrl, otlpJsonRequest(`crash-load-${round}`, spans));
              if (res.ok) acked.set(traceId, spansPerRequest);
              await res.arrayBuffer();
            } catch {
              cutOff++; // in flight when the process died: never acknowledged, so no promise was made
            } finally {
              inFlight--;
            }
          }
        };
        const metricWorker = async () => {
          for (let push = 1; !stop; push++) {
            try {
              const res = await fetch(`${running.consoleUrl}/api/v1/write`, {
                method: "POST",
                headers: REMOTE_WRITE_HEADERS,
                body: remoteWritePush(round, push),
              });
              if (res.ok) metricPushes++;
              await res.arrayBuffer();
            } catch {
              cutOff++;
            }
          }
        };
        const workers = [...Array.from({ length: 10 }, spanWorker), ...Array.from({ length: 2 }, metricWorker)];
        // A random moment once the load is flowing: some acknowledged, then 0–1.5 s more.
        const started = Date.now();
        while ((acked.size < 20 || metricPushes < 2) && Date.now() - started < 20_000) {
          await new Promise((r) => setTimeout(r, 20));
        }
        const extraMs = Math.floor(Math.random() * 1500);
        await new Promise((r) => setTimeout(r, extraMs));
        const inFlightAtKill = inFlight;
        running.process.kill("SIGKILL");
        stop = true;
        await Promise.all(workers);
        expect(await running.exited).toBeNull();
        expect(acked.size).toBeGreaterThanOrEqual(20);
        expect(metricPushes).toBeGreaterThanOrEqual(2);
        expect(inFlightAtKill).toBeGreaterThan(0);
        expect(integrityCheck(db)).toEqual(["ok"]);
        for (const [traceId, n] of acked) ackedAll.set(traceId, n);
        lastRound = acked;
        console.info(
          `round ${round}/${CRASH_ROUNDS}: SIGKILL ${extraMs} ms into the load with ${inFlightAtKill} requests in ` +
            `flight; ${acked.size} span requests and ${metricPushes} remote-write pushes acknowledged, ${cutOff} cut off`,
        );
      }
      const restarted = await children.start(db);
      await expectAllStored(restarted.consoleUrl, ackedAll);
    },
    CRASH_ROUNDS * 40_000,
  );

  it("drains on SIGTERM: requests in flight are answered 2xx, stored, and the process exits 0", async () => {
    const db = path.join(children.dir, "meshscope.db");
    const running = await children.start(db);
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

    const restarted = await children.start(db);
    await expectAllStored(restarted.consoleUrl, acked);
  });
});
