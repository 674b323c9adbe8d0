import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parsePrometheusText } from "@meshscope/wire";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startCli(args: string[]): Cli {
  const child = spawn(tsx, ["--conditions=source", "src/cli.ts", ...args], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("meshscope-demo command line", () => {
  let cli: Cli | undefined;
  afterEach(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill("SIGKILL");
      await cli.exited;
    }
    cli = undefined;
  });

  it("prints the options for --help and exits 0", async () => {
    cli = startCli(["--help"]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain("--services N");
    expect(cli.stdout()).toContain("--remote-write URL");
  });

  it("exits 2 with the reason on stderr for a bad flag value", async () => {
    cli = startCli(["--sample-rate", "2"]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--sample-rate must be a share between 0 and 1, got "2"');
  });

  it("serves Bookinfo's metrics and stops cleanly on SIGTERM", async () => {
    cli = startCli(["--metrics-port", "0", "--rps", "50", "--seed", "3"]);
    const running = cli;
    const url = await waitFor(() => running.stdout().match(/metrics:\s+(http:\/\/\S+)/)?.[1]);
    const samples = await waitFor(async () => {
      const parsed = parsePrometheusText(await (await fetch(url)).text());
      return parsed.samples.some((s) => s.name === "istio_requests_total") ? parsed.samples : undefined;
    });
    expect(samples.some((s) => s.labels.destination_workload === "productpage-v1")).toBe(true);
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    expect(running.stderr()).toContain('"msg":"stopping demo mesh"');
  });
});
