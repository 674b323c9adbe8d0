/** The `meshscope` command line: --help, and exit code 2 with a message naming a bad flag or variable. */
import { describe, expect, it } from "vitest";
import { runCli } from "./test-support/child-server.js";

describe("meshscope CLI", () => {
  it("prints every flag with its environment variable and default for --help, and exits 0", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: meshscope \[flags\]/);
    expect(stdout).toMatch(/--otlp-grpc-port <value>\s+MESHSCOPE_OTLP_GRPC_PORT\s+.*\(default: 4317\)/);
    expect(stdout).toMatch(/--retention <value>\s+MESHSCOPE_RETENTION\s+.*\(default: 7d\)/);
  });

  it("exits 2 naming the flag that holds an invalid value", async () => {
    const { code, stderr } = await runCli(["--port", "http"]);
    expect(code).toBe(2);
    expect(stderr).toBe('meshscope: --port: expected a port 0-65535 (0 disables) or "ephemeral", got "http"\n');
  });

  it("exits 2 naming the environment variable that holds an invalid value", async () => {
    const { code, stderr } = await runCli([], { MESHSCOPE_SCRAPE_INTERVAL: "often" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^meshscope: MESHSCOPE_SCRAPE_INTERVAL: expected a duration/);
  });
});
