/**
 * The baseline the served ingest rate is compared with: the same rows inserted into the same schema by the
 * store's own insert code, straight through better-sqlite3, with no HTTP, no queue and no worker hand-off.
 * Only the insert calls are timed; decoding and row encoding are done before each timed call.
 */

import type { SpanRecord } from "@meshscope/model";
import { encodeSpanRows, openRawInserter } from "@meshscope/server/store";
import { decodeOtlpTracesProtobuf } from "@meshscope/wire";
import { materialise, maxRequestBytes, type RequestSet } from "./otlp-requests.js";

export interface RawInsertResult {
  spans: number;
  insertSeconds: number;
  spansPerSecond: number;
  /** Decode + row encoding, for context: it is the CPU the server spends outside SQLite. */
  prepareSeconds: number;
}

/** Inserts requests 0..requests-1 (as the load process numbered them), `requestsPerBatch` per transaction. */
export function rawInsert(
  set: RequestSet,
  dbPath: string,
  requests: number,
  requestsPerBatch: number,
): RawInsertResult {
  const inserter = openRawInserter(dbPath);
  const buffer = Buffer.alloc(maxRequestBytes(set));
  let spans = 0;
  let insertNs = 0n;
  let prepareNs = 0n;
  try {
    for (let first = 0; first < requests; first += requestsPerBatch) {
      const t0 = process.hrtime.bigint();
      const records: SpanRecord[] = [];
      for (let seq = first; seq < Math.min(requests, first + requestsPerBatch); seq++) {
        const decoded = decodeOtlpTracesProtobuf(materialise(set, seq, buffer));
        for (const span of decoded.spans) records.push(span);
      }
      const batch = encodeSpanRows(records);
      const t1 = process.hrtime.bigint();
      inserter.insert(batch);
      const t2 = process.hrtime.bigint();
      prepareNs += t1 - t0;
      insertNs += t2 - t1;
      spans += records.length;
    }
  } finally {
    inserter.close();
  }
  const insertSeconds = Number(insertNs) / 1e9;
  return { spans, insertSeconds, spansPerSecond: spans / insertSeconds, prepareSeconds: Number(prepareNs) / 1e9 };
}
