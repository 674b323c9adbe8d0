/**
 * A remote-write decode thread: snappy + protobuf scan of one body at a time into columns
 * (@meshscope/wire `decodeRemoteWriteColumns`), answered with the column buffers transferred. Any worker of the
 * pool can take any body, and the columns of a body do not depend on which did.
 *
 * The decompressed body (~1 KB per Istio series) is sent along only when the body holds a series this thread
 * has not seen before: the receiving thread needs those bytes only to decode the labels of series its store
 * does not know yet, which after the first push of a series is almost never. Otherwise the bytes stay here, in a
 * buffer the next body is decompressed into, and the receiving thread, in the rare case that it does need them
 * (its store forgot a series this thread remembers), decompresses the body again itself
 * (remote-write-columns-batch.ts). Not shipping them spares the receiving thread megabytes of short-lived
 * buffers per second, whose external-memory pressure drove most of its full garbage collections.
 */
import { parentPort } from "node:worker_threads";
import { decodeRemoteWriteColumns, identifySeries } from "@meshscope/wire";
import {
  columnBuffers,
  type DecodeJob,
  type DecodeReply,
  failureOf,
  type ScannedWriteRequest,
} from "./remote-write-decode-protocol.js";
import { SeriesHashSet } from "./series-hash-set.js";

const port = parentPort;
if (port === null) throw new Error("remote-write-decode-worker.ts must run as a worker thread");

/** As many series as a metric store remembers per source (metric-store.ts); past this the hint starts over. */
const MAX_SEEN_SERIES = 2_000_000;
/** A larger decompressed body is not kept for reuse (its buffer would sit idle between such bodies). */
const MAX_KEPT_BUFFER_BYTES = 16 * 1024 * 1024;

const seen = new SeriesHashSet(MAX_SEEN_SERIES);
let buffer: Uint8Array | undefined;

port.on("message", (job: DecodeJob) => {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { bytes, ...rest } = decodeRemoteWriteColumns(job.body, {
      maxDecompressedBytes: job.maxDecompressedBytes,
      into: buffer,
    });
    // Counted after a successful scan only: a malformed body leaves nothing seen.
    const isNew = new Uint8Array(rest.seriesCount);
    const unseen = seen.addAll(rest.hashHi, rest.hashLo, rest.seriesCount, isNew);
    const whole = new Uint8Array(bytes.buffer);
    let columns: ScannedWriteRequest;
    if (unseen > 0) {
      // The receiving thread decodes the labels of these series (if its store does not know them either): their
      // identities, made here, spare it comparing the bytes of a histogram's series one by one.
      const identities = identifySeries({ ...rest, bytes }, isNew);
      if (whole.buffer !== buffer?.buffer) columns = { ...rest, bytes, identities };
      // A short body in the kept buffer goes as a copy, rather than the whole buffer leaving with it.
      else if (bytes.byteLength * 2 < whole.byteLength) columns = { ...rest, bytes: bytes.slice(), identities };
      else {
        // Sent, so no longer ours to reuse.
        buffer = undefined;
        columns = { ...rest, bytes, identities };
      }
    } else {
      if (whole.byteLength <= MAX_KEPT_BUFFER_BYTES && whole.byteLength > (buffer?.byteLength ?? 0)) buffer = whole;
      columns = { ...rest, bytes: null };
    }
    reply = { id: job.id, columns };
    transfer = columnBuffers(columns);
  } catch (error) {
    reply = { id: job.id, failure: failureOf(error) };
  }
  port.postMessage(reply, transfer);
});
