/**
 * Property-based fuzzing of the scraper's fetch (issue #8 point 4): a fixture target answers each scrape with a
 * generated hostile response — junk or mutated exposition, invalid UTF-8, gzip of junk, gzip cut short, a gzip
 * header over a plain body, an unknown encoding, a body or an inflated body past the cap, a body cut off
 * mid-stream, odd statuses. fetchExposition must resolve with text (which parsePrometheusText then takes without
 * throwing) or reject with a ScrapeError, within its deadline. The parser itself is fuzzed in packages/wire.
 * Fixed seed; FUZZ_SEED / FUZZ_PATH replay another run or a shrunk counterexample.
 */
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { parsePrometheusText } from "@meshscope/wire";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatedText } from "../../../../packages/wire/src/testing/fuzz-arbitraries.js";
import { type FixtureHttpServer, startFixtureHttpServer } from "../test-support/fixture-http-server.js";
import { fetchExposition, ScrapeError } from "./fetch-exposition.js";

const MAX_BODY = 64 * 1024;
const TIMEOUT_MS = 5_000;
const SEED = process.env.FUZZ_SEED === undefined ? 20261126 : Number(process.env.FUZZ_SEED);
const replayPath = process.env.FUZZ_PATH === undefined ? {} : { path: process.env.FUZZ_PATH };

const EXPOSITION = `# HELP istio_requests_total Total requests.
# TYPE istio_requests_total counter
istio_requests_total{reporter="destination",source_workload="productpage-v1",destination_workload="reviews-v2",response_code="200"} 1284
istio_requests_total{reporter="source",source_workload="productpage-v1",destination_workload="reviews-v2",response_code="503",response_flags="UO"} 19 1718000000123
# TYPE istio_request_duration_milliseconds histogram
istio_request_duration_milliseconds_bucket{le="0.5"} 0
istio_request_duration_milliseconds_bucket{le="+Inf"} 2
istio_request_duration_milliseconds_sum 3.5
istio_request_duration_milliseconds_count 2
`;

interface Answer {
  status: number;
  encoding: string | undefined;
  contentType: string;
  body: Uint8Array;
  /** Declare this many more bytes than sent, then drop the connection. */
  cutShort: boolean;
}

const bodyArb: fc.Arbitrary<{ body: Uint8Array; encoding: string | undefined }> = fc.oneof(
  mutatedText([EXPOSITION]).map((t) => ({ body: Buffer.from(t), encoding: undefined })),
  fc.uint8Array({ maxLength: 4096 }).map((b) => ({ body: b, encoding: undefined })),
  // Invalid UTF-8 inside an otherwise good exposition.
  fc.nat({ max: EXPOSITION.length }).map((at) => ({
    body: Buffer.concat([
      Buffer.from(EXPOSITION.slice(0, at)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(EXPOSITION.slice(at)),
    ]),
    encoding: undefined,
  })),
  mutatedText([EXPOSITION]).map((t) => ({ body: new Uint8Array(gzipSync(t)), encoding: "gzip" })),
  fc.uint8Array({ maxLength: 2048 }).map((b) => ({ body: new Uint8Array(gzipSync(b)), encoding: "gzip" })),
  fc.nat().map((cut) => {
    const gz = gzipSync(EXPOSITION);
    return { body: new Uint8Array(gz.subarray(0, cut % gz.length)), encoding: "gzip" };
  }),
  fc.constant({ body: Buffer.from(EXPOSITION), encoding: "gzip" }),
  fc
    .constantFrom("br", "deflate", "compress", "x-unknown")
    .map((e) => ({ body: Buffer.from(EXPOSITION), encoding: e })),
  // Past the cap as sent, and past the cap only once inflated (a small gzip bomb).
  fc.constant({ body: new Uint8Array(MAX_BODY + 1).fill(0x61), encoding: undefined }),
  fc.constant({ body: new Uint8Array(gzipSync(Buffer.alloc(16 * MAX_BODY))), encoding: "gzip" }),
);

const answerArb: fc.Arbitrary<Answer> = fc
  .record({
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constant(200) },
      { weight: 1, arbitrary: fc.constantFrom(204, 206, 404, 500, 503) },
    ),
    contentType: fc.constantFrom("text/plain; version=0.0.4", "application/openmetrics-text", "application/json", ""),
    payload: bodyArb,
    cutShort: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  })
  .map(({ status, contentType, payload, cutShort }) => ({
    status,
    contentType,
    body: payload.body,
    encoding: payload.encoding,
    cutShort,
  }));

let target: FixtureHttpServer;
let next: Answer | undefined;

function serve(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = {};
  if (answer.contentType !== "") headers["content-type"] = answer.contentType;
  if (answer.encoding !== undefined) headers["content-encoding"] = answer.encoding;
  headers["content-length"] = String(answer.body.length + (answer.cutShort ? 1000 : 0));
  res.writeHead(answer.status, headers);
  if (answer.cutShort) {
    res.write(answer.body, () => res.destroy());
    return;
  }
  res.end(answer.body);
}

beforeAll(async () => {
  target = await startFixtureHttpServer({
    "/metrics": (_req, res) => {
      if (next === undefined) res.writeHead(500).end();
      else serve(res, next);
    },
  });
});
afterAll(async () => {
  await target?.close();
});

describe("fetchExposition under fuzzed target answers", () => {
  it("resolves with text the parser takes, or rejects with a ScrapeError, within its deadline", async () => {
    let texts = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(answerArb, async (answer) => {
        next = answer;
        const started = performance.now();
        let text: string | undefined;
        try {
          text = await fetchExposition(target.url("/metrics"), {
            timeoutMs: TIMEOUT_MS,
            maxBodyBytes: MAX_BODY,
            stopSignal: new AbortController().signal,
          });
        } catch (error) {
          if (!(error instanceof ScrapeError)) throw error;
          refusals++;
        }
        const elapsed = performance.now() - started;
        // The deadline covers the whole exchange; allow the loaded machine a few seconds past it.
        if (elapsed > TIMEOUT_MS + 5_000) throw new Error(`the scrape took ${Math.round(elapsed)} ms`);
        if (text !== undefined) {
          texts++;
          if (Buffer.byteLength(text) > MAX_BODY) throw new Error(`${Buffer.byteLength(text)} bytes passed the cap`);
          parsePrometheusText(text, { maxErrors: 20 });
        }
      }),
      { numRuns: 80, seed: SEED, ...replayPath },
    );
    // Both outcomes must have been reached for the run to mean anything.
    expect(texts).toBeGreaterThan(5);
    expect(refusals).toBeGreaterThan(5);
  });
});
