/**
 * The load process of the ingest benchmark, forked by ingest.ts so that load generation does not share an event
 * loop (or a core's worth of CPU accounting) with the server under test. It pre-encodes requests with the real
 * OpenTelemetry serializer, then POSTs them over keep-alive connections, `concurrency` requests in flight, and
 * counts only 2xx answers: the server answers 2xx after commit, so an ack is a committed batch.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { scrapeCounter } from "./http.js";
import { LoadConfig, type LoadResult } from "./load-protocol.js";
import { buildRequestSet, materialise, maxRequestBytes, type RequestSet } from "./otlp-requests.js";

const ACCEPTED_METRIC = "meshscope_spans_accepted_total";
const MAX_RETRY_AFTER_MS = 1_000;

interface Answer {
  status: number;
  retryAfterS: number | null;
  error: string | null;
}

function post(agent: Agent, url: URL, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/x-protobuf", "content-length": body.length },
      },
      (res) => {
        res.resume(); // the ExportTraceServiceResponse body is not needed; drain it to keep the socket reusable
        res.on("end", () => {
          const retryAfter = Number(res.headers["retry-after"]);
          resolve({
            status: res.statusCode ?? 0,
            retryAfterS: Number.isFinite(retryAfter) ? retryAfter : null,
            error: null,
          });
        });
      },
    );
    req.on("error", (err) => resolve({ status: 0, retryAfterS: null, error: err.message }));
    req.end(body);
  });
}

async function run(config: LoadConfig): Promise<LoadResult> {
  const set: RequestSet = buildRequestSet(
    { spansPerRequest: config.spansPerRequest, templates: config.templates, baseTimeNs: BigInt(config.baseTimeNs) },
    Buffer.from(config.nonceHex, "hex"),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: config.concurrency });
  const url = new URL(config.otlpUrl);
  const maxBytes = maxRequestBytes(set);

  let nextSeq = 0;
  const t0 = performance.now();
  const windowStart = t0 + config.warmupS * 1000;
  const windowEnd = windowStart + config.durationS * 1000;
  // Read the server's own counter at the window edges, on timers, so the two figures cover the same interval.
  const scrapeAt = (at: number) =>
    new Promise<number | null>((resolve) => {
      setTimeout(() => resolve(scrapeCounter(config.metricsUrl, ACCEPTED_METRIC)), Math.max(0, at - t0));
    });
  const startScrape = scrapeAt(windowStart);
  const endScrape = scrapeAt(windowEnd);

  const latencyMs: number[] = [];
  const sampleOkSeqs: number[] = [];
  let okRequests = 0;
  let okSpans = 0;
  let totalOkRequests = 0;
  let rejected429 = 0;
  let otherErrors = 0;
  let firstError: string | null = null;

  async function worker(): Promise<void> {
    const buffer = Buffer.alloc(maxBytes); // one per in-flight slot: patched only while this slot is idle
    for (;;) {
      if (performance.now() >= windowEnd) return;
      const seq = nextSeq++;
      const body = materialise(set, seq, buffer);
      const sentAt = performance.now();
      const answer = await post(agent, url, body);
      const ackedAt = performance.now();
      // Throughput counts the acks that land inside the window, whenever their request was sent.
      const inWindow = ackedAt >= windowStart && ackedAt <= windowEnd;
      if (answer.status >= 200 && answer.status < 300) {
        totalOkRequests++;
        if (inWindow) {
          okRequests++;
          okSpans += config.spansPerRequest;
          latencyMs.push(ackedAt - sentAt);
          if (sampleOkSeqs.length < 20 && seq % 7 === 0) sampleOkSeqs.push(seq);
        }
      } else if (answer.status === 429) {
        rejected429++;
        // Back off as an OTLP exporter would (the spec says honour Retry-After), capped to keep the load up.
        const waitMs = Math.min((answer.retryAfterS ?? 0.05) * 1000, MAX_RETRY_AFTER_MS);
        await new Promise((r) => setTimeout(r, waitMs));
      } else {
        otherErrors++;
        firstError ??= answer.error ?? `HTTP ${answer.status}`;
        if (answer.status === 0) await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  await Promise.all(Array.from({ length: config.concurrency }, () => worker()));
  const [acceptedAtStart, acceptedAtEnd] = await Promise.all([startScrape, endScrape]);
  agent.destroy();
  return {
    type: "result",
    windowS: config.durationS,
    okRequests,
    okSpans,
    totalOkRequests,
    rejected429,
    otherErrors,
    latencyMs,
    acceptedAtStart,
    acceptedAtEnd,
    sampleOkSeqs,
    firstError,
  };
}

const config = LoadConfig.parse(JSON.parse(process.argv[2] ?? "null"));
run(config).then(
  (result) => {
    process.send?.(result, () => process.exit(0));
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
