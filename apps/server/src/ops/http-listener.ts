/** Creating, starting and gracefully stopping node:http servers. */
import { createServer, type RequestListener, type Server } from "node:http";

/**
 * How long a client may take to send its request. Node enforces these itself (node:http, "server.headersTimeout",
 * "server.requestTimeout"): a connection still sending its headers after `headersTimeout`, or its body after
 * `requestTimeout`, is answered 408 and closed; that is what cuts a slowloris client that trickles bytes to hold a
 * socket. Both run only until the request has been received: Node stops watching a request once its parser
 * completes the message, so an answer that streams for hours (the SSE of /api/events) is never cut by them.
 */
export interface HttpTimeouts {
  /** Time from the first byte of a request to the end of its headers (Node's default: 60 s). */
  headersTimeout: number;
  /** Time from the first byte of a request to the end of its body (Node's default: 300 s). */
  requestTimeout: number;
  /**
   * How long an idle keep-alive connection is kept for the next request (Node's default: 5 s). Longer than the
   * 5 s export interval of OTel's batch processors and Prometheus remote-write, so an exporter does not reuse a
   * connection at the very moment the server closes it (ECONNRESET on its next export).
   */
  keepAliveTimeout: number;
  /** How often Node checks the two request timeouts (its default: 30 s; they can overrun by up to this much). */
  checkIntervalMs: number;
}

/**
 * Clients on a LAN send their headers in milliseconds; 20 s leaves room for a loaded host. 120 s is an ingest body
 * at the default size limit over a slow link.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersTimeout: 20_000,
  requestTimeout: 120_000,
  keepAliveTimeout: 10_000,
  checkIntervalMs: 5_000,
};

/** A node:http server for `listener` with the request timeouts (defaults for whatever `timeouts` leaves out). */
export function createHttpServer(listener: RequestListener, timeouts: Partial<HttpTimeouts> = {}): Server {
  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
  return createServer(
    {
      headersTimeout: t.headersTimeout,
      requestTimeout: t.requestTimeout,
      keepAliveTimeout: t.keepAliveTimeout,
      connectionsCheckingInterval: t.checkIntervalMs,
    },
    listener,
  );
}

/** Listens on host:port (0 = let the OS choose) and resolves with the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error(`unexpected listen address ${String(address)}`));
      } else {
        resolve(address.port);
      }
    });
  });
}

/**
 * Stops accepting connections and resolves once every request in flight has been answered. Keep-alive
 * connections that are idle are closed at once and re-checked while in-flight requests finish (an idle
 * connection would otherwise hold `close` open until its keep-alive timeout); after `graceMs` the remaining
 * connections are cut.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
