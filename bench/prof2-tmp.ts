import { createHash } from "node:crypto";
import { encodeSpanRows } from "@meshscope/server/store";
const attrs = (i: number) => ({ "http.method": "GET", "http.status_code": 200, "http.url": `http://x.svc/api/items/${i}`, "http.user_agent": "Mozilla/5.0 (X11; Linux x86_64) meshscope-bench/1.0", "net.peer.name": "svc-3", "user.id": i % 100000, component: "proxy", upstream_cluster: "outbound|9080||svc-1.default.svc.cluster.local", "guid:x-request-id": createHash("md5").update(String(i)).digest("hex"), response_flags: "-" });
const res = Array.from({length: 50}, (_, s) => ({ "service.name": `svc-${s}`, "k8s.namespace.name": "ns" }));
const now = Date.now() * 1000;
const batches = [];
let t = 0;
for (let b = 0; b < 20; b++) {
  const spans = [];
  for (let k = 0; k < 1000; k++, t++) {
    const tid = createHash("md5").update(`t${t}`).digest("hex");
    for (let i = 0; i < 10; i++) {
      const s = (t * 7 + i * 13) % 50;
      spans.push({ traceId: tid, spanId: tid.slice(0, 14) + String(i).padStart(2, "0"), parentSpanId: i ? tid.slice(0, 16) : null, service: `svc-${s}`, namespace: "ns", name: `GET /api/${i}`, kind: "server" as const, startUs: now + t * 100 + i, durationUs: 1000 + (t % 5000), status: { code: "unset" as const }, attributes: attrs(t * 10 + i), resource: res[s]!, scope: { name: "x", version: "1" }, events: [], links: [], droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0 });
    }
  }
  batches.push(spans);
}
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  for (const b of batches) encodeSpanRows(b);
  const c1 = process.cpuUsage(c0);
  console.log("encode cpu rate", Math.round(200000 / ((c1.user + c1.system) / 1e6)));
}
