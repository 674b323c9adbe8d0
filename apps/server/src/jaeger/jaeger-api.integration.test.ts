/**
 * The Jaeger v1 query API against Jaeger's documented JSON shapes (jaeger.md §2.1; Jaeger's uimodel and
 * http_handler.go). Spans go in through the real OpenTelemetry exporter (the SDK is the oracle for what a span
 * must look like), and every answer is validated with zod schemas of Jaeger's shapes written here, apart from
 * the server's code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type ExpectedSpan, type ExportedTrace, recordAndExportTrace } from "../test-support/otel-trace.js";
import { otlpJsonRequest, otlpJsonSpan, postOtlpJson, randomSpanId, randomTraceId } from "../test-support/otlp-json.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const KeyValue = z
  .object({
    key: z.string(),
    type: z.enum(["string", "bool", "int64", "float64", "binary"]),
    value: z.union([z.string(), z.number(), z.boolean()]),
  })
  .strict()
  .refine(
    (kv) =>
      ({
        string: typeof kv.value === "string",
        bool: typeof kv.value === "boolean",
        // |v| > 2^53 − 1 travels as a decimal string.
        int64: Number.isInteger(kv.value) || (typeof kv.value === "string" && /^-?\d+$/.test(kv.value)),
        float64: typeof kv.value === "number",
        binary: typeof kv.value === "string",
      })[kv.type],
    { message: "value does not match type" },
  );
const Hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const TraceID = z.union([Hex(16), Hex(32)]);
const Span = z
  .object({
    traceID: TraceID,
    spanID: Hex(16),
    flags: z.number().int().optional(),
    operationName: z.string(),
    references: z.array(
      z.object({ refType: z.enum(["CHILD_OF", "FOLLOWS_FROM"]), traceID: TraceID, spanID: Hex(16) }).strict(),
    ),
    startTime: z.number().int(),
    duration: z.number().int().nonnegative(),
    tags: z.array(KeyValue),
    logs: z.array(z.object({ timestamp: z.number().int(), fields: z.array(KeyValue) }).strict()),
    processID: z.string(),
    warnings: z.array(z.string()).nullable(),
  })
  .strict();
const Trace = z
  .object({
    traceID: TraceID,
    spans: z.array(Span),
    processes: z.record(z.string(), z.object({ serviceName: z.string(), tags: z.array(KeyValue) }).strict()),
    warnings: z.array(z.string()).nullable(),
  })
  .strict()
  .refine((t) => t.spans.every((s) => s.processID in t.processes && s.traceID === t.traceID), {
    message: "every span names a process of the trace and carries the trace's id",
  });
type Trace = z.infer<typeof Trace>;
const JaegerError = z.object({ code: z.number().int().optional(), msg: z.string(), traceID: z.string().optional() });
const envelope = <T extends z.ZodType>(data: T) =>
  z
    .object({
      data,
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      errors: z.array(JaegerError).nullable(),
    })
    .strict();
const ErrorEnvelope = z
  .object({
    data: z.null(),
    total: z.literal(0),
    limit: z.literal(0),
    offset: z.literal(0),
    errors: z.array(JaegerError.extend({ code: z.number().int() })).length(1),
  })
  .strict();

let server: TestServer;
let checkout: ExportedTrace;

async function get<T extends z.ZodType>(path: string, schema: T): Promise<z.output<T>> {
  const res = await fetch(`${server.consoleUrl}/jaeger/api${path}`);
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}

async function getError(path: string): Promise<{ status: number; body: z.output<typeof ErrorEnvelope> }> {
  const res = await fetch(`${server.consoleUrl}/jaeger/api${path}`);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: res.status, body: ErrorEnvelope.parse(await res.json()) };
}

const qs = (params: Record<string, string | string[]>) => {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) out.append(k, one);
  return out.toString();
};

beforeAll(async () => {
  server = await startTestServer();
  checkout = await recordAndExportTrace({
    exporter: "otlp-proto",
    url: `${server.otlpHttpUrl}/v1/traces`,
    gzip: false,
  });
});
afterAll(async () => {
  await server.stop();
});

function expected(name: string, service: string): ExpectedSpan {
  const span = checkout.spans.find((s) => s.name === name && s.service === service);
  if (!span) throw new Error(`the checkout trace has no span ${name} of ${service}`);
  return span;
}

function spanOf(trace: Trace, spanId: string) {
  const span = trace.spans.find((s) => s.spanID === spanId);
  if (!span) throw new Error(`span ${spanId} missing from the Jaeger trace`);
  return { span, process: trace.processes[span.processID] };
}

const tag = (tags: readonly z.infer<typeof KeyValue>[], key: string) => tags.find((t) => t.key === key);

describe("GET /jaeger/api/services and operations", () => {
  it("lists the services that sent spans, sorted, with total set to their count", async () => {
    const body = await get("/services", envelope(z.array(z.string())));
    expect(body.data).toEqual(expect.arrayContaining(["checkout", "frontend", "payments"]));
    expect(body.data).toEqual([...body.data].sort());
    expect(body).toMatchObject({ total: body.data.length, limit: 0, offset: 0, errors: null });
  });

  it("lists a service's distinct operation names on the legacy path", async () => {
    const body = await get("/services/checkout/operations", envelope(z.array(z.string())));
    expect([...body.data].sort()).toEqual(["POST /charge", "orders publish", "payments.Charge", "validate order"]);
    expect(body.total).toBe(4);
  });

  it("lists operations with their span kind, filtered by spanKind", async () => {
    const Ops = envelope(z.array(z.object({ name: z.string(), spanKind: z.string() }).strict()));
    const all = await get(`/operations?${qs({ service: "checkout" })}`, Ops);
    expect(all.data).toEqual(
      expect.arrayContaining([
        { name: "POST /charge", spanKind: "server" },
        { name: "payments.Charge", spanKind: "client" },
        { name: "orders publish", spanKind: "producer" },
        { name: "validate order", spanKind: "internal" },
      ]),
    );
    const clients = await get(`/operations?${qs({ service: "checkout", spanKind: "client" })}`, Ops);
    expect(clients.data).toEqual([{ name: "payments.Charge", spanKind: "client" }]);
    expect(clients.total).toBe(1);
    expect((await get(`/operations?${qs({ service: "checkout", spanKind: "" })}`, Ops)).data).toHaveLength(4);
  });

  it("answers 400 in Jaeger's envelope for a missing service or an unknown span kind", async () => {
    expect(await getError("/operations")).toEqual({
      status: 400,
      body: {
        data: null,
        total: 0,
        limit: 0,
        offset: 0,
        errors: [{ code: 400, msg: "parameter 'service' is required" }],
      },
    });
    const bad = await getError(`/operations?${qs({ service: "checkout", spanKind: "sideways" })}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.msg).toMatch(/^unable to parse param 'spanKind': unsupported span kind "sideways"/);
  });
});

describe("GET /jaeger/api/traces/{traceID}", () => {
  it("answers the trace as a one-element list, in µs, with Jaeger's envelope", async () => {
    const body = await get(`/traces/${checkout.traceId}`, envelope(z.array(Trace).length(1)));
    expect(body).toMatchObject({ total: 0, limit: 0, offset: 0, errors: null });
    const trace = body.data[0];
    expect(trace?.traceID).toBe(checkout.traceId);
    expect(trace?.spans).toHaveLength(checkout.spans.length);
    for (const want of checkout.spans) {
      const { span } = spanOf(trace as Trace, want.spanId);
      expect({ op: span.operationName, start: span.startTime, duration: span.duration }).toEqual({
        op: want.name,
        start: want.start,
        duration: want.duration,
      });
    }
  });

  it("maps the resource to the process, status to error tags, events to logs and parents to CHILD_OF", async () => {
    const [trace] = (await get(`/traces/${checkout.traceId}`, envelope(z.array(Trace)))).data;
    const want = expected("payments.Charge", "payments");
    const { span, process } = spanOf(trace as Trace, want.spanId);
    expect(process).toEqual({
      serviceName: "payments",
      tags: [{ key: "deployment.environment", type: "string", value: "test" }],
    });
    expect(span.references).toEqual([{ refType: "CHILD_OF", traceID: checkout.traceId, spanID: want.parentSpanId }]);
    expect(span.tags).toEqual([
      { key: "otel.scope.name", type: "string", value: "payments-instrumentation" },
      { key: "otel.scope.version", type: "string", value: "0.9.1" },
      { key: "rpc.system", type: "string", value: "grpc" },
      { key: "payment.amount", type: "float64", value: 12.5 },
      { key: "payment.retries", type: "int64", value: 3 },
      { key: "payment.ok", type: "bool", value: false },
      { key: "span.kind", type: "string", value: "server" },
      { key: "otel.status_code", type: "string", value: "ERROR" },
      { key: "error", type: "bool", value: true },
      { key: "otel.status_description", type: "string", value: "card declined" },
    ]);
    const event = want.events[0];
    expect(span.logs).toEqual([
      {
        timestamp: event?.time,
        fields: [
          { key: "event", type: "string", value: "exception" },
          { key: "exception.type", type: "string", value: "CardDeclined" },
          { key: "exception.message", type: "string", value: "card declined" },
          { key: "exception.escaped", type: "bool", value: false },
        ],
      },
    ]);
  });

  it("turns links into FOLLOWS_FROM references after the parent, and arrays into JSON text", async () => {
    const [trace] = (await get(`/traces/${checkout.traceId}`, envelope(z.array(Trace)))).data;
    const validate = expected("validate order", "checkout");
    const render = expected("render cart", "frontend");
    expect(spanOf(trace as Trace, validate.spanId).span.references).toEqual([
      { refType: "CHILD_OF", traceID: checkout.traceId, spanID: validate.parentSpanId },
      { refType: "FOLLOWS_FROM", traceID: checkout.traceId, spanID: render.spanId },
    ]);
    const root = spanOf(trace as Trace, expected("GET /checkout", "frontend").spanId);
    expect(root.span.references).toEqual([]);
    expect(root.span.warnings).toBeNull();
    expect(tag(root.span.tags, "app.features")).toEqual({
      key: "app.features",
      type: "string",
      value: '["express-checkout","gift-wrap"]',
    });
    expect(tag(root.span.tags, "app.note")?.value).toBe('quotes " and <b>tags</b> and ünïcode ✓');
    expect(tag(root.span.tags, "otel.status_code")).toBeUndefined();
    expect(root.process?.tags).toEqual(
      expect.arrayContaining([{ key: "k8s.namespace.name", type: "string", value: "shop" }]),
    );
  });

  it("answers 404 with Jaeger's error envelope for an unknown id, and 400 for a malformed one", async () => {
    expect(await getError(`/traces/${randomTraceId()}`)).toEqual({
      status: 404,
      body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: "trace not found" }] },
    });
    const bad = await getError("/traces/not-hex");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]?.msg).toMatch(/^unable to parse param 'traceID'/);
  });

  it("finds a 64-bit trace id by its 16 digits and prints it as Jaeger does", async () => {
    const traceId = `${"0".repeat(16)}${randomTraceId().slice(16)}`;
    await postOtlpJson(server.otlpHttpUrl, otlpJsonRequest("b3-client", [otlpJsonSpan({ traceId })]));
    const [trace] = (await get(`/traces/${traceId.slice(16)}`, envelope(z.array(Trace)))).data;
    expect(trace?.traceID).toBe(traceId.slice(16));
  });
});

describe("GET /jaeger/api/traces (search)", () => {
  const Search = envelope(z.array(Trace));
  const ids = async (params: Record<string, string | string[]>) =>
    (await get(`/traces?${qs(params)}`, Search)).data.map((t) => t.traceID);

  it("finds whole traces by service, operation, tags and span duration", async () => {
    expect(await ids({ service: "checkout" })).toContain(checkout.traceId);
    expect(await ids({ service: "checkout", operation: "validate order" })).toContain(checkout.traceId);
    expect(await ids({ service: "checkout", tags: JSON.stringify({ "http.route": "/charge" }) })).toContain(
      checkout.traceId,
    );
    expect(await ids({ service: "checkout", tag: "http.route:/charge" })).toContain(checkout.traceId);
    expect(await ids({ service: "checkout", tags: JSON.stringify({ "http.route": "/refund" }) })).not.toContain(
      checkout.traceId,
    );
    expect(await ids({ service: "checkout", minDuration: "1h" })).toEqual([]);
    expect(await ids({ service: "checkout", minDuration: "1us", maxDuration: "1.5h" })).toContain(checkout.traceId);
  });

  it("searches the given start and end in µs, and lookback when start is absent", async () => {
    const startUs = Math.min(...checkout.spans.map((s) => s.start));
    const window = { service: "frontend", start: String(startUs - 1_000_000), end: String(startUs + 60_000_000) };
    expect(await ids(window)).toContain(checkout.traceId);
    expect(await ids({ ...window, end: String(startUs - 500_000) })).toEqual([]);
    expect(await ids({ service: "frontend", lookback: "2d" })).toContain(checkout.traceId);
    expect(await ids({ service: "frontend", lookback: "custom" })).toContain(checkout.traceId);
    expect(await ids({ service: "frontend", end: String(startUs - 500_000), lookback: "1h" })).toEqual([]);
  });

  it("fetches several traces by repeated traceID, listing the ones not found in errors", async () => {
    const unknown = randomTraceId();
    const body = await get(`/traces?${qs({ traceID: [checkout.traceId, unknown] })}`, Search);
    expect(body.data.map((t) => t.traceID)).toEqual([checkout.traceId]);
    expect(body.errors).toEqual([{ msg: "trace not found", traceID: unknown }]);
  });

  it("answers 400 naming the bad parameter", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^parameter 'service' is required$/],
      [{ service: "checkout", minDuration: "soon" }, /^unable to parse param 'minDuration': invalid duration "soon"/],
      [
        { service: "checkout", minDuration: "2s", maxDuration: "1s" },
        /^'maxDuration' should be greater than 'minDuration'$/,
      ],
      [{ service: "checkout", tags: "{not json" }, /^unable to parse param 'tags': cannot unmarshal JSON/],
      [{ service: "checkout", tags: '{"a":{"b":1}}' }, /^unable to parse param 'tags': the value of "a"/],
      [{ service: "checkout", tag: "no-colon" }, /^unable to parse param 'tag': malformed tag/],
      [{ service: "checkout", start: "yesterday" }, /^unable to parse param 'start'/],
      [{ service: "checkout", limit: "-1" }, /^unable to parse param 'limit'/],
      [{ service: "checkout", lookback: "forever" }, /^unable to parse param 'lookback'/],
      [{ traceID: "xyz" }, /^unable to parse param 'traceID'/],
    ];
    for (const [params, message] of cases) {
      const { status, body } = await getError(`/traces?${qs(params)}`);
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.errors[0]?.code).toBe(400);
      expect(body.errors[0]?.msg, JSON.stringify(params)).toMatch(message);
    }
  });
});

describe("GET /jaeger/api/dependencies", () => {
  const Deps = envelope(
    z.array(z.object({ parent: z.string(), child: z.string(), callCount: z.number().int() }).strict()),
  );

  it("links services by client → server span pairs over endTs − lookback (ms)", async () => {
    const endTs = String(Date.now() + 1000);
    const body = await get(`/dependencies?${qs({ endTs, lookback: "3600000" })}`, Deps);
    expect(body.data).toEqual(
      expect.arrayContaining([
        { parent: "frontend", child: "checkout", callCount: 1 },
        { parent: "checkout", child: "payments", callCount: 1 },
      ]),
    );
    const payments = await get(`/dependencies?${qs({ endTs, lookback: "3600000", service: "payments" })}`, Deps);
    expect(payments.data).toEqual([{ parent: "checkout", child: "payments", callCount: 1 }]);
    const before = Math.min(...checkout.spans.map((s) => s.start)) / 1000 - 1000;
    expect(
      (await get(`/dependencies?${qs({ endTs: String(Math.floor(before)), lookback: "60000" })}`, Deps)).data,
    ).toEqual([]);
  });

  it("answers 400 for an endTs that is not ms since the epoch", async () => {
    const { status, body } = await getError("/dependencies?endTs=now");
    expect(status).toBe(400);
    expect(body.errors[0]?.msg).toMatch(/^unable to parse param 'endTs'/);
  });
});

describe("hostile strings and unknown paths", () => {
  const hostileService = `<script>window.__pwned=1</script>"'&`;
  const hostileName = "<img src=x onerror=alert(1)>";

  it("passes markup in service names, span names and attributes through as plain JSON data", async () => {
    const traceId = randomTraceId();
    const spanId = randomSpanId();
    const res = await postOtlpJson(
      server.otlpHttpUrl,
      otlpJsonRequest(hostileService, [
        otlpJsonSpan({
          traceId,
          spanId,
          parentSpanId: randomSpanId(),
          name: hostileName,
          attributes: [
            { key: "<b>key</b>", value: { stringValue: "</script><script>alert(2)</script>" } },
            { key: "__proto__", value: { stringValue: "polluted?" } },
          ],
        }),
      ]),
    );
    expect(res.status).toBe(200);
    expect((await get("/services", envelope(z.array(z.string())))).data).toContain(hostileService);
    const ops = await get(`/services/${encodeURIComponent(hostileService)}/operations`, envelope(z.array(z.string())));
    expect(ops.data).toEqual([hostileName]);
    const [trace] = (await get(`/traces/${traceId}`, envelope(z.array(Trace)))).data;
    const span = trace?.spans[0];
    expect(span?.operationName).toBe(hostileName);
    expect(trace?.processes[span?.processID ?? ""]?.serviceName).toBe(hostileService);
    expect(span?.tags).toEqual(
      expect.arrayContaining([
        { key: "<b>key</b>", type: "string", value: "</script><script>alert(2)</script>" },
        { key: "__proto__", type: "string", value: "polluted?" },
      ]),
    );
    // Its parent was never sent: Jaeger warns about such spans rather than hiding them.
    expect(span?.warnings).toEqual([expect.stringMatching(/^invalid parent span IDs=[0-9a-f]{16}/)]);
    const found = await get(
      `/traces?${qs({ service: hostileService, operation: hostileName })}`,
      envelope(z.array(Trace)),
    );
    expect(found.data.map((t) => t.traceID)).toEqual([traceId]);
  });

  it("answers unknown paths with a 404 and broken %-encoding with a 400, in Jaeger's envelope", async () => {
    const { status, body } = await getError("/archive/abc");
    expect(status).toBe(404);
    expect(body.errors[0]?.code).toBe(404);
    expect((await getError("/services/%E0%A4%A/operations")).status).toBe(400);
  });
});
