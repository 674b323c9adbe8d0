import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrainingClient } from "./draining-client.js";

/** 3 MB of bytes that differ along the body, with multi-byte UTF-8 at the end. */
const BIG = Buffer.concat([
  Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => 32 + (i % 90))),
  Buffer.from('{"évalTotalTime":0.25,"emoji":"🙂"}', "utf8"),
]);

let http: Server;
let httpPort: number;
let raw: NetServer;
let rawPort: number;
/** What the raw server answers next: pieces written with a pause between them (split anywhere). */
let rawAnswer: { pieces: Buffer[]; close: boolean } = { pieces: [], close: false };

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === "/length") {
      res.setHeader("Server-Timing", "traffic;dur=1.50, build;dur=2.00");
      res.setHeader("Content-Length", BIG.length);
      res.end(BIG);
    } else if (req.url === "/chunked") {
      // No Content-Length and several writes: Node sends it chunked.
      for (let at = 0; at < BIG.length; at += 700_001) res.write(BIG.subarray(at, at + 700_001));
      res.end();
    } else if (req.url === "/empty") {
      res.setHeader("Content-Length", 0);
      res.end();
    } else {
      res.statusCode = 404;
      res.end("no such thing");
    }
  });
  httpPort = await listen(http);
  raw = createNetServer((socket: Socket) => {
    socket.once("data", async () => {
      const { pieces, close } = rawAnswer;
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (close) socket.end();
    });
  });
  rawPort = await listen(raw);
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  await new Promise((r) => raw.close(r));
});

/** Splits a byte string into pieces of 1–7 bytes, so every boundary falls somewhere awkward. */
function shred(text: string): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const out: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = 1 + (k % 7);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe("DrainingClient", () => {
  it("reads a Content-Length body: its length, its last bytes and the headers", async () => {
    const client = new DrainingClient("127.0.0.1", httpPort, 64);
    try {
      const answer = await client.get("/length");
      expect(answer.status).toBe(200);
      expect(answer.byteLength).toBe(BIG.length);
      expect(answer.tail).toBe(BIG.subarray(BIG.length - 64).toString("utf8"));
      expect(answer.headers.get("server-timing")).toBe("traffic;dur=1.50, build;dur=2.00");
    } finally {
      client.close();
    }
  });

  it("decodes a chunked body and keeps the connection for the next requests", async () => {
    const client = new DrainingClient("127.0.0.1", httpPort, 40);
    try {
      const chunked = await client.get("/chunked");
      expect(chunked.headers.get("transfer-encoding")).toBe("chunked");
      expect(chunked.byteLength).toBe(BIG.length);
      expect(chunked.tail).toBe(BIG.subarray(BIG.length - 40).toString("utf8"));
      const empty = await client.get("/empty");
      expect([empty.status, empty.byteLength, empty.tail]).toEqual([200, 0, ""]);
      const missing = await client.get("/missing");
      expect([missing.status, missing.byteLength, missing.tail]).toEqual([404, 13, "no such thing"]);
      const again = await client.get("/length");
      expect(again.byteLength).toBe(BIG.length);
    } finally {
      client.close();
    }
  });

  it("parses a head, chunk sizes with extensions and trailers split at every byte boundary", async () => {
    rawAnswer = {
      pieces: shred(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nX-A: 2\r\n\r\n" +
          "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n",
      ),
      close: false,
    };
    const client = new DrainingClient("127.0.0.1", rawPort, 8);
    try {
      const answer = await client.get("/");
      expect(answer.byteLength).toBe(16);
      expect(answer.tail).toBe("23456789");
      expect(answer.headers.get("x-a")).toBe("1, 2");
    } finally {
      client.close();
    }
  });

  it("reads a body delimited by the connection's end", async () => {
    rawAnswer = { pieces: shred("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nthe whole body"), close: true };
    const client = new DrainingClient("127.0.0.1", rawPort, 100);
    try {
      const answer = await client.get("/");
      expect([answer.byteLength, answer.tail]).toEqual([14, "the whole body"]);
    } finally {
      client.close();
    }
  });

  it("refuses what is not HTTP, a bad chunk size and a connection cut short", async () => {
    const client = new DrainingClient("127.0.0.1", rawPort);
    rawAnswer = { pieces: [Buffer.from("SSH-2.0-OpenSSH\r\n\r\n")], close: false };
    await expect(client.get("/")).rejects.toThrow(/not an HTTP answer/);
    rawAnswer = { pieces: [Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")], close: false };
    await expect(client.get("/")).rejects.toThrow(/bad chunk size/);
    rawAnswer = { pieces: [Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")], close: true };
    await expect(client.get("/")).rejects.toThrow(/closed before the answer was complete/);
    client.close();
  });
});
