import { describe, expect, it } from "vitest";
import { connectHost, ownOtlpTracesUrl } from "./start-demo.js";

describe("the demo's way back to this process", () => {
  it("reaches a wildcard bind over loopback, and brackets IPv6 literals", () => {
    expect(connectHost("0.0.0.0")).toBe("127.0.0.1");
    expect(connectHost("::")).toBe("[::1]");
    expect(connectHost("127.0.0.2")).toBe("127.0.0.2");
    expect(connectHost("::1")).toBe("[::1]");
  });

  it("sends spans to the OTLP/HTTP port, or to the console port when OTLP/HTTP is off", () => {
    expect(ownOtlpTracesUrl("127.0.0.1", { console: 8080, otlpHttp: 4318 })).toBe("http://127.0.0.1:4318/v1/traces");
    expect(ownOtlpTracesUrl("127.0.0.1", { console: 8080, otlpHttp: null })).toBe("http://127.0.0.1:8080/v1/traces");
    expect(ownOtlpTracesUrl("0.0.0.0", { console: null, otlpHttp: null })).toBeNull();
  });
});
