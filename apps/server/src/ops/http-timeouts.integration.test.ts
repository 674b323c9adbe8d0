import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomTraceId } from "../test-support/otlp-json.js";
import { openSse } from "../test-support/sse-client.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

/** Short limits so a test sees them fire; the checker runs often so they fire close to their time. */
const TIMEOUTS = { headersTimeout: 1000, requestTimeout: 2000, keepAliveTimeout: 1000, checkIntervalMs: 200 };
/** Far longer than any limit above: a connection still open by then was not cut. Slack for a loaded CI host. */
const GIVE_UP_MS = 30_000;

interface RawClient {
  socket: Socket;
  /** Everything the server sent. */
  received: () => string;
  /** Resolves with the time in ms from `connect` until the server closed the connection. */
  closed: Promise<number>;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, "127.0.0.1");
  socket.setEncoding("utf8");
  let received = "";
  socket.on("data", (chunk: string) => {
    received += chunk;
  });
  // The server cuts the connection; an RST instead of a FIN is as good as a close here.
  socket.on("error", () => undefined);
  const started = Date.now();
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started)));
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  return { socket, received: () => received, closed };
}

/** Writes `line` every `everyMs` until the socket closes or GIVE_UP_MS passes; resolves how many it wrote. */
function trickle(client: RawClient, line: string, everyMs: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const timer = setInterval(() => {
      if (client.socket.destroyed || written * everyMs > GIVE_UP_MS) {
        clearInterval(timer);
        resolve(written);
        return;
      }
      client.socket.write(line);
      written++;
    }, everyMs);
    void client.closed.then(() => {
      clearInterval(timer);
      resolve(written);
    });
  });
}

const giveUp = () => new Promise<"still open">((r) => setTimeout(() => r("still open"), GIVE_UP_MS + 5000).unref());

describe("request time limits on the real server", () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({}, { httpTimeouts: TIMEOUTS });
    port = server.running.ports.console ?? 0;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("cuts a slowloris client that trickles its headers, with 408", async () => {
    const slow = await rawClient(port);
    slow.socket.write("GET /api/services HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const trickling = trickle(slow, "X-Slow: a\r\n", 100);
    expect(await Promise.race([slow.closed, giveUp()])).toBeTypeOf("number");
    expect(await trickling).toBeGreaterThan(0);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("cuts a client that trickles its body, while an event stream opened before it keeps streaming", async () => {
    const sse = await openSse(`${server.consoleUrl}/api/events`);
    try {
      const slow = await rawClient(port);
      slow.socket.write(
        "POST /api/mesh/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\n" +
          "Content-Length: 100000\r\n\r\n",
      );
      const trickling = trickle(slow, "# x\n", 100);
      expect(await Promise.race([slow.closed, giveUp()])).toBeTypeOf("number");
      expect(await trickling).toBeGreaterThan(0);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
      // The stream is older than the request the checker just cut, so past requestTimeout too: it is still open
      // and delivers (Node stops timing a request once it is received; an answer may stream for as long as it likes).
      const span = otlpJsonSpan({ traceId: randomTraceId() });
      expect((await postOtlpJson(server.consoleUrl, otlpJsonRequest("svc", [span]))).status).toBe(200);
      const [event] = await sse.waitForEvents(1, 10_000);
      expect(event?.kind).toBe("spans");
    } finally {
      sse.close();
    }
  });

  it("closes a keep-alive connection left idle after its answer", async () => {
    const client = await rawClient(port);
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    expect(await Promise.race([client.closed, giveUp()])).toBeTypeOf("number");
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("still answers a client that sends its request promptly", async () => {
    const res = await fetch(`${server.consoleUrl}/api/services`);
    expect(res.status).toBe(200);
  });
});
