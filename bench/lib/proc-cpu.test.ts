import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { processCpuSeconds, processesCpuSeconds, waitForQuiet } from "./proc-cpu.js";

/** A fake process whose CPU counter advances by `perWindow[i]` seconds in window i, and a clock that sleeps exactly. */
function fake(perWindow: readonly number[]) {
  let clock = 0;
  let cpu = 0;
  let window = 0;
  return {
    readCpu: () => cpu,
    sleep: async (ms: number) => {
      clock += ms;
      cpu += perWindow[window++] ?? 0;
    },
    now: () => clock,
  };
}

describe("waitForQuiet", () => {
  it("returns after the first window when the processes are idle", async () => {
    const f = fake([0.01]);
    expect(await waitForQuiet(f.readCpu, { windowMs: 200 }, f.sleep, f.now)).toEqual({ quiet: true, waitedMs: 200 });
  });

  it("waits out a busy stretch and returns at the first quiet window", async () => {
    const f = fake([0.19, 0.15, 0.03, 0.0, 0.0]);
    expect(await waitForQuiet(f.readCpu, { windowMs: 200, maxCpuSeconds: 0.02 }, f.sleep, f.now)).toEqual({
      quiet: true,
      waitedMs: 800,
    });
  });

  it("gives up at the timeout and says the machine was not quiet", async () => {
    const f = fake(Array.from({ length: 100 }, () => 0.1));
    expect(await waitForQuiet(f.readCpu, { windowMs: 100, timeoutMs: 1_000 }, f.sleep, f.now)).toEqual({
      quiet: false,
      waitedMs: 1_000,
    });
  });

  it("counts a process that cannot be read as having nothing left to do", async () => {
    const f = fake([0.5, 0.5]);
    let reads = 0;
    const readCpu = () => (++reads > 1 ? null : f.readCpu());
    expect(await waitForQuiet(readCpu, { windowMs: 200 }, f.sleep, f.now)).toEqual({ quiet: true, waitedMs: 200 });
  });
});

describe("processesCpuSeconds", () => {
  it("adds the CPU of live processes and is null when one of them is gone", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      const pid = child.pid as number;
      const own = processCpuSeconds(process.pid);
      expect(own).not.toBeNull();
      const both = processesCpuSeconds([process.pid, pid]);
      expect(both).not.toBeNull();
      expect(both as number).toBeGreaterThanOrEqual(own as number);
      expect(processesCpuSeconds([process.pid, null])).toBeNull();
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      expect(processesCpuSeconds([process.pid, pid])).toBeNull();
    } finally {
      child.kill("SIGKILL");
    }
  });
});
