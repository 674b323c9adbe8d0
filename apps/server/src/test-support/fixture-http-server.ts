/**
 * A small HTTP server on 127.0.0.1 with an ephemeral port, serving test routes (scrape targets that answer
 * well, badly, slowly or with gzip). It counts requests and concurrent requests per path, so tests can check
 * how a client behaved.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FixtureRoute = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FixtureHttpServer {
  url(path: string): string;
  requests(path: string): number;
  maxInFlight(path: string): number;
  /** Headers of the last request to `path`. */
  lastHeaders(path: string): IncomingMessage["headers"] | undefined;
  close(): Promise<void>;
}

export async function startFixtureHttpServer(routes: Record<string, FixtureRoute>): Promise<FixtureHttpServer> {
  const counts = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const headers = new Map<string, IncomingMessage["headers"]>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    headers.set(path, req.headers);
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    maxInFlight.set(path, Math.max(now, maxInFlight.get(path) ?? 0));
    res.once("close", () => inFlight.set(path, (inFlight.get(path) ?? 1) - 1));
    const route = routes[path];
    if (!route) {
      res.writeHead(404).end("not found");
      return;
    }
    void Promise.resolve(route(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests: (path) => counts.get(path) ?? 0,
    maxInFlight: (path) => maxInFlight.get(path) ?? 0,
    lastHeaders: (path) => headers.get(path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
