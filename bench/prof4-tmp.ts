import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "@meshscope/server/store";
import { createWriteQueue } from "../apps/server/src/ingest/write-queue.ts";

const mode = (process.argv[2] ?? "worker") as "worker" | "main";
const TOTAL = Number(process.argv[3] ?? 300_000);
const dir = mkdtempSync(join(tmpdir(), "prof4-"));
const store = openSqliteStore({ path: join(dir, "q.db"), writerThread: mode, retentionIntervalMs: 0 });
let commits = 0;
let commitMs = 0;
const queue = createWriteQueue({
  writer: store.writer,
  maxQueuedSpans: 50_000,
  maxBatchSpans: 10_000,
  maxInFlightBatches: Number(process.env.INFLIGHT ?? 2),
  onCommit: (i) => {
    commits++;
    commitMs += i.durationMs;
  },
});
const res = Array.from({ length: 50 }, (_, s) => ({
  "service.name": `svc-${s}`,
  "k8s.namespace.name": "ns",
  "k8s.pod.name": `svc-${s}-abc`,
}));
const now = Date.now() * 1000;
let t = 0;
function request(): any[] {
  // stands in for HTTP + protobuf decode: builds 500 fresh span objects (50 traces)
  const spans = [];
  for (let k = 0; k < 50; k++, t++) {
    const tid = createHash("md5").update(`t${t}`).digest("hex");
    for (let i = 0; i < 10; i++) {
      const s = (t * 7 + i * 13) % 50;
      const n = t * 10 + i;
      spans.push({
        traceId: tid,
        spanId: tid.slice(0, 14) + String(i).padStart(2, "0"),
        parentSpanId: i ? tid.slice(0, 16) : null,
        service: `svc-${s}`,
        namespace: "ns",
        name: `GET /api/${i}`,
        kind: "server",
        startUs: now + t * 100 + i,
        durationUs: 1000 + (t % 5000),
        status: { code: "unset" },
        attributes: {
          "http.method": "GET",
          "http.status_code": 200,
          "http.url": `http://x.svc/api/items/${n}`,
          "http.user_agent": "Mozilla/5.0 (X11; Linux x86_64) meshscope-bench/1.0",
          "net.peer.name": "svc-3",
          "user.id": n % 100000,
          component: "proxy",
          upstream_cluster: "outbound|9080||svc-1.default.svc.cluster.local",
          "guid:x-request-id": tid,
          response_flags: "-",
        },
        resource: res[s],
        scope: { name: "x", version: "1" },
        events: [],
        links: [],
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      });
    }
  }
  return spans;
}
if (process.argv[4] === "gen") {
  const c0 = performance.now();
  let n = 0;
  while (n < TOTAL) {
    n += request().length;
  }
  console.log("gen only", Math.round(n / ((performance.now() - c0) / 1000)));
  process.exit(0);
}
let sent = 0;
let committed = 0;
let full = 0;
const t0 = performance.now();
async function client(): Promise<void> {
  while (sent < TOTAL) {
    sent += 500;
    const spans = request();
    try {
      await queue.enqueue(spans);
      committed += spans.length;
    } catch {
      full++;
      sent -= 500;
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setImmediate(r));
  }
}
await Promise.all(Array.from({ length: 16 }, client));
const secs = (performance.now() - t0) / 1000;
console.log(
  mode,
  "committed",
  committed,
  "in",
  secs.toFixed(1),
  "s =",
  Math.round(committed / secs),
  "spans/s; 429s",
  full,
  "rss MB",
  Math.round(process.memoryUsage().rss / 2 ** 20),
  "commits",
  commits,
  "avg spans",
  Math.round(committed / commits),
  "avg ms",
  (commitMs / commits).toFixed(1),
);
await store.close();
rmSync(dir, { recursive: true, force: true });
