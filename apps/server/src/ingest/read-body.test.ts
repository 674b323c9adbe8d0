import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipBomb } from "../test-support/gzip-bomb.js";
import { BodyError, parseContentEncoding, readBody } from "./read-body.js";

const MiB = 1024 * 1024;

/** A request-like stream: the body in chunks, with headers. */
function request(body: Buffer, headers: Record<string, string> = {}, chunkBytes = 64 * 1024) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunkBytes) chunks.push(body.subarray(i, i + chunkBytes));
  return Object.assign(Readable.from(chunks), { headers });
}

async function bodyError(promise: Promise<unknown>): Promise<BodyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BodyError) return error;
    throw error;
  }
  throw new Error("expected a BodyError");
}

const limits = { maxBodyBytes: 1 * MiB, maxDecompressedBytes: 4 * MiB };

describe("readBody", () => {
  it("returns an identity body within the limit unchanged", async () => {
    const body = Buffer.from("hello spans");
    expect((await readBody(request(body), "identity", limits)).toString()).toBe("hello spans");
  });

  it("inflates a gzip body", async () => {
    const body = Buffer.alloc(3 * MiB, "a");
    const read = await readBody(request(gzipSync(body)), "gzip", limits);
    expect(read.equals(body)).toBe(true);
  });

  it("refuses a body over the byte limit with 413 without reading it all", async () => {
    const error = await bodyError(readBody(request(Buffer.alloc(2 * MiB)), "identity", limits));
    expect(error.status).toBe(413);
    expect(error.message).toBe("request body exceeds the limit of 1 MiB");
  });

  it("refuses at once when Content-Length announces too much", async () => {
    const error = await bodyError(
      readBody(request(Buffer.alloc(10), { "content-length": String(2 * MiB) }), "identity", limits),
    );
    expect(error.status).toBe(413);
  });

  it("counts the compressed bytes against the body limit", async () => {
    const random = randomBytes(2 * MiB); // incompressible: the gzip body is over 1 MiB
    const error = await bodyError(readBody(request(gzipSync(random, { level: 0 })), "gzip", limits));
    expect(error.status).toBe(413);
  });

  it("stops inflating a 1 GiB gzip bomb at the decompressed limit, quickly and with little memory", async () => {
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(1.2 * MiB);
    const before = process.memoryUsage();
    const started = performance.now();
    const error = await bodyError(
      readBody(request(bomb), "gzip", { maxBodyBytes: 2 * MiB, maxDecompressedBytes: 8 * MiB }),
    );
    const elapsedMs = performance.now() - started;
    const after = process.memoryUsage();
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/inflates past the limit of 8 MiB/);
    expect(elapsedMs).toBeLessThan(1_000);
    expect((after.rss - before.rss) / MiB).toBeLessThan(64);
    expect((after.arrayBuffers - before.arrayBuffers) / MiB).toBeLessThan(64);
  });

  it("answers 400 for corrupt gzip", async () => {
    const error = await bodyError(readBody(request(Buffer.from("definitely not gzip")), "gzip", limits));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^invalid gzip body: /);
  });

  it("answers 400 for truncated gzip", async () => {
    const gz = gzipSync(Buffer.alloc(100_000, "x"));
    const error = await bodyError(readBody(request(gz.subarray(0, gz.length - 20)), "gzip", limits));
    expect(error.status).toBe(400);
  });
});

describe("parseContentEncoding", () => {
  it("accepts identity and gzip and refuses other codings with 415", () => {
    expect(parseContentEncoding(undefined)).toBe("identity");
    expect(parseContentEncoding("GZIP")).toBe("gzip");
    expect(() => parseContentEncoding("br")).toThrow(BodyError);
  });
});
