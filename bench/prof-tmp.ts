import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { encodeSpanRows, openRawInserter } from "@meshscope/server/store";
const variant = process.argv[2] ?? "base";
const B = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const path = join(dir, "p.db");
const ins = openRawInserter(path);
const db = new Database(path);
if (variant === "noidx") db.exec("DROP INDEX spans_service_time");
db.close();
const attrs = (i: number) => ({ "http.method": "GET", "http.status_code": 200, "http.url": `http://x.svc/api/items/${i}`, "http.user_agent": "Mozilla/5.0 (X11; Linux x86_64) meshscope-bench/1.0", "net.peer.name": "svc-3", "user.id": i % 100000, component: "proxy", upstream_cluster: "outbound|9080||svc-1.default.svc.cluster.local", "guid:x-request-id": createHash("md5").update(String(i)).digest("hex"), response_flags: "-" });
const res = Array.from({length: 50}, (_, s) => ({ "service.name": `svc-${s}`, "k8s.namespace.name": "ns" }));
let t = 0; let insertMs = 0; let encMs = 0; let insertCpu = 0; let encCpu = 0; const t0 = performance.now();
const now = Date.now() * 1000;
for (let b = 0; b < B; b++) {
  const spans = [];
  for (let k = 0; k < 1000; k++, t++) {
    const tid = createHash("md5").update(`t${t}`).digest("hex");
    for (let i = 0; i < 10; i++) {
      const s = (t * 7 + i * 13) % 50;
      spans.push({ traceId: tid, spanId: tid.slice(0, 14) + String(i).padStart(2, "0"), parentSpanId: i ? tid.slice(0, 16) : null, service: `svc-${s}`, namespace: "ns", name: `GET /api/${i}`, kind: "server" as const, startUs: now + t * 100 + i, durationUs: 1000 + (t % 5000), status: { code: "unset" as const }, attributes: attrs(t * 10 + i), resource: res[s]!, scope: { name: "x", version: "1" }, events: [], links: [], droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0 });
    }
  }
  const e0 = performance.now(); const c0 = process.cpuUsage(); const enc = encodeSpanRows(spans); const c1 = process.cpuUsage(c0); encCpu += (c1.user + c1.system) / 1000; encMs += performance.now() - e0;
  const i0 = performance.now(); const d0 = process.cpuUsage(); ins.insert(enc); const d1 = process.cpuUsage(d0); insertCpu += (d1.user + d1.system) / 1000; insertMs += performance.now() - i0;
}
console.log(variant, "CPU-time rates: insert", Math.round(B*1e4/(insertCpu/1000)), "encode", Math.round(B*1e4/(encCpu/1000)), "| wall insert", Math.round(B*1e4/(insertMs/1000)), "encode", Math.round(B*1e4/(encMs/1000)), "total s", ((performance.now()-t0)/1000).toFixed(1));
ins.close();
