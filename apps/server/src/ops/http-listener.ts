/** Starting and gracefully stopping node:http servers. */
import type { Server } from "node:http";

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
