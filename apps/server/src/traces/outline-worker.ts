/**
 * The outline thread: builds trace outlines (api/trace-outline.ts) and their JSON text on its own read-only
 * connection, so the console's thread keeps serving files and small answers while a 100,000-span outline (about
 * half a second of reading, assembling and stringifying) is made. Requests are answered one at a time, in order.
 * Each reads the trace's version and its rows in one read transaction, so the version names exactly what the
 * answer holds (outline-builder.ts compares it with the trace's version when it reuses an answer).
 */
import { parentPort, workerData } from "node:worker_threads";
import { getTraceOutline } from "../api/trace-outline.js";
import { openConnection } from "../store/connection.js";
import { SqliteTraceReader } from "../store/sqlite-reader.js";
import type { FromOutlineWorker, OutlineWorkerData, ToOutlineWorker } from "./outline-builder.js";

function readWorkerData(data: unknown): OutlineWorkerData {
  if (typeof data !== "object" || data === null) throw new TypeError("outline worker needs workerData");
  const path = Reflect.get(data, "path");
  const cacheKiB = Reflect.get(data, "cacheKiB");
  if (typeof path !== "string") throw new TypeError("workerData.path must be a string");
  if (typeof cacheKiB !== "number") throw new TypeError("workerData.cacheKiB must be a number");
  return { path, cacheKiB };
}

const port = parentPort;
if (port === null) throw new Error("outline-worker.ts must run as a worker thread");
const config = readWorkerData(workerData);
const db = openConnection(config.path, { readonly: true, cacheKiB: config.cacheKiB });
const reader = new SqliteTraceReader(db);
const encoder = new TextEncoder();

const readOutline = db.transaction((traceId: string) => {
  const version = reader.traceVersion(traceId);
  return { version, outline: version === null ? null : getTraceOutline(reader, traceId) };
});

port.on("message", (msg: ToOutlineWorker) => {
  let reply: FromOutlineWorker;
  try {
    const { version, outline } = readOutline(msg.traceId);
    if (outline === null) {
      reply = { type: "outline", id: msg.id, version, bytes: null, spanCount: 0 };
    } else {
      // TextEncoder gives a buffer of its own, which can be transferred (a small Buffer.from shares a pool).
      const bytes = encoder.encode(JSON.stringify(outline));
      reply = { type: "outline", id: msg.id, version, bytes, spanCount: outline.spanId.length };
      port.postMessage(reply, [bytes.buffer]);
      return;
    }
  } catch (err) {
    reply = { type: "failed", id: msg.id, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
