/**
 * Search and lookup parameters are untrusted (DESIGN §6): SQL metacharacters, LIKE wildcards, NUL bytes, long and
 * odd Unicode strings must be answered 200 with nothing found or 400, never 500, and must not change the data.
 * A real server and SQLite file, a known trace stored first and looked for again at the end.
 */
import { TraceResponse, TraceSearchResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const HOSTILE: readonly (readonly [string, string])[] = [
  ["a quote that closes a string", "' OR 1=1 --"],
  ["a double quote and a second statement", '"; DROP TABLE spans; --'],
  ["a UNION", "x' UNION SELECT name, sql FROM sqlite_master --"],
  ["LIKE's any-string wildcard", "%"],
  ["LIKE's one-character wildcard", "________"],
  ["GLOB's wildcard", "*"],
  ["a NUL byte", "checkout\u0000' OR 1=1"],
  ["4 KiB of text", "x".repeat(4096)],
  ["4 KiB of quotes", "'".repeat(4096)],
  ["Unicode: emoji, combining marks, right-to-left override", "🦄 çhéçkòut\u202egnp.exe"],
  ["backslashes and JSON", '\\"}]{"a":'],
  ["a path", "../../etc/passwd"],
];

const KNOWN_SERVICE = "checkout";
const KNOWN_OPERATION = "GET /cart";

/**
 * Node itself answers 431 (no body) to a request line and headers over its 16 KiB limit: a 4 KiB value
 * percent-encoded three times over gets there. A refusal like any other 4xx.
 */
const TOO_LARGE = 431;
const short = (path: string) => (path.length > 120 ? `${path.slice(0, 120)}…` : path);

/** The answer has a body of this shape: a JSON API never answers HTML or nothing. */
const ApiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const JaegerBody = z.object({
  data: z.unknown(),
  errors: z.array(z.object({ code: z.number(), msg: z.string() })).nullable(),
});

describe("hostile search input on the real server", () => {
  let server: TestServer;
  const traceId = randomTraceId();
  const get = (path: string) => fetch(`${server.consoleUrl}${path}`);
  /** A trace search: the traces found (null unless 200) and the answer's text. */
  const search = async (params: Record<string, string>) => {
    const res = await get(`/api/traces?${new URLSearchParams(params)}`);
    if (res.status !== 200) return { status: res.status, traces: null, text: await res.text() };
    return { status: res.status, traces: TraceSearchResponse.parse(await res.json()).traces, text: "" };
  };

  beforeAll(async () => {
    server = await startTestServer();
    const root = randomSpanId();
    const spans = [
      otlpJsonSpan({ traceId, spanId: root, name: KNOWN_OPERATION }),
      otlpJsonSpan({
        traceId,
        parentSpanId: root,
        name: "SELECT cart",
        attributes: [{ key: "db.statement", value: { stringValue: "SELECT * FROM cart WHERE id = 'x'" } }],
      }),
    ];
    expect((await postOtlpJson(server.consoleUrl, otlpJsonRequest(KNOWN_SERVICE, spans))).status).toBe(200);
    // The OTLP answer comes after the commit, so the trace is searchable now.
    expect((await search({ service: KNOWN_SERVICE })).traces).toHaveLength(1);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe.each(HOSTILE)("%s", (_what, value) => {
    const enc = encodeURIComponent(value);

    it("finds no trace as service, operation or tag value, and is never a server error", async () => {
      const cases: Record<string, string>[] = [
        { service: value },
        { service: KNOWN_SERVICE, operation: value },
        { service: KNOWN_SERVICE, tags: JSON.stringify({ [value]: value }) },
        { service: KNOWN_SERVICE, tags: JSON.stringify({ "db.statement": value }) },
        { service: KNOWN_SERVICE, tags: value },
        { tags: `error=${value}` },
        { service: KNOWN_SERVICE, minDuration: value },
      ];
      for (const params of cases) {
        const { status, traces, text } = await search(params);
        const what = short(JSON.stringify(params));
        expect([200, 400, TOO_LARGE], what).toContain(status);
        if (status === 200) expect(traces, what).toEqual([]);
        else if (status === 400) ApiErrorBody.parse(JSON.parse(text));
      }
    });

    it("is a 400 or 404 as a trace id and an empty list as a service of the catalog", async () => {
      const byId = await get(`/api/traces/${enc}`);
      expect([400, 404]).toContain(byId.status);
      ApiErrorBody.parse(await byId.json());
      const ops = await get(`/api/operations?service=${enc}`);
      expect([200, 400]).toContain(ops.status);
      const body: unknown = await ops.json();
      if (ops.status === 200) expect(body).toEqual({ operations: [] });
    });

    it("is answered 200, 400 or 404 by the service, graph and mesh reads", async () => {
      for (const path of [
        `/api/services?namespaces=${enc}`,
        `/api/services/${enc}/${enc}`,
        `/api/services/bookinfo/${enc}?window=${enc}`,
        `/api/graph?namespaces=${enc}`,
        `/api/graph?type=${enc}`,
        `/api/mesh/objects?namespace=${enc}&kind=${enc}`,
        `/api/mesh/objects/VirtualService/${enc}/${enc}`,
        `/api/mesh/observed?namespace=${enc}&service=${enc}`,
      ]) {
        const res = await get(path);
        expect([200, 400, 404, TOO_LARGE], short(path)).toContain(res.status);
        if (res.status === TOO_LARGE) continue;
        const body: unknown = await res.json();
        if (res.status !== 200) ApiErrorBody.parse(body);
      }
    });

    it("finds nothing through the Jaeger API and answers its envelope", async () => {
      for (const path of [
        `/jaeger/api/traces?service=${enc}`,
        `/jaeger/api/traces?service=${KNOWN_SERVICE}&operation=${enc}`,
        `/jaeger/api/traces?service=${KNOWN_SERVICE}&tag=${enc}:${enc}`,
        `/jaeger/api/traces?service=${KNOWN_SERVICE}&tags=${encodeURIComponent(JSON.stringify({ [value]: value }))}`,
        `/jaeger/api/traces?service=${KNOWN_SERVICE}&tags=${enc}`,
        `/jaeger/api/traces?service=${KNOWN_SERVICE}&minDuration=${enc}&limit=${enc}`,
        `/jaeger/api/services/${enc}/operations`,
        `/jaeger/api/operations?service=${enc}&spanKind=${enc}`,
        `/jaeger/api/traces/${enc}`,
        `/jaeger/api/dependencies?endTs=${enc}&lookback=${enc}`,
      ]) {
        const res = await get(path);
        expect([200, 400, 404, TOO_LARGE], short(path)).toContain(res.status);
        if (res.status === TOO_LARGE) continue;
        const body = JaegerBody.parse(await res.json());
        if (res.status === 200 && Array.isArray(body.data) && path.startsWith("/jaeger/api/traces?"))
          expect(body.data, short(path)).toEqual([]);
      }
    });
  });

  it("answers 400 or nothing found for broken percent-encoding and invalid UTF-8", async () => {
    for (const raw of ["%", "%zz", "%ED%A0%80", "%FF%FE", "%C0%AF..%C0%AF"]) {
      for (const path of [
        `/api/traces?service=${raw}&tags=${raw}`,
        `/api/traces/${raw}`,
        `/api/services/${raw}/${raw}`,
        `/api/mesh/objects/VirtualService/${raw}/${raw}`,
        `/jaeger/api/traces?service=${raw}&tag=${raw}`,
        `/jaeger/api/services/${raw}/operations`,
      ]) {
        const res = await get(path);
        expect([200, 400, 404], path).toContain(res.status);
        const body: unknown = await res.json();
        if (res.status === 200 && path.startsWith("/api/traces?")) expect(body).toEqual({ traces: [] });
      }
    }
  });

  it("takes the LIKE and GLOB wildcards literally", async () => {
    for (const service of ["%", "_hec_out", "check%", "*", "check*"]) {
      expect((await search({ service })).traces).toEqual([]);
    }
    for (const value of ["%", "SELECT%", "%cart%", "*"]) {
      const { traces } = await search({ service: KNOWN_SERVICE, tags: JSON.stringify({ "db.statement": value }) });
      expect(traces, value).toEqual([]);
    }
  });

  it("answers 400 naming the limit, not a server error, for as many tags as fit in the parameters", async () => {
    // Each tag is a condition of one SQL statement; ~1400 of them passed SQLite's expression depth limit (a 500).
    const keys = Array.from({ length: 2000 }, (_, i) => i.toString(36));
    /** The first of `parts` whose joined text stays within `max` characters. */
    const fit = (parts: string[], join: string, max: number) => {
      let n = parts.length;
      while (parts.slice(0, n).join(join).length > max) n--;
      return parts.slice(0, n).join(join);
    };
    const json = `{${fit(
      keys.map((k) => `"${k}":""`),
      ",",
      4094,
    )}}`;
    const logfmt = fit(keys, " ", 4096);
    // Within Node's 16 KiB request line and headers.
    const jaeger = fit(
      keys.map((k) => `tag=${k}:v`),
      "&",
      14_000,
    );
    for (const tags of [json, logfmt]) {
      const res = await get(`/api/traces?service=${KNOWN_SERVICE}&tags=${encodeURIComponent(tags)}`);
      expect(res.status).toBe(400);
      expect(ApiErrorBody.parse(await res.json()).error.message).toMatch(/at most 64/);
    }
    const res = await get(`/jaeger/api/traces?service=${KNOWN_SERVICE}&${jaeger}`);
    expect(res.status).toBe(400);
    expect(JaegerBody.parse(await res.json()).errors?.[0]?.msg).toMatch(/at most 64/);
    // 64 tags are still a search (that finds nothing here).
    const most = Object.fromEntries(keys.slice(0, 64).map((k) => [k, "v"]));
    expect((await search({ service: KNOWN_SERVICE, tags: JSON.stringify(most) })).traces).toEqual([]);
  });

  it("leaves the data intact: the known trace is still found, whole, by service, operation and tag", async () => {
    const byService = await search({ service: KNOWN_SERVICE });
    expect(byService.traces?.map((t) => t.traceId)).toEqual([traceId]);
    const byOperation = await search({ service: KNOWN_SERVICE, operation: KNOWN_OPERATION });
    expect(byOperation.traces).toHaveLength(1);
    const byTag = await search({
      service: KNOWN_SERVICE,
      tags: JSON.stringify({ "db.statement": "SELECT * FROM cart WHERE id = 'x'" }),
    });
    expect(byTag.traces).toHaveLength(1);
    const trace = TraceResponse.parse(await (await get(`/api/traces/${traceId}`)).json());
    expect(trace.spans.map((s) => s.name).sort()).toEqual([KNOWN_OPERATION, "SELECT cart"]);
    const jaeger = JaegerBody.parse(await (await get(`/jaeger/api/traces?service=${KNOWN_SERVICE}`)).json());
    expect(jaeger.data).toHaveLength(1);
  });
});
