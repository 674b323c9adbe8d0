/**
 * The ingest admission (ingest/http-answers.ts): past the limit of requests in progress a request is answered
 * 429 with Retry-After before its body is read, the client gets that answer (not a reset) even while it is
 * still uploading, and requests are admitted again as soon as earlier ones are answered.
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo, Socket } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createIngestAdmission } from "../ingest/http-answers.js";

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe("the ingest admission", () => {
  it("answers 429 with Retry-After past its limit, without a reset, and admits again once answers are out", async () => {
    const refused: string[] = [];
    const admission = createIngestAdmission({
      maxInFlight: 2,
      maxQueueDelayMs: 0,
      minInFlightToShed: 0,
      retryAfterSeconds: 3,
      onRefused: (req, reason) => refused.push(`${req.path} ${reason}`),
    });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = 0;
    const app = express();
    app.post("/v1/traces", admission.handler, async (req, res) => {
      entered++;
      for await (const _ of req) {
        // read the body, as a receiver does
      }
      await gate;
      res.status(200).json({});
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    const post = (body: Uint8Array | string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

    const held = [post("{}"), post("{}")];
    while (entered < 2) await new Promise((r) => setTimeout(r, 10));
    expect(admission.inFlight()).toBe(2);

    // A large body: refused before it is read, and the client still sees the answer.
    const big = await post(new Uint8Array(4 * 1024 * 1024).fill(0x20));
    expect(big.status).toBe(429);
    expect(big.headers.get("retry-after")).toBe("3");
    expect(await big.json()).toMatchObject({ code: 8, error: { code: "overloaded" } });
    expect(refused).toEqual(["/v1/traces in_flight"]);

    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post("{}")).status).toBe(200);
    expect(admission.inFlight()).toBe(0);
  });

  it("refuses while received requests wait past the queue delay, not for slow uploads, and admits once they drain", async () => {
    let clock = 0;
    const refused: string[] = [];
    const admission = createIngestAdmission({
      maxInFlight: 100,
      maxQueueDelayMs: 1000,
      minInFlightToShed: 2,
      retryAfterSeconds: 1,
      onRefused: (req, reason) => refused.push(`${req.path} ${reason}`),
      nowMs: () => clock,
    });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let bodies = 0;
    const app = express();
    app.post("/v1/traces", admission.handler, async (req, res) => {
      for await (const _ of req) {
        // read the body, as a receiver does
      }
      bodies++;
      await gate;
      res.status(200).json({});
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/v1/traces`;
    const post = () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

    // A slow client: headers sent, body never finished. Its wait does not count as the server being behind.
    const slow = new Socket();
    await new Promise<void>((resolve) => slow.connect(port, "127.0.0.1", resolve));
    slow.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    const held = [post(), post()];
    while (bodies < 2 || admission.inFlight() < 3) await new Promise((r) => setTimeout(r, 10));

    clock = 999;
    const early = post();
    while (bodies < 3) await new Promise((r) => setTimeout(r, 10));
    clock = 1500; // the first two have now waited 1.5 s for their answers
    const late = await post();
    expect(late.status).toBe(429);
    expect(late.headers.get("retry-after")).toBe("1");
    expect(refused).toEqual(["/v1/traces queue_delay"]);

    release();
    expect((await Promise.all([...held, early])).map((r) => r.status)).toEqual([200, 200, 200]);
    // Drained: admitted again, although the slow upload is still open and the clock has not moved.
    expect((await post()).status).toBe(200);
    expect(admission.inFlight()).toBe(1);
    slow.destroy();
  });
});
