import type { ApiSpan } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { span } from "../test-spans.test-support";
import { fromJaegerJson } from "./jaeger-json";
import { TraceFileError } from "./json-read";
import { fromOtlpJson, toOtlpJson } from "./otlp-json";
import { readTraceFile } from "./read-trace-file";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const START = 1_764_150_000_123_456; // µs since the epoch: its nanoseconds do not fit a JS number

const spans: ApiSpan[] = [
  span("b7ad6b7169203331", null, START, 1500, {
    service: "frontend",
    namespace: "shop",
    kind: "server",
    name: "GET /cart",
    resource: { "service.name": "frontend", "service.namespace": "shop", "host.cores": 8 },
    scope: { name: "io.opentelemetry.http", version: "1.2.0" },
    attributes: {
      "http.status_code": 200,
      ratio: 0.25,
      ok: true,
      nothing: null,
      big: "9223372036854775807",
      tags: ["a", 1, false],
      nested: { inner: { deep: "x" } },
    },
    events: [{ time: START + 10, name: "cache miss", attributes: { key: "k1" } }],
    links: [{ traceId: "11111111111111111111111111111111", spanId: "2222222222222222", attributes: { why: "batch" } }],
  }),
  span("00f067aa0ba902b7", "b7ad6b7169203331", START + 100, 900, {
    service: "cart",
    kind: "client",
    name: "<img src=x onerror=alert(1)>",
    resource: { "service.name": "cart" },
    status: { code: "error", message: "upstream reset" },
  }),
];

describe("OTLP JSON conversion", () => {
  it("writes valid OTLP JSON: hex ids, unix-nano strings, kind and status numbers, typed AnyValues", () => {
    const otlp = toOtlpJson(TRACE, spans);
    expect(otlp.resourceSpans).toHaveLength(2);
    const first = otlp.resourceSpans[0]?.scopeSpans[0];
    expect(first?.scope).toEqual({ name: "io.opentelemetry.http", version: "1.2.0" });
    const root = first?.spans[0];
    expect(root).toMatchObject({ traceId: TRACE, spanId: "b7ad6b7169203331", kind: 2, status: { code: 0 } });
    expect(root?.parentSpanId).toBeUndefined();
    expect(root?.startTimeUnixNano).toBe("1764150000123456000");
    expect(root?.endTimeUnixNano).toBe("1764150000124956000");
    const attr = (key: string) => root?.attributes.find((a) => a.key === key)?.value;
    expect(attr("http.status_code")).toEqual({ intValue: "200" });
    expect(attr("ratio")).toEqual({ doubleValue: 0.25 });
    expect(attr("ok")).toEqual({ boolValue: true });
    expect(attr("tags")).toEqual({
      arrayValue: { values: [{ stringValue: "a" }, { intValue: "1" }, { boolValue: false }] },
    });
    expect(attr("nested")).toEqual({
      kvlistValue: {
        values: [{ key: "inner", value: { kvlistValue: { values: [{ key: "deep", value: { stringValue: "x" } }] } } }],
      },
    });
    const child = otlp.resourceSpans[1]?.scopeSpans[0]?.spans[0];
    expect(child).toMatchObject({
      kind: 3,
      status: { code: 2, message: "upstream reset" },
      parentSpanId: "b7ad6b7169203331",
    });
  });

  it("reads back exactly the spans it wrote", () => {
    const parsed = fromOtlpJson(JSON.parse(JSON.stringify(toOtlpJson(TRACE, spans))));
    expect(parsed).toEqual([{ traceId: TRACE, spans }]);
  });

  it("names the field that is wrong in a bad file", () => {
    const otlp = toOtlpJson(TRACE, spans);
    const bad = JSON.parse(JSON.stringify(otlp));
    bad.resourceSpans[0].scopeSpans[0].spans[0].spanId = "not-hex";
    expect(() => fromOtlpJson(bad)).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.spanId must be 16 hex/);
  });

  it("accepts enum names and numbers for times, as other encoders write them", () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "s" } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  spanId: "0000000000000001",
                  name: "x",
                  kind: "SPAN_KIND_CONSUMER",
                  startTimeUnixNano: 5000,
                  endTimeUnixNano: 9000,
                  status: { code: "STATUS_CODE_OK" },
                },
              ],
            },
          ],
        },
      ],
    };
    const [trace] = fromOtlpJson(body);
    expect(trace?.spans[0]).toMatchObject({
      kind: "consumer",
      start: 5,
      duration: 4,
      status: { code: "ok" },
      scope: null,
    });
  });
});

describe("Jaeger JSON conversion", () => {
  const jaeger = {
    data: [
      {
        traceID: "8448eb211c80319c",
        spans: [
          {
            traceID: "8448eb211c80319c",
            spanID: "0000000000000001",
            operationName: "GET /",
            references: [],
            startTime: START,
            duration: 100,
            tags: [
              { key: "span.kind", type: "string", value: "server" },
              { key: "http.status_code", type: "int64", value: 503 },
              { key: "error", type: "bool", value: true },
              { key: "otel.scope.name", type: "string", value: "lib" },
            ],
            logs: [
              {
                timestamp: START + 5,
                fields: [
                  { key: "event", type: "string", value: "retry" },
                  { key: "n", type: "int64", value: 2 },
                ],
              },
            ],
            processID: "p1",
          },
          {
            traceID: "8448eb211c80319c",
            spanID: "0000000000000002",
            operationName: "query",
            references: [
              { refType: "CHILD_OF", traceID: "8448eb211c80319c", spanID: "0000000000000001" },
              { refType: "FOLLOWS_FROM", traceID: "00000000000000000000000000000abc", spanID: "0000000000000009" },
            ],
            startTime: START + 10,
            duration: 50,
            tags: [],
            processID: "p2",
          },
        ],
        processes: {
          p1: { serviceName: "web", tags: [{ key: "service.namespace", type: "string", value: "shop" }] },
          p2: { serviceName: "db", tags: [] },
        },
      },
    ],
  };

  it("maps processes, references, kind, error status, scope and logs onto API spans", () => {
    const [trace] = fromJaegerJson(jaeger);
    expect(trace?.traceId).toBe("00000000000000008448eb211c80319c");
    const [root, child] = trace?.spans ?? [];
    expect(root).toMatchObject({
      service: "web",
      namespace: "shop",
      kind: "server",
      status: { code: "error" },
      scope: { name: "lib" },
      attributes: { "http.status_code": 503 },
      events: [{ time: START + 5, name: "retry", attributes: { n: 2 } }],
    });
    expect(root?.resource).toEqual({ "service.namespace": "shop", "service.name": "web" });
    expect(child).toMatchObject({ service: "db", parentSpanId: "0000000000000001" });
    expect(child?.links).toEqual([
      { traceId: "00000000000000000000000000000abc", spanId: "0000000000000009", attributes: {} },
    ]);
  });

  it("survives a round trip through OTLP JSON", () => {
    const [trace] = fromJaegerJson(jaeger);
    if (!trace) throw new Error("no trace");
    const back = fromOtlpJson(JSON.parse(JSON.stringify(toOtlpJson(trace.traceId, trace.spans))));
    expect(back[0]?.spans).toEqual(trace.spans);
  });
});

describe("reading a trace file", () => {
  it("detects the format and merges OTLP requests written one per line", () => {
    const a = JSON.stringify(toOtlpJson(TRACE, spans.slice(0, 1)));
    const b = JSON.stringify(toOtlpJson(TRACE, spans.slice(1)));
    const file = readTraceFile(`${a}\n${b}\n`);
    expect(file.format).toBe("otlp");
    expect(file.traces).toHaveLength(1);
    expect(file.traces[0]?.spans).toHaveLength(2);
  });

  it("refuses a file that is neither format, saying what it expected", () => {
    expect(() => readTraceFile('{"hello": 1}')).toThrow(TraceFileError);
    expect(() => readTraceFile('{"hello": 1}')).toThrow(/resourceSpans/);
    expect(() => readTraceFile("not json")).toThrow(/not valid JSON/);
  });
});
