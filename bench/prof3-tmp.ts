import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const mode = process.argv[2]!;
const dir = mkdtempSync(join(tmpdir(), "prof3-"));
const db = new Database(join(dir, "x.db"));
db.pragma("page_size=8192"); db.pragma("journal_mode=WAL"); db.pragma("synchronous=NORMAL"); db.pragma("cache_size=-65536"); db.pragma("wal_autocheckpoint=4000");
db.exec(`CREATE TABLE spans (id INTEGER PRIMARY KEY, trace_ref INTEGER NOT NULL, service_id INTEGER NOT NULL, op_id INTEGER NOT NULL, resource_id INTEGER NOT NULL, start_us INTEGER NOT NULL, duration_us INTEGER NOT NULL, status INTEGER NOT NULL, attrs TEXT NOT NULL, body TEXT NOT NULL)`);
if (mode.includes("idx")) db.exec("CREATE INDEX i ON spans(service_id, start_us, duration_us)");
const attrs = "\x1ehttp.method\x1fGET\x1fs\x1ehttp.status_code\x1f200\x1fn\x1ehttp.url\x1fhttp://x.svc/api/items/1234\x1fs\x1ehttp.user_agent\x1fMozilla/5.0 (X11; Linux x86_64) meshscope-bench/1.0\x1fs\x1enet.peer.name\x1fsvc-3\x1fs\x1euser.id\x1f4567\x1fn\x1ecomponent\x1fproxy\x1fs\x1eupstream_cluster\x1foutbound|9080||svc-1.default.svc.cluster.local\x1fs\x1eguid:x-request-id\x1f0123456789abcdef0123456789abcdef\x1fs\x1eresponse_flags\x1f-\x1fs\x1e";
const body = '{"s":"0123456789abcdef","p":"0123456789abcdee","c":{"name":"@opentelemetry/instrumentation-http","version":"0.57.0"}}';
const multi = mode.includes("multi") ? 10 : 1;
const cols = "(?,?,?,?,?,?,?,?,?,?)";
const ins = db.prepare(`INSERT INTO spans VALUES ${Array(multi).fill(cols).join(",")}`);
const now = Date.now() * 1000;
let id = 1;
const N = 300_000;
const c0 = process.cpuUsage(); const t0 = performance.now();
const tx = db.transaction((n: number) => {
  for (let k = 0; k < n; k += multi) {
    const p: unknown[] = [];
    for (let m = 0; m < multi; m++) { const i = id++; p.push(i, i / 10 | 0, i % 50, i % 400, i % 150, now + i * 10, 1000 + (i * 7919) % 100000, 0, attrs, body); }
    ins.run(...p);
  }
});
for (let b = 0; b < N / 10000; b++) tx(10000);
const c1 = process.cpuUsage(c0);
console.log(mode, "cpu rate", Math.round(N / ((c1.user + c1.system) / 1e6)), "wall", Math.round(N / ((performance.now() - t0) / 1000)));
