/**
 * The meshscope process, assembled: the store, the write queue, the receivers and the console, each on its
 * listener (DESIGN §2). `startMeshscope` is what the CLI runs and what integration tests start in-process.
 *
 *   console :8080     UI, /api, /healthz, /readyz, /metrics, the OTLP/HTTP and Zipkin paths, and Prometheus
 *                     remote-write at POST /api/v1/write
 *   OTLP/HTTP :4318   POST /v1/traces, POST /v1/metrics
 *   OTLP/gRPC :4317   TraceService/Export, MetricsService/Export
 *   Zipkin :9411      POST /api/v2/spans
 *   scraper           pulls the configured Prometheus text endpoints every scrape interval
 *   demo mesh         Bookinfo in-process (unless --no-demo): its metrics endpoint on an ephemeral loopback port,
 *                     scraped like any target; its spans sent to our own OTLP/HTTP receiver (demo/start-demo.ts)
 */
import type { Server } from "node:http";
import type { Server as GrpcServer } from "@grpc/grpc-js";
import type { ScrapeTargetStatus } from "@meshscope/model";
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "@meshscope/wire";
import express, { type Express, type Request, type RequestHandler, type Response, Router } from "express";
import { apiRouter } from "./api/api-router.js";
import { sendApiError } from "./api/errors.js";
import { scrapeTargetsRouter } from "./api/scrape-targets-routes.js";
import type { OutlineSource } from "./api/trace-outline.js";
import { authRouter } from "./auth/auth-routes.js";
import {
  type AuthSettings,
  anonymousRemoteProblem,
  authSettingsProblems,
  isLoopbackHost,
} from "./auth/auth-settings.js";
import { ConsoleAuth } from "./auth/console-auth.js";
import type { LoginLimiterOptions } from "./auth/login-limiter.js";
import { createOidcRouter } from "./auth/oidc/oidc-router.js";
import { principalOf, roleAtLeast } from "./auth/types.js";
import { ConfigError, type MeshscopeConfig } from "./config/load-config.js";
import type { ListenPort } from "./config/options.js";
import { connectHost, type StartedDemo, startDemo } from "./demo/start-demo.js";
import type { HealthThresholds } from "./graph/health.js";
import { type HttpReceiverDeps, otlpTracesHandler, zipkinSpansHandler } from "./ingest/http-receivers.js";
import { createIngestPipeline } from "./ingest/ingest-pipeline.js";
import { type MetricReceiverDeps, otlpMetricsHandler, remoteWriteHandler } from "./ingest/metrics-http-receivers.js";
import { createMetricIngest } from "./ingest/metrics-ingest.js";
import { addMetricsGrpcService } from "./ingest/metrics-otlp-grpc.js";
import { bindGrpcServer, createTraceGrpcServer, shutdownGrpcServer } from "./ingest/otlp-grpc.js";
import { createWriteQueue } from "./ingest/write-queue.js";
import { jaegerRouter } from "./jaeger/jaeger-routes.js";
import type { MeshService } from "./mesh/mesh-service.js";
import { startMeshService } from "./mesh/start-mesh.js";
import type { MetricReader } from "./metrics/metric-reader.js";
import type { MetricSink } from "./metrics/metric-sink.js";
import { announcingMetricIngest, createEventsBus, type EventsBus } from "./ops/events-bus.js";
import { closeGracefully, createHttpServer, type HttpTimeouts, listen } from "./ops/http-listener.js";
import { createLogger, type Logger } from "./ops/logger.js";
import { opsRouter } from "./ops/ops-routes.js";
import { Readiness } from "./ops/readiness.js";
import { requestMetrics } from "./ops/request-metrics.js";
import { securityHeaders } from "./ops/security-headers.js";
import { createSelfMetrics, type SelfMetrics } from "./ops/self-metrics.js";
import { webUiRouter } from "./ops/web-ui.js";
import { type Scraper, type ScraperOptions, startScraper } from "./scrape/scraper.js";
import { openSqliteStore, type SqliteStore } from "./store/index.js";
import { openSpanEdgeReader, type SpanEdgeReader } from "./store/span-edges.js";
import type { TraceReader, TraceWriter } from "./store/trace-store.js";
import { OutlineBuilder } from "./traces/outline-builder.js";
import { normaliseTraceId } from "./traces/trace-id.js";

export interface ConsoleAppDeps {
  receivers: HttpReceiverDeps;
  metricReceivers: MetricReceiverDeps;
  scrapeTargets: () => ScrapeTargetStatus[];
  reader: TraceReader;
  /**
   * Where trace outlines are built (traces/outline-builder.ts); on the request's thread without it. `prefetch`
   * starts one when a trace page is served to a caller who may read it.
   */
  outlines?: OutlineSource & { prefetch(traceId: string): void };
  /** The metric store's query side (/api/graph). */
  metricReader?: MetricReader;
  /** Client→server span pairs, for the graph's trace-derived edges. */
  spanEdges?: SpanEdgeReader;
  readiness: Readiness;
  metrics: SelfMetrics;
  logger: Logger;
  webDistDir: string;
  /** New-data announcements (/api/events) and the scrape interval in s (least step of service series). */
  events?: EventsBus;
  scrapeIntervalSeconds?: number;
  thresholds?: HealthThresholds;
  /** Mesh config: /api/mesh and the graph's badges. */
  mesh?: MeshService;
  /** Who may do what (auth/console-auth.ts); every request passes its guard before any route. */
  auth: ConsoleAuth;
  /** Where the OIDC routes go once the public URL is known (after bind); empty in other modes. */
  oidcRoutes?: Router;
}

/** The console port's app: ops endpoints, both HTTP receivers, the JSON API, then the web UI. */
export function createConsoleApp(deps: ConsoleAppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());
  app.use(requestMetrics(deps.metrics, "console"));
  // Default deny: every request is classified and admitted (or refused) here, before any router sees it.
  app.use(deps.auth.resolvePrincipal, deps.auth.accessGuard);
  app.use(opsRouter(deps.readiness, deps.metrics));
  app.use("/api/auth", authRouter(deps.auth, deps.logger));
  if (deps.oidcRoutes) app.use(deps.oidcRoutes);
  // Load shedding before any body is read (ingest/http-answers.ts); one budget shared with the receiver ports.
  app.post(["/v1/traces", "/api/v2/spans", "/v1/metrics", "/api/v1/write"], deps.receivers.pipeline.admission.handler);
  app.post("/v1/traces", otlpTracesHandler(deps.receivers));
  app.post("/api/v2/spans", zipkinSpansHandler(deps.receivers));
  app.post("/v1/metrics", otlpMetricsHandler(deps.metricReceivers));
  app.post("/api/v1/write", remoteWriteHandler(deps.metricReceivers));
  app.use("/api", scrapeTargetsRouter(deps.scrapeTargets));
  app.use(
    "/api",
    apiRouter({
      reader: deps.reader,
      ...(deps.outlines ? { outlines: deps.outlines } : {}),
      logger: deps.logger,
      nowUs: () => Date.now() * 1000,
      ...(deps.metricReader ? { metrics: deps.metricReader } : {}),
      ...(deps.events ? { events: deps.events } : {}),
      ...(deps.scrapeIntervalSeconds ? { scrapeIntervalSeconds: deps.scrapeIntervalSeconds } : {}),
      ...(deps.spanEdges ? { spanEdges: deps.spanEdges } : {}),
      ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
      ...(deps.mesh ? { mesh: deps.mesh } : {}),
    }),
  );
  // Jaeger's v1 query API, for Grafana's Jaeger data source (jaeger/jaeger-routes.ts).
  app.use("/jaeger/api", jaegerRouter({ ...deps, nowUs: () => Date.now() * 1000 }));
  const outlines = deps.outlines;
  app.use(
    webUiRouter(deps.webDistDir, outlines ? { onPage: (req, res) => prefetchTracePage(req, res, outlines) } : {}),
  );
  return app;
}

/**
 * On a trace page (`/traces/{id}`, as the web app routes it), starts building the outline the page is about to ask
 * for, if the caller may read traces: the build is work done on the caller's behalf, never for someone the API
 * would refuse.
 */
function prefetchTracePage(req: Request, res: Response, outlines: { prefetch(traceId: string): void }): void {
  if (req.method !== "GET") return;
  const m = /^\/traces\/([^/]+)\/?$/.exec(req.path);
  const traceId = m === null ? null : normaliseTraceId(m[1] as string);
  if (traceId === null) return;
  const principal = principalOf(res);
  if (principal === null || !roleAtLeast(principal.role, "viewer")) return;
  outlines.prefetch(traceId);
}

/** A receiver-only port's app: its ingest paths, JSON 404 for anything else. */
export function createReceiverApp(
  kind: "otlp_http" | "zipkin",
  receivers: HttpReceiverDeps,
  metrics: SelfMetrics,
  metricReceivers?: MetricReceiverDeps,
  /** The ingest bearer check (auth/console-auth.ts `ingestGuard`); absent = no check. */
  ingestGuard?: RequestHandler,
): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());
  app.use(requestMetrics(metrics, kind));
  // The bearer check first: a refused sender takes no share of the admission budget.
  const guard: RequestHandler[] = ingestGuard ? [ingestGuard] : [];
  app.post(["/v1/traces", "/v1/metrics", "/api/v2/spans"], ...guard, receivers.pipeline.admission.handler);
  if (kind === "otlp_http") {
    app.post("/v1/traces", otlpTracesHandler(receivers));
    if (metricReceivers) app.post("/v1/metrics", otlpMetricsHandler(metricReceivers));
  } else app.post("/api/v2/spans", zipkinSpansHandler(receivers));
  app.use((req, res) => {
    sendApiError(res, 404, "not_found", `no route ${req.method} ${req.path} on the ${kind} receiver`);
  });
  return app;
}

/** The ports actually bound; null for a disabled listener. */
export interface MeshscopePorts {
  console: number | null;
  otlpHttp: number | null;
  otlpGrpc: number | null;
  zipkin: number | null;
}

export interface RunningMeshscope {
  ports: MeshscopePorts;
  /** Graceful stop: close the listeners, answer every request in flight, drain the queue, close the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Test hook: wraps the store's writer (to block or fail commits on demand). */
  wrapWriter?: (writer: TraceWriter) => TraceWriter;
  /** How long a graceful stop waits for requests in flight before cutting connections. */
  shutdownGraceMs?: number;
  /** Test hook: the console app once built (the route inventory test walks its routes). */
  onConsoleApp?: (app: Express) => void;
  /** Test hook: the failed-login limit (default 5 per minute per client address). */
  loginRateLimit?: LoginLimiterOptions;
  /** Where metric samples go instead of the store's metric sink (tests capture or block batches with it). */
  metricSink?: MetricSink;
  /** Request time limits of every HTTP listener (ops/http-listener.ts has the defaults). */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** Test hook: the opened store (the disk-full tests limit its pages with `store.limitPages`). */
  onStoreOpen?: (store: SqliteStore) => void;
  /** Test hook: the trace outline builder (the trace page's prefetch tests read its stats). */
  onOutlineBuilder?: (builder: OutlineBuilder) => void;
}

/** "ephemeral" binds port 0 (the OS picks); a configured 0 means the listener is off. */
function bindPort(port: ListenPort): number | null {
  if (port === "ephemeral") return 0;
  return port === 0 ? null : port;
}

/**
 * Refuses settings that cannot run safely (DESIGN §6): anonymous access on a non-loopback address needs
 * --allow-anonymous-remote, and then it is loudly logged.
 */
export function checkAuthAtStart(auth: AuthSettings, host: string, logger: Logger): void {
  const problems = authSettingsProblems(auth);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  const refusal = anonymousRemoteProblem(auth, host);
  if (refusal !== null) throw new ConfigError(refusal);
  if (auth.mode !== "anonymous" || isLoopbackHost(host)) return;
  logger.warn("anonymous access on a non-loopback address: anyone who reaches these ports is admin", { host });
}

export async function startMeshscope(config: MeshscopeConfig, options: StartOptions = {}): Promise<RunningMeshscope> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const graceMs = options.shutdownGraceMs ?? 30_000;
  checkAuthAtStart(config.auth, config.host, logger);
  const store = openSqliteStore({
    path: config.dbPath,
    retentionUs: config.retentionMs * 1000,
    ...(config.maxDbBytes > 0 ? { maxDbBytes: config.maxDbBytes } : {}),
    // The store runs retention on its own timer, in small transactions that do not stall ingest.
    onRetention: (info) => logger.info("retention deleted old data", info),
    onRetentionError: (error) => logger.error("retention pass failed; retrying at the next interval", { error }),
  });
  // Trace outlines on a worker thread with its own read-only connection; the worker starts at the first outline.
  const outlines = new OutlineBuilder({ dbPath: config.dbPath, version: (traceId) => store.traceVersion(traceId) });
  options.onOutlineBuilder?.(outlines);
  // Its own read-only connection: the graph's span scan must not queue behind trace searches.
  const spanEdges = openSpanEdgeReader(config.dbPath);
  const readiness = new Readiness();
  readiness.storeOpen = true;
  // Not ready for ingest while the disk is full (ops/readiness.ts); the next commit that succeeds clears it.
  readiness.addCheck("storage", () => !store.storageFull());
  options.onStoreOpen?.(store);

  const events = createEventsBus();
  let depth = () => 0;
  const metrics = createSelfMetrics(() => depth());
  const queue = createWriteQueue({
    writer: options.wrapWriter ? options.wrapWriter(store.writer) : store.writer,
    maxQueuedSpans: config.queueSpans,
    maxBatchSpans: config.batchSpans,
    onCommit: ({ durationMs }) => {
      metrics.commitDuration.observe(durationMs / 1000);
      events.announce("spans");
    },
    onError: (error) => logger.error("commit failed", { error }),
  });
  depth = () => queue.depth();
  const decodeLimits: DecodeLimits = {
    ...DEFAULT_DECODE_LIMITS,
    maxAttributesPerSpan: config.maxAttributes,
    maxAttributeValueLength: config.maxAttributeLength,
  };
  const receivers: HttpReceiverDeps = {
    pipeline: createIngestPipeline({ queue, metrics, logger }),
    bodyLimits: { maxBodyBytes: config.maxBodyBytes, maxDecompressedBytes: config.maxDecompressedBytes },
    decodeLimits,
    logger,
  };

  // The store's metric store turns the samples into per-series deltas and edge rollups in the same SQLite file.
  const metricSink: MetricSink = options.metricSink ?? store.metrics;
  const metricReceivers: MetricReceiverDeps = {
    ingest: announcingMetricIngest(createMetricIngest({ sink: metricSink, metrics, logger }), events),
    bodyLimits: receivers.bodyLimits,
    logger,
  };
  // The user's targets on the configured interval, and the demo's own endpoint on its own (started below).
  const scrapers: Scraper[] = [];
  const scrapeStatus = () => scrapers.flatMap((s) => s.status());
  let demo: StartedDemo | null = null;
  let mesh: MeshService | null = null;

  const httpServers: Server[] = [];
  let grpcServer: GrpcServer | null = null;
  const ports: MeshscopePorts = { console: null, otlpHttp: null, otlpGrpc: null, zipkin: null };
  // The URL users reach: configured, else this process's own console address once its port is bound.
  const publicUrl = (): string | null =>
    config.auth.publicUrl ?? (ports.console === null ? null : `http://${connectHost(config.host)}:${ports.console}`);
  const auth = new ConsoleAuth({
    settings: config.auth,
    logger,
    publicUrl,
    ...(options.loginRateLimit ? { loginRateLimit: options.loginRateLimit } : {}),
  });
  const oidcRoutes = Router();
  const startHttp = async (name: keyof MeshscopePorts, port: ListenPort, app: Express): Promise<void> => {
    const bind = bindPort(port);
    if (bind === null) return;
    readiness.expect(name);
    const server = createHttpServer(app, options.httpTimeouts);
    // Once stopping, answers close their connection so keep-alive clients do not hold the listener open.
    server.on("request", (_req, res) => {
      if (stopping !== null && !res.headersSent) res.setHeader("Connection", "close");
    });
    httpServers.push(server);
    ports[name] = await listen(server, config.host, bind);
    readiness.markListening(name, true);
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("meshscope stopping: closing listeners and draining the write queue");
      for (const [name, port] of Object.entries(ports)) if (port !== null) readiness.markListening(name, false);
      // First the demo, while our receivers still listen, so its last spans are delivered rather than lost.
      await demo?.stop();
      // Then the scrapers: they cancel scrapes in flight and wait for their commits, so none lands after close.
      await Promise.all(scrapers.map((s) => s.stop()));
      // Event streams never finish on their own: end them, or the listeners would wait out the grace period.
      events.close();
      await Promise.all([
        ...httpServers.map((s) => closeGracefully(s, graceMs)),
        grpcServer ? shutdownGrpcServer(grpcServer) : Promise.resolve(),
      ]);
      await queue.drain();
      await mesh?.close();
      readiness.storeOpen = false;
      await outlines.close();
      spanEdges.close();
      await store.close();
      logger.info("meshscope stopped");
    })();
    return stopping;
  };

  try {
    mesh = await startMeshService(config, { metrics: store.metrics, logger });
    const consoleApp = createConsoleApp({
      receivers,
      metricReceivers,
      scrapeTargets: scrapeStatus,
      reader: store.reader,
      outlines,
      metricReader: store.metrics,
      spanEdges,
      readiness,
      metrics,
      logger,
      webDistDir: config.webDistDir,
      events,
      scrapeIntervalSeconds: config.scrapeIntervalMs / 1000,
      thresholds: config.healthThresholds,
      mesh,
      auth,
      oidcRoutes,
    });
    options.onConsoleApp?.(consoleApp);
    await startHttp("console", config.consolePort, consoleApp);
    const oidc = config.auth.mode === "oidc" ? config.auth.oidc : null;
    const url = publicUrl();
    if (oidc !== null && url !== null) {
      // Mounted once the console port is bound: without --public-url the redirect URI names the bound port.
      oidcRoutes.use(await createOidcRouter({ ...oidc, publicUrl: url }, { sessions: auth.sessions, logger }));
    }
    await startHttp(
      "otlpHttp",
      config.otlpHttpPort,
      createReceiverApp("otlp_http", receivers, metrics, metricReceivers, auth.ingestGuard),
    );
    await startHttp(
      "zipkin",
      config.zipkinPort,
      createReceiverApp("zipkin", receivers, metrics, undefined, auth.ingestGuard),
    );
    const grpcPort = bindPort(config.otlpGrpcPort);
    if (grpcPort !== null) {
      readiness.expect("otlpGrpc");
      grpcServer = createTraceGrpcServer({
        pipeline: receivers.pipeline,
        decodeLimits,
        maxMessageBytes: config.maxBodyBytes,
        metrics,
        logger,
        authorize: (metadata) => auth.authorizeGrpc(metadata),
      });
      addMetricsGrpcService(grpcServer, {
        ingest: metricReceivers.ingest,
        metrics,
        logger,
        authorize: (metadata) => auth.authorizeGrpc(metadata),
      });
      ports.otlpGrpc = await bindGrpcServer(grpcServer, config.host, grpcPort);
      readiness.markListening("otlpGrpc", true);
    }
  } catch (error) {
    logger.error("meshscope failed to start", { error });
    await stop();
    throw error;
  }
  // The demo starts once the receivers listen: its first spans go to our own OTLP/HTTP port.
  if (config.demo) demo = await startDemo(config, ports, logger, auth.issueEphemeralIngestToken("demo"));
  const scrape = (targets: readonly string[], intervalMs: number): ScraperOptions => ({
    targets,
    intervalMs,
    timeoutMs: config.scrapeTimeoutMs,
    // Envoy's full stats page runs to a few MiB; the decompressed-body limit of the receivers bounds it too.
    maxBodyBytes: config.maxDecompressedBytes,
    ingest: metricReceivers.ingest,
    metrics,
  });
  // Explicit targets do not replace the demo's own: the demo is on, so its traffic should show; --no-demo is the
  // way to see only one's own targets.
  if (config.scrapeTargets.length > 0)
    scrapers.push(startScraper(scrape(config.scrapeTargets, config.scrapeIntervalMs)));
  // The demo's endpoint gets its own, shorter interval (default 5 s) so that `npm start` shows a living graph
  // within 30 s: a counter's first scrape is only a baseline (rate() needs two samples), and the demo's series
  // appear only with its first requests, so the first rate comes two scrapes after start — 30 s at the usual 15 s.
  if (demo !== null) scrapers.push(startScraper(scrape([demo.metricsUrl], config.demoScrapeIntervalMs)));
  metrics.scrapeTargets.read = () => scrapeStatus().map((t) => ({ target: t.url, up: t.health === "up" }));
  logger.info("meshscope started", {
    host: config.host,
    ports,
    db: config.dbPath,
    auth: config.auth.mode,
    ingestAuth: config.auth.ingestAuth,
  });
  return { ports, stop };
}
