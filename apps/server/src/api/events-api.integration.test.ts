import type { Server } from "node:http";
import { createServer } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventsBus } from "../ops/events-bus.js";
import { closeGracefully, listen } from "../ops/http-listener.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { snappyLiterals, writeRequest } from "../test-support/remote-write-body.js";
import { openSse } from "../test-support/sse-client.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { eventsRouter } from "./events-routes.js";

const postSpans = (server: TestServer) =>
  postOtlpJson(server.consoleUrl, otlpJsonRequest("checkout", [otlpJsonSpan({ traceId: randomTraceId() })]));

describe("GET /api/events on the real server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("opens an event stream with a reconnect hint", async () => {
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    try {
      expect(sse.status).toBe(200);
      expect(sse.contentType).toMatch(/^text\/event-stream/);
      await expect.poll(() => sse.otherLines).toContain("retry: 3000");
    } finally {
      sse.close();
    }
  });

  it("announces committed spans within 2 seconds", async () => {
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    try {
      const before = Date.now() * 1000;
      expect((await postSpans(server)).status).toBe(200);
      const [event] = await sse.waitForEvents(1, 2000);
      expect(event?.kind).toBe("spans");
      expect(event?.at).toBeGreaterThanOrEqual(before);
    } finally {
      sse.close();
    }
  });

  it("coalesces a burst of commits into at most one event per second", async () => {
    // A quiet second first, so the burst starts a fresh coalescing period.
    await new Promise((r) => setTimeout(r, 1100));
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    try {
      for (let i = 0; i < 10; i++) expect((await postSpans(server)).status).toBe(200);
      await sse.waitForEvents(2, 2500);
      await new Promise((r) => setTimeout(r, 300));
      const spans = sse.events.filter((e) => e.kind === "spans");
      expect(spans).toHaveLength(2);
      const [first, second] = spans;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990_000);
    } finally {
      sse.close();
    }
  });

  it("announces accepted metric samples", async () => {
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    try {
      const body = snappyLiterals(
        writeRequest([
          {
            labels: { __name__: "istio_requests_total", reporter: "destination", destination_service_name: "a" },
            samples: [{ value: 1, timestampMs: Date.now() }],
          },
        ]),
      );
      const res = await fetch(`${server.consoleUrl}/api/v1/write`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf", "content-encoding": "snappy" },
        body,
      });
      expect(res.status).toBe(204);
      const events = await sse.waitForEvents(1, 2000);
      expect(events.map((e) => e.kind)).toContain("metrics");
    } finally {
      sse.close();
    }
  });
});

describe("stopping the server with an event stream open", () => {
  it("ends the stream instead of waiting out the shutdown grace period", async () => {
    const server = await startTestServer();
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    const started = Date.now();
    await server.stop();
    await sse.ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("the event stream's limits", () => {
  const bus = createEventsBus();
  let http: Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    app.use("/api", eventsRouter({ bus, maxClients: 2, heartbeatMs: 50 }));
    http = createServer(app);
    url = `http://127.0.0.1:${await listen(http, "127.0.0.1", 0)}/api/events`;
  });
  afterAll(async () => {
    bus.close();
    await closeGracefully(http, 1000);
  });

  it("sends heartbeat comments on a quiet stream", async () => {
    const sse = await openSse(url);
    try {
      await expect.poll(() => sse.otherLines.filter((l) => l === ": heartbeat").length).toBeGreaterThanOrEqual(2);
    } finally {
      sse.close();
    }
  });

  it("refuses a client over the limit with 503, and forgets clients that disconnect", async () => {
    await expect.poll(() => bus.subscriberCount()).toBe(0);
    const a = await openSse(url);
    const b = await openSse(url);
    const refused = await fetch(url);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "too_many_clients" } });
    a.close();
    b.close();
    await expect.poll(() => bus.subscriberCount()).toBe(0);
    const c = await openSse(url);
    expect(c.status).toBe(200);
    c.close();
  });
});
