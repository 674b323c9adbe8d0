import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "./parse-text.js";

const istio = readFileSync(new URL("./fixtures/istio-bookinfo.prom", import.meta.url), "utf8");

describe("parsePrometheusText on Istio exposition (istio.md §1.6)", () => {
  const parsed = parsePrometheusText(istio);

  it("reads every sample line of the Bookinfo scrape without errors", () => {
    expect(parsed.errors).toEqual([]);
    const names = parsed.samples.map((s) => s.name);
    expect(names.filter((n) => n === "istio_requests_total")).toHaveLength(4);
    expect(names.filter((n) => n === "istio_request_duration_milliseconds_bucket")).toHaveLength(20);
    expect(names).toContain("istio_tcp_connections_closed_total");
  });

  it("keys # TYPE by family name, so histogram series can be told from counters", () => {
    expect(parsed.types.istio_requests_total).toBe("counter");
    expect(parsed.types.istio_request_duration_milliseconds).toBe("histogram");
    expect(parsed.types.istio_tcp_sent_bytes_total).toBe("counter");
  });

  it("parses Istio labels by name, including empty values and the client-side security policy", () => {
    const source = parsed.samples.find(
      (s) => s.name === "istio_requests_total" && s.labels.reporter === "source" && s.labels.response_flags === "UO",
    );
    expect(source?.value).toBe(19);
    expect(source?.timestampMs).toBeNull();
    expect(source?.labels.connection_security_policy).toBe("unknown");
    expect(source?.labels.destination_service).toBe("httpbin.default.svc.cluster.local");
    expect(Object.keys(source?.labels ?? {})).toHaveLength(24);
  });

  it('drops grpc_response_status="" as Prometheus does, since an empty label value means no label', () => {
    const http = parsed.samples.filter((s) => s.name === "istio_requests_total");
    expect(http.every((s) => !("grpc_response_status" in s.labels))).toBe(true);
  });

  it("keeps histogram buckets per le string, +Inf included, in exposition order", () => {
    const buckets = parsed.samples.filter((s) => s.name === "istio_request_duration_milliseconds_bucket");
    expect(buckets.map((b) => b.labels.le).slice(0, 3)).toEqual(["0.5", "1", "5"]);
    expect(buckets.at(-1)?.labels.le).toBe("+Inf");
    expect(buckets.at(-1)?.value).toBe(1284);
    const sum = parsed.samples.find((s) => s.name === "istio_request_duration_milliseconds_sum");
    expect(sum?.value).toBe(9873.25);
  });

  it("leaves out the TCP labels Envoy does not emit instead of inventing them", () => {
    const tcp = parsed.samples.find((s) => s.name === "istio_tcp_sent_bytes_total");
    expect(tcp?.value).toBe(2793);
    expect(tcp?.labels.response_code).toBeUndefined();
    expect(tcp?.labels.request_protocol).toBe("tcp");
  });
});

describe("parsePrometheusText syntax", () => {
  it('unescapes \\\\, \\" and \\n in label values and keeps other backslash pairs verbatim', () => {
    const { samples, errors } = parsePrometheusText(
      'm{a="x\\\\y",b="say \\"hi\\"",c="l1\\nl2",d="C:\\\\dir",e="\\t"} 1\n',
    );
    expect(errors).toEqual([]);
    expect(samples[0]?.labels).toEqual({ a: "x\\y", b: 'say "hi"', c: "l1\nl2", d: "C:\\dir", e: "\\t" });
  });

  it("reads NaN, +Inf, -Inf, exponents and negative timestamps", () => {
    const { samples, errors } = parsePrometheusText(
      "a NaN\nb +Inf\nc -Inf\nd 1.5e+09 1700000000123\ne -0.25 -5\nf Inf\ng .5\n",
    );
    expect(errors).toEqual([]);
    expect(samples.map((s) => s.value)).toEqual([Number.NaN, Infinity, -Infinity, 1.5e9, -0.25, Infinity, 0.5]);
    expect(samples.map((s) => s.timestampMs)).toEqual([null, null, null, 1700000000123, -5, null, null]);
  });

  it("accepts blanks around tokens, tabs, a trailing comma, empty braces and CRLF line ends", () => {
    const text = '  m1 { a = "1" , b="2", }\t7\t \r\nm2{} 8\r\nm3 9 \n';
    const { samples, errors } = parsePrometheusText(text);
    expect(errors).toEqual([]);
    expect(samples.map((s) => [s.name, { ...s.labels }, s.value])).toEqual([
      ["m1", { a: "1", b: "2" }, 7],
      ["m2", {}, 8],
      ["m3", {}, 9],
    ]);
  });

  it("unescapes HELP text and ignores other comments, OpenMetrics # EOF included", () => {
    const text = "# HELP m Line one\\nback\\\\slash \\x\n# random comment\n# TYPE m gauge\nm 1\n# EOF\n";
    const { help, types, samples, errors } = parsePrometheusText(text);
    expect(errors).toEqual([]);
    expect(help.m).toBe("Line one\nback\\slash \\x");
    expect(types.m).toBe("gauge");
    expect(samples).toHaveLength(1);
  });

  it("reports a malformed line with its number and reason, and keeps the rest of the scrape", () => {
    const text = [
      "# TYPE ok counter",
      "ok 1",
      'broken{a="unterminated} 2',
      "ok2 not-a-number",
      "9starts_with_digit 1",
      'dup{a="1",a="2"} 1',
      "ok3 3 12.5",
      "ok4 4 5 extra",
      "# TYPE weird countr",
      "last 5",
    ].join("\n");
    const { samples, errors } = parsePrometheusText(text);
    expect(samples.map((s) => s.name)).toEqual(["ok", "last"]);
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(errors[0]?.message).toMatch(/unterminated value of label "a"/);
    expect(errors[1]?.message).toMatch(/invalid value "not-a-number"/);
    expect(errors[3]?.message).toMatch(/duplicate label "a"/);
    expect(errors[4]?.message).toMatch(/invalid timestamp/);
    expect(errors[6]?.message).toMatch(/unknown metric type "countr"/);
  });

  it("rejects a histogram bucket without a parseable le, since bounds are read from le", () => {
    const text =
      '# TYPE h histogram\nh_bucket{le="0.5"} 1\nh_bucket{x="1"} 2\nh_bucket{le="abc"} 3\nh_sum 1\nh_count 1\n';
    const { samples, errors } = parsePrometheusText(text);
    expect(samples.map((s) => s.name)).toEqual(["h_bucket", "h_sum", "h_count"]);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it("still rejects a duplicate label name when the first value was empty", () => {
    const { errors } = parsePrometheusText('m{a="",a="x"} 1\n');
    expect(errors[0]?.message).toMatch(/duplicate label "a"/);
  });

  it("stores label names like __proto__ as data, not as the object's prototype", () => {
    const { samples } = parsePrometheusText('m{__proto__="x",constructor="y"} 1\n');
    const labels = samples[0]?.labels ?? {};
    expect(Object.keys(labels)).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(labels, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(labels)).toBeNull();
  });

  it("stops at maxSeries, keeps what came before and says so", () => {
    const text = Array.from({ length: 10 }, (_, i) => `m{i="${i}"} ${i}`).join("\n");
    const result = parsePrometheusText(text, { maxSeries: 4 });
    expect(result.samples).toHaveLength(4);
    expect(result.truncated).toBe(true);
    expect(result.errors).toEqual([
      { line: 5, message: "series limit of 4 reached; the rest of the scrape is ignored" },
    ]);
  });

  it("lists at most maxErrors errors and summarises the rest in one entry", () => {
    const text = Array.from({ length: 50 }, () => "bad line here").join("\n");
    const { errors } = parsePrometheusText(text, { maxErrors: 3 });
    expect(errors).toHaveLength(4);
    expect(errors[3]).toEqual({ line: 4, message: "47 more malformed lines from here on, not listed" });
  });

  it("never throws on arbitrary text", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'ab_:{}=",\\ \t\n#01.eE+-InfNa\r\u00e9\ud83d';
    for (let round = 0; round < 500; round++) {
      let s = "";
      const len = Math.floor(rand() * 200);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect(() => parsePrometheusText(s)).not.toThrow();
    }
  }, 20_000);
});
