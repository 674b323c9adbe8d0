/**
 * `GET /api/events`: Server-Sent Events (WHATWG HTML §9.2) announcing new data, `data: {"kind","at"}` per event.
 * A comment line every heartbeat keeps proxies and idle timeouts from closing a quiet stream; `retry:` tells
 * EventSource how long to wait before reconnecting. Each client holds a socket, so their number is bounded.
 */
import type { LiveEvent } from "@meshscope/model";
import { Router } from "express";
import type { EventsBus } from "../ops/events-bus.js";
import { sendApiError } from "./errors.js";

export interface EventsRouteDeps {
  bus: EventsBus;
  /** Streams open at once; one more is answered 503 (default 100). */
  maxClients?: number;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** The reconnect delay suggested to EventSource, ms (default 3 s). */
  retryMs?: number;
}

export function eventsRouter(deps: EventsRouteDeps): Router {
  const maxClients = deps.maxClients ?? 100;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const retryMs = deps.retryMs ?? 3000;
  const router = Router();
  router.get("/events", (_req, res) => {
    if (deps.bus.subscriberCount() >= maxClients) {
      res.setHeader("Retry-After", String(Math.ceil(retryMs / 1000)));
      sendApiError(res, 503, "too_many_clients", `at most ${maxClients} event streams are served at once`);
      return;
    }
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    // nginx buffers responses by default, which would hold events back.
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    res.write(`retry: ${retryMs}\n\n`);
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
    let done = false;
    const cleanup = (): void => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    const unsubscribe = deps.bus.subscribe({
      onEvent: (event: LiveEvent) => {
        res.write(`data: ${JSON.stringify(event)}\n\n`);
      },
      onClose: () => {
        cleanup();
        res.end();
      },
    });
    // The client went away (or the socket failed): stop writing to it and let the bus forget it.
    res.on("close", cleanup);
  });
  return router;
}
