/** The messages between the ingest benchmark and its load process (JSON over the fork IPC channel). */
import { z } from "zod";

export const LoadConfig = z.object({
  otlpUrl: z.string(),
  metricsUrl: z.string(),
  concurrency: z.int().positive(),
  warmupS: z.number().nonnegative(),
  durationS: z.number().positive(),
  spansPerRequest: z.int().positive(),
  templates: z.int().positive(),
  /** ns since the epoch, as a decimal string (beyond 2^53). */
  baseTimeNs: z.string().regex(/^\d+$/),
  nonceHex: z.string().regex(/^[0-9a-f]{16}$/),
});
export type LoadConfig = z.infer<typeof LoadConfig>;

export const LoadResult = z.object({
  type: z.literal("result"),
  /** The measured window (after warm-up), seconds. */
  windowS: z.number(),
  /** Requests answered 2xx inside the window, and their spans. */
  okRequests: z.int(),
  okSpans: z.int(),
  /** Requests answered 2xx over the whole run including warm-up: the raw baseline inserts as many. */
  totalOkRequests: z.int(),
  rejected429: z.int(),
  otherErrors: z.int(),
  /** Ack latency of 2xx requests in the window, ms: time from writing the request to the response. */
  latencyMs: z.array(z.number()),
  /** meshscope_spans_accepted_total at the start and end of the window; null when not exported. */
  acceptedAtStart: z.number().nullable(),
  acceptedAtEnd: z.number().nullable(),
  /** Some request seqs answered 2xx, to check through the API that their traces are stored. */
  sampleOkSeqs: z.array(z.int()),
  firstError: z.string().nullable(),
});
export type LoadResult = z.infer<typeof LoadResult>;
