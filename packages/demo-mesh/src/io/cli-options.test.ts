import { describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "./cli-options.js";

function run(argv: string[]) {
  const command = parseDemoArgs(argv);
  if (command.kind !== "run") throw new Error("expected a run command");
  return command.options;
}

describe("parseDemoArgs", () => {
  it("runs Bookinfo at 20 requests/s with metrics on Envoy's port when given no flags", () => {
    expect(run([])).toEqual({
      synthetic: null,
      rps: 20,
      seed: 1,
      loggedInShare: 0.3,
      sampleRate: 1,
      host: "127.0.0.1",
      metricsPort: 15090,
      otlpTracesUrl: null,
      remoteWriteUrl: null,
      remoteWriteIntervalMs: 15_000,
      meshConfigDir: null,
      tickMs: 100,
    });
  });

  it("reads the synthetic benchmark command line of the issue", () => {
    const options = run([
      "--services=1000",
      "--namespaces",
      "20",
      "--rps",
      "5000",
      "--seed",
      "7",
      "--sample-rate",
      "0.01",
      "--otlp",
      "http://127.0.0.1:4318/v1/traces",
      "--remote-write",
      "http://127.0.0.1:8080/api/v1/write",
      "--mesh-config",
      "./mesh-config",
      "--metrics-port",
      "0",
    ]);
    expect(options).toMatchObject({
      synthetic: { services: 1000, namespaces: 20 },
      rps: 5000,
      seed: 7,
      sampleRate: 0.01,
      otlpTracesUrl: "http://127.0.0.1:4318/v1/traces",
      remoteWriteUrl: "http://127.0.0.1:8080/api/v1/write",
      meshConfigDir: "./mesh-config",
      metricsPort: 0,
    });
  });

  it("answers --help and -h with the help command", () => {
    expect(parseDemoArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseDemoArgs(["-h", "--rps", "3"])).toEqual({ kind: "help" });
  });

  it.each([
    [["--rps", "fast"], '--rps must be a positive number, got "fast"'],
    [["--rps", "0"], '--rps must be a positive number, got "0"'],
    [["--services", "2.5"], '--services must be a positive integer, got "2.5"'],
    [["--sample-rate", "1.5"], '--sample-rate must be a share between 0 and 1, got "1.5"'],
    [["--metrics-port", "70000"], '--metrics-port must be a port number 0..65535, got "70000"'],
    [["--otlp", "127.0.0.1:4318"], '--otlp must be an http:// or https:// URL, got "127.0.0.1:4318"'],
    [["--namespaces", "3"], "--namespaces needs --services (Bookinfo has one namespace)"],
    [["--services", "2", "--namespaces", "3"], "--namespaces (3) cannot exceed --services (2)"],
    [["--no-metrics", "--metrics-port", "1"], "--no-metrics and --metrics-port contradict each other"],
    [["--rsp", "5"], "Unknown option '--rsp'"],
    [["--rps"], "Option '--rps <value>' argument missing"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("rejects %j with a message naming the flag", (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
