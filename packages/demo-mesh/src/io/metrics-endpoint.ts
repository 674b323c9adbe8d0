import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { IstioMetricsRegistry } from "./metrics-registry.js";

/** Envoy's admin handler answers `/stats/prometheus` with the 0.0.4 text format content type. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
/** Envoy's path (istio.md §1.5: port 15090, `/stats/prometheus`). */
export const METRICS_PATH = "/stats/prometheus";

export interface MetricsEndpoint {
  /** `http://host:port/stats/prometheus` with the port actually bound. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the registry as Envoy would at `GET /stats/prometheus` (HEAD too); 404 elsewhere, 405 for other methods.
 * The text is streamed in chunks with backpressure, so a synthetic mesh of many label sets needs no giant string.
 */
export async function startMetricsEndpoint(
  registry: IstioMetricsRegistry,
  listen: { host: string; port: number },
): Promise<MetricsEndpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res
        .writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" })
        .end("method not allowed\n");
      return;
    }
    res.writeHead(200, { "content-type": PROMETHEUS_TEXT_CONTENT_TYPE });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    void streamChunks(res, registry.prometheusTextChunks());
  });
  await listenOn(server, listen.host, listen.port);
  const port = boundPort(server);
  const hostInUrl = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${hostInUrl}:${port}${METRICS_PATH}`,
    port,
    close: () => closeServer(server),
  };
}

/**
 * Writes the chunks with backpressure: when the socket's buffer is full, wait for `drain` before producing more,
 * so a large exposition neither piles up in memory nor blocks the event loop (the simulator keeps ticking).
 */
async function streamChunks(res: ServerResponse, chunks: Iterator<string>): Promise<void> {
  for (let next = chunks.next(); !next.done; next = chunks.next()) {
    if (res.destroyed) return; // the scraper hung up (timeout): stop rendering
    if (!res.write(next.value)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
    }
  }
  res.end();
}

function boundPort(server: Server): number {
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === "string") throw new Error("metrics endpoint is not a TCP listener");
  return address.port;
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Scrapers keep connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}
