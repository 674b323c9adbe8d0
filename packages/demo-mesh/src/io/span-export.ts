import {
  type Context,
  type HrTime,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type IdGenerator,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import type { DemoSpan, SpanSink } from "../sim/contracts.js";
import type { DemoMeshOptions } from "./demo-runner.js";

/**
 * Exports the simulator's spans through the real OpenTelemetry JS SDK and its OTLP/HTTP protobuf exporter, so the
 * receiver sees exactly what an SDK-instrumented service (or Envoy's OpenTelemetry tracer, istio.md §3.5) sends.
 *
 * - Every proxy is its own resource (`service.name` = `<canonical service>.<namespace>`): one tracer provider per
 *   distinct resource, cached, all feeding ONE batch processor and ONE exporter (the OTLP transformer groups a
 *   batch by resource, so one request carries many proxies' spans, as a Collector would send them).
 * - The ids are the simulator's: a shared IdGenerator hands the SDK the DemoSpan's ids for the one `startSpan`
 *   call in progress, and a non-root span starts under a remote parent context built from the DemoSpan's
 *   trace id and parent span id (the SDK takes the trace id from the parent then).
 * - Memory is bounded: at most `maxPendingSpans` spans may be handed to the SDK and not yet answered by the
 *   receiver; past that, new spans are dropped and counted (a warning every `warnEveryMs` at most).
 */
export interface OtlpSpanSinkOptions {
  /** OTLP/HTTP traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  url: string;
  /** Extra headers on every export request. */
  headers?: Readonly<Record<string, string>>;
  /** Default 8192. */
  maxPendingSpans?: number;
  /** Spans per export request (default 512, the SDK's default). */
  maxExportBatchSize?: number;
  /** How long a partial batch waits (default 1000 ms; the SDK's 5 s would make the demo feel late). */
  scheduledDelayMillis?: number;
  /** Per-request timeout (default 10 s, the exporter's default). */
  timeoutMillis?: number;
  warnEveryMs?: number;
  log?: DemoMeshOptions["log"];
}

export interface SpanExportStats {
  /** Spans handed to the SDK. */
  emitted: number;
  /** Spans dropped because too many were pending. */
  dropped: number;
  /** Spans the receiver acknowledged. */
  exported: number;
  /** Spans in export requests that failed (after the exporter's own retries). */
  failed: number;
}

export interface OtlpSpanSink extends SpanSink {
  readonly stats: Readonly<SpanExportStats>;
  /** Export everything emitted so far. */
  flush(): Promise<void>;
  /** Flush, then stop the processor and the exporter; later spans are ignored. */
  shutdown(): Promise<void>;
}

/** Hands the SDK preset ids: set them, call `startSpan`, done (everything here runs synchronously). */
class PresetIdGenerator implements IdGenerator {
  traceId = "";
  spanId = "";
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
    return this.spanId;
  }
}

/** Counts what the receiver answered, so the sink knows how many spans are still in flight. */
class SettlingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly settled: (spans: number, result: ExportResult) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.settled(spans.length, result);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Virtual ms since the epoch (fractional) → OTel HrTime [seconds, nanoseconds], without losing the fraction. */
export function msToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

export function createOtlpSpanSink(options: OtlpSpanSinkOptions): OtlpSpanSink {
  const maxPending = options.maxPendingSpans ?? 8192;
  const warnEveryMs = options.warnEveryMs ?? 10_000;
  const log = options.log ?? (() => {});
  const stats: SpanExportStats = { emitted: 0, dropped: 0, exported: 0, failed: 0 };
  let lastWarnMs = Number.NEGATIVE_INFINITY;
  let droppedSinceWarn = 0;
  let failedSinceWarn = 0;
  let lastError = "";
  let closed = false;

  const warnRateLimited = () => {
    const now = Date.now();
    if (now - lastWarnMs < warnEveryMs) return;
    lastWarnMs = now;
    if (droppedSinceWarn > 0) {
      log("warn", "span export is falling behind: spans dropped", { dropped: droppedSinceWarn, maxPending });
    }
    if (failedSinceWarn > 0) {
      log("warn", "span export failed", { spans: failedSinceWarn, url: options.url, error: lastError });
    }
    droppedSinceWarn = 0;
    failedSinceWarn = 0;
  };

  const exporter = new SettlingExporter(
    new OTLPTraceExporter({
      url: options.url,
      timeoutMillis: options.timeoutMillis ?? 10_000,
      ...(options.headers ? { headers: { ...options.headers } } : {}),
    }),
    (n, result) => {
      if (result.code === ExportResultCode.SUCCESS) stats.exported += n;
      else {
        stats.failed += n;
        failedSinceWarn += n;
        lastError = result.error?.message ?? "unknown error";
        warnRateLimited();
      }
    },
  );
  const processor = new BatchSpanProcessor(exporter, {
    // The pending bound below keeps the SDK's queue from ever filling, so the SDK never drops silently.
    maxQueueSize: maxPending,
    maxExportBatchSize: Math.min(options.maxExportBatchSize ?? 512, maxPending),
    scheduledDelayMillis: options.scheduledDelayMillis ?? 1000,
    exportTimeoutMillis: options.timeoutMillis ?? 10_000,
  });
  const ids = new PresetIdGenerator();
  const tracers = new TracerCache(ids, processor);

  const emit = (span: DemoSpan) => {
    if (closed) return;
    if (stats.emitted - stats.exported - stats.failed >= maxPending) {
      stats.dropped++;
      droppedSinceWarn++;
      warnRateLimited();
      return;
    }
    stats.emitted++;
    startAndEnd(tracers.get(span), ids, span);
  };

  return {
    stats,
    emit,
    // A failed export rejects the SDK's flush; it is already counted and logged, so flushing itself succeeds.
    flush: () => processor.forceFlush().catch(() => {}),
    async shutdown() {
      if (closed) return;
      closed = true;
      await processor.shutdown().catch(() => {});
      warnRateLimited();
    },
  };
}

function startAndEnd(tracer: Tracer, ids: PresetIdGenerator, span: DemoSpan): void {
  ids.traceId = span.traceId;
  ids.spanId = span.spanId;
  const parent: Context = span.parentSpanId
    ? trace.setSpanContext(ROOT_CONTEXT, {
        traceId: span.traceId,
        spanId: span.parentSpanId,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      })
    : ROOT_CONTEXT;
  const otelSpan = tracer.startSpan(
    span.name,
    {
      kind: span.kind === "client" ? SpanKind.CLIENT : SpanKind.SERVER,
      startTime: msToHrTime(span.startMs),
      attributes: span.attributes,
    },
    parent,
  );
  if (span.error) otelSpan.setStatus({ code: SpanStatusCode.ERROR });
  otelSpan.end(msToHrTime(span.endMs));
}

/** One tracer (and provider) per distinct resource; looked up by object identity first, then by content. */
class TracerCache {
  private readonly byObject = new WeakMap<object, Map<string, Tracer>>();
  private readonly byContent = new Map<string, Tracer>();

  constructor(
    private readonly ids: IdGenerator,
    private readonly processor: BatchSpanProcessor,
  ) {}

  get(span: DemoSpan): Tracer {
    let perService = this.byObject.get(span.resource);
    const cached = perService?.get(span.serviceName);
    if (cached) return cached;
    const key = `${span.serviceName}\u0000${JSON.stringify(Object.entries(span.resource).sort())}`;
    let tracer = this.byContent.get(key);
    if (!tracer) {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ ...span.resource, "service.name": span.serviceName }),
        idGenerator: this.ids,
        // The simulator already sampled (SimulatorOptions.sampleRate): every span that reaches us is kept.
        sampler: new AlwaysOnSampler(),
        spanProcessors: [this.processor],
      });
      tracer = provider.getTracer("meshscope-demo-mesh");
      this.byContent.set(key, tracer);
    }
    if (!perService) {
      perService = new Map();
      this.byObject.set(span.resource, perService);
    }
    perService.set(span.serviceName, tracer);
    return tracer;
  }
}
