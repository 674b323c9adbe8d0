/**
 * The trace page starts its outline early (app.ts prefetchTracePage, traces/outline-builder.ts): serving the
 * console's HTML for `/traces/{id}` starts the build, and the page's own outline request then takes it. Only for a
 * caller the API would let read the trace, and only for a trace page. The server is the real one in token mode; its
 * web build is a one-line index.html written by the test (the routes only need the file to exist).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TraceOutlineWire } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthTestServer, bearer, startAuthTestServer } from "../auth/auth.testing.js";
import { otlpJsonRequest, postOtlpJson, randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
import type { OutlineBuilder } from "./outline-builder.js";

let t: AuthTestServer;
let builder: OutlineBuilder | null = null;
let dist = "";
const traceId = randomTraceId();

function span(spanId: string, parentSpanId: string | null) {
  const start = BigInt(Date.now() - 5_000) * 1_000_000n;
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: "GET /",
    kind: 2,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 10_000_000n).toString(),
    attributes: [],
    status: {},
  };
}

function stats() {
  if (builder === null) throw new Error("the server did not hand over its outline builder");
  return { ...builder.stats };
}

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), "meshscope-web-"));
  writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>Meshscope</title>\n");
  t = await startAuthTestServer(
    ["--auth", "token"],
    {
      onOutlineBuilder: (b) => {
        builder = b;
      },
    },
    { webDistDir: dist },
  );
  const root = randomSpanId();
  const body = otlpJsonRequest("frontend", [span(root, null), span(randomSpanId(), root)]);
  expect((await postOtlpJson(t.server.otlpHttpUrl, body, bearer(t.tokens.ingest))).status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
  rmSync(dist, { recursive: true, force: true });
});

describe("trace page outline prefetch (real server, token mode)", () => {
  it("builds the outline when a viewer's trace page is served; the page's request takes that build", async () => {
    const before = stats();
    const page = await fetch(t.url(`/traces/${traceId.toUpperCase()}`), { headers: bearer(t.tokens.viewer) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Meshscope</title>");
    expect(stats().builds).toBe(before.builds + 1);
    const res = await fetch(t.url(`/api/traces/${traceId}?view=outline`), { headers: bearer(t.tokens.viewer) });
    expect(res.status).toBe(200);
    const outline = TraceOutlineWire.parse(await res.json());
    expect(outline.spanId).toHaveLength(2);
    expect(stats()).toEqual({ builds: before.builds + 1, reused: before.reused + 1, dropped: before.dropped });
  });

  it("starts nothing for a caller who may not read traces, for an ingest token, or for other pages", async () => {
    const before = stats();
    for (const headers of [{}, bearer(t.tokens.ingest), bearer("not-a-token")]) {
      const page = await fetch(t.url(`/traces/${traceId}`), { headers });
      // The UI's files are public (the page then asks the person to sign in); the build is not started.
      expect(page.status).toBe(200);
    }
    for (const p of [`/graph`, `/traces/compare`, `/traces/not-hex`, `/traces/${traceId}/extra`, `/`]) {
      expect((await fetch(t.url(p), { headers: bearer(t.tokens.viewer) })).status, p).toBe(200);
    }
    expect(stats()).toEqual(before);
  });

  it("the outline route still refuses a caller without credentials after a prefetch", async () => {
    await fetch(t.url(`/traces/${traceId}`), { headers: bearer(t.tokens.viewer) });
    const res = await fetch(t.url(`/api/traces/${traceId}?view=outline`));
    expect(res.status).toBe(401);
  });
});
