/**
 * An HTTP/1.1 GET client for timed calls whose answers were checked once before: it reads every answer into one
 * reused buffer and keeps only the status, the headers, the body's length and its last bytes.
 *
 * Why not node:http: each answer arrives as ~50 freshly allocated 64 KB Buffers, and a client reading a 3 MB graph
 * every 50 ms then runs a full garbage collection every few calls (external memory pressure). Those collections
 * use both cores of a 2-core machine for 7–18 ms, in the middle of the server's build being timed: measured, they
 * were the slow calls of the graph bench. This client allocates a few small strings per call.
 *
 * Content-Length, chunked and close-delimited bodies are read; one request at a time on one keep-alive connection.
 */
import { connect, type Socket } from "node:net";

export interface DrainedAnswer {
  status: number;
  /** Header names in lower case; a repeated header's values joined with ", ". */
  headers: Map<string, string>;
  /** Bytes of the body (after chunked decoding). */
  byteLength: number;
  /** The body's last `tailBytes` bytes (fewer when it is shorter), as UTF-8. */
  tail: string;
}

type BodyState =
  | { kind: "length"; left: number }
  | { kind: "close" }
  | { kind: "chunk-size"; line: string }
  | { kind: "chunk-data"; left: number }
  | { kind: "chunk-end"; left: number }
  | { kind: "trailer"; line: string };

interface Pending {
  resolve: (answer: DrainedAnswer) => void;
  reject: (err: Error) => void;
  head: string;
  status: number;
  headers: Map<string, string>;
  body: BodyState | null;
  byteLength: number;
  tail: Buffer;
  tailLength: number;
  timer: NodeJS.Timeout;
}

const HEAD_END = "\r\n\r\n";
const MAX_HEAD = 64 * 1024;

export class DrainingClient {
  private socket: Socket | null = null;
  private pending: Pending | null = null;
  private readonly buffer = Buffer.allocUnsafe(256 * 1024);

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly tailBytes = 0,
  ) {}

  static forUrl(url: string, tailBytes = 0): DrainingClient {
    const u = new URL(url);
    if (u.protocol !== "http:") throw new Error(`DrainingClient speaks plain HTTP, not ${u.protocol}`);
    return new DrainingClient(u.hostname, Number(u.port || 80), tailBytes);
  }

  get(pathAndQuery: string, timeoutMs = 60_000): Promise<DrainedAnswer> {
    if (this.pending !== null) throw new Error("DrainingClient: one request at a time");
    const socket = this.connection();
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve,
        reject,
        head: "",
        status: 0,
        headers: new Map(),
        body: null,
        byteLength: 0,
        tail: Buffer.alloc(this.tailBytes),
        tailLength: 0,
        timer: setTimeout(() => this.fail(new Error(`GET ${pathAndQuery} timed out`)), timeoutMs),
      };
      socket.write(`GET ${pathAndQuery} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAccept: */*\r\n\r\n`, "latin1");
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connection(): Socket {
    if (this.socket !== null && !this.socket.destroyed) return this.socket;
    const socket = connect({
      host: this.host,
      port: this.port,
      onread: {
        buffer: this.buffer,
        callback: (n: number, buf: Uint8Array) => {
          this.onBytes(buf as Buffer, 0, n);
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    // A connection already replaced (closed by fail or finish) says nothing about the request now waiting.
    socket.on("error", (err) => {
      if (this.socket === socket) this.fail(err);
    });
    socket.on("end", () => {
      if (this.socket !== socket) return;
      const p = this.pending;
      if (p?.body?.kind === "close") this.finish(p);
      else if (p !== null) this.fail(new Error("connection closed before the answer was complete"));
      this.socket = null;
    });
    this.socket = socket;
    return socket;
  }

  private fail(err: Error): void {
    const p = this.pending;
    this.close();
    if (p === null) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(err);
  }

  private finish(p: Pending): void {
    this.pending = null;
    clearTimeout(p.timer);
    if (p.body?.kind === "close") this.close();
    p.resolve({
      status: p.status,
      headers: p.headers,
      byteLength: p.byteLength,
      tail: p.tail.toString("utf8", 0, p.tailLength),
    });
  }

  private onBytes(buf: Buffer, start: number, end: number): void {
    const p = this.pending;
    if (p === null) {
      if (end > start) this.fail(new Error("bytes from the server with no request waiting"));
      return;
    }
    let at = start;
    if (p.body === null) {
      // The head is ASCII; it may arrive in pieces.
      const seen = p.head.length;
      p.head += buf.toString("latin1", at, end);
      const headEnd = p.head.indexOf(HEAD_END);
      if (headEnd < 0) {
        if (p.head.length > MAX_HEAD) this.fail(new Error("answer head too long"));
        return;
      }
      at += headEnd + HEAD_END.length - seen;
      this.parseHead(p, p.head.slice(0, headEnd));
      if (this.pending !== p) return;
    }
    this.onBody(p, buf, at, end);
  }

  private parseHead(p: Pending, head: string): void {
    const lines = head.split("\r\n");
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
    if (m?.[1] === undefined) {
      this.fail(new Error(`not an HTTP answer: ${JSON.stringify((lines[0] ?? "").slice(0, 100))}`));
      return;
    }
    p.status = Number(m[1]);
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const before = p.headers.get(name);
      p.headers.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    const length = p.headers.get("content-length");
    if (p.headers.get("transfer-encoding")?.toLowerCase().includes("chunked")) {
      p.body = { kind: "chunk-size", line: "" };
    } else if (length !== undefined) {
      const left = Number(length);
      if (!Number.isSafeInteger(left) || left < 0) {
        this.fail(new Error(`bad Content-Length ${JSON.stringify(length)}`));
        return;
      }
      p.body = { kind: "length", left };
      if (left === 0) this.finish(p);
    } else {
      p.body = { kind: "close" };
    }
  }

  private onBody(p: Pending, buf: Buffer, start: number, end: number): void {
    let at = start;
    while (this.pending === p && p.body !== null) {
      const body: BodyState = p.body;
      if (body.kind === "close") {
        this.take(p, buf, at, end);
        return;
      }
      if (body.kind === "length" || body.kind === "chunk-data") {
        const n = Math.min(body.left, end - at);
        this.take(p, buf, at, at + n);
        at += n;
        body.left -= n;
        if (body.left > 0) return;
        if (body.kind === "length") {
          if (at < end) this.fail(new Error("bytes past the end of the answer"));
          else this.finish(p);
          return;
        }
        p.body = { kind: "chunk-end", left: 2 };
        continue;
      }
      if (at >= end) return;
      if (body.kind === "chunk-end") {
        const n = Math.min(body.left, end - at);
        at += n;
        body.left -= n;
        if (body.left === 0) p.body = { kind: "chunk-size", line: "" };
        continue;
      }
      // chunk-size or trailer: a line ending in LF.
      const lf = buf.indexOf(10, at);
      const stop = lf < 0 || lf >= end ? end : lf;
      body.line += buf.toString("latin1", at, stop);
      if (body.line.length > MAX_HEAD) {
        this.fail(new Error("chunk line too long"));
        return;
      }
      if (stop === end) return;
      at = stop + 1;
      const line = body.line.replace(/\r$/, "");
      if (body.kind === "trailer") {
        if (line === "") this.finish(p);
        else body.line = "";
        continue;
      }
      const size = Number.parseInt(line.split(";")[0] ?? "", 16);
      if (!Number.isSafeInteger(size) || size < 0) {
        this.fail(new Error(`bad chunk size ${JSON.stringify(line.slice(0, 40))}`));
        return;
      }
      p.body = size === 0 ? { kind: "trailer", line: "" } : { kind: "chunk-data", left: size };
    }
  }

  /** Counts body bytes and keeps the last tailBytes of them. */
  private take(p: Pending, buf: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    p.byteLength += n;
    const cap = p.tail.length;
    if (cap === 0) return;
    if (n >= cap) {
      buf.copy(p.tail, 0, end - cap, end);
      p.tailLength = cap;
      return;
    }
    const keep = Math.min(p.tailLength, cap - n);
    p.tail.copy(p.tail, 0, p.tailLength - keep, p.tailLength);
    buf.copy(p.tail, keep, start, end);
    p.tailLength = keep + n;
  }
}
