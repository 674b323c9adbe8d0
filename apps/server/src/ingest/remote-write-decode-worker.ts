/**
 * A remote-write decode thread: snappy + protobuf scan of one body at a time into columns
 * (@meshscope/wire `decodeRemoteWriteColumns`), answered with the column buffers transferred. Pure CPU work with
 * no state, so any worker of the pool can take any body, and a body's answer does not depend on which did.
 */
import { parentPort } from "node:worker_threads";
import { decodeRemoteWriteColumns } from "@meshscope/wire";
import { columnBuffers, type DecodeJob, type DecodeReply, failureOf } from "./remote-write-decode-protocol.js";

const port = parentPort;
if (port === null) throw new Error("remote-write-decode-worker.ts must run as a worker thread");

port.on("message", (job: DecodeJob) => {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const columns = decodeRemoteWriteColumns(job.body, { maxDecompressedBytes: job.maxDecompressedBytes });
    reply = { id: job.id, columns };
    transfer = columnBuffers(columns);
  } catch (error) {
    reply = { id: job.id, failure: failureOf(error) };
  }
  port.postMessage(reply, transfer);
});
