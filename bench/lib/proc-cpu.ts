/**
 * CPU time of another process, from /proc (Linux): what a receiver spent on a push whatever else the machine ran.
 * On a shared, loaded machine wall-clock rates swing with the load; samples per CPU-second are a steadier
 * figure of the work each receiver does (though caches and frequency still move it somewhat).
 */
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_S = 100; // USER_HZ: 100 on every Linux architecture Node runs on

/** utime + stime of the process (all its threads), seconds; null when it is gone or /proc is unavailable. */
export function processCpuSeconds(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name: state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_S : null;
}

/** The pid of a process whose command line has `argument` as one of its arguments; null when none does. */
export function findPidByArgument(argument: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(argument)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

/** Adds up a process's CPU seconds over the calls it wraps; NaN once the process cannot be read. */
export class CpuMeter {
  seconds = 0;

  constructor(readonly pid: number | null) {}

  async measure<T>(work: () => Promise<T>): Promise<T> {
    const before = this.pid === null ? null : processCpuSeconds(this.pid);
    const result = await work();
    const after = this.pid === null ? null : processCpuSeconds(this.pid);
    this.seconds += before === null || after === null ? Number.NaN : after - before;
    return result;
  }
}

export interface QuietOptions {
  /** Length of the window whose CPU use is judged, ms. */
  windowMs?: number;
  /** The processes together may use at most this much CPU in a window to count as quiet, seconds. */
  maxCpuSeconds?: number;
  /** Give up after this long, ms; the answer then says `quiet: false`. */
  timeoutMs?: number;
}

export interface QuietResult {
  quiet: boolean;
  waitedMs: number;
}

/**
 * Waits until the processes together used at most `maxCpuSeconds` of CPU over one `windowMs` window: what a
 * server still does after answering (its garbage collector, a database flush, a compaction) finishes before the
 * next timed phase begins, so one receiver's leftover work is not charged to the other. Gives up after
 * `timeoutMs` and says so. `readCpu` and `sleep` are parameters so the rule can be tested without real processes.
 */
export async function waitForQuiet(
  readCpu: () => number | null,
  options: QuietOptions = {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => number = () => performance.now(),
): Promise<QuietResult> {
  const windowMs = options.windowMs ?? 200;
  // /proc counts in 10 ms ticks: two ticks in a 200 ms window is at most ~10% of one core.
  const maxCpuSeconds = options.maxCpuSeconds ?? 0.02;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const started = now();
  let before = readCpu();
  for (;;) {
    await sleep(windowMs);
    const after = readCpu();
    const waitedMs = now() - started;
    // A process that cannot be read (gone, or no /proc) has nothing left to finish.
    if (before === null || after === null || after - before <= maxCpuSeconds) return { quiet: true, waitedMs };
    if (waitedMs >= timeoutMs) return { quiet: false, waitedMs };
    before = after;
  }
}

/** The CPU seconds of several processes together; null when any cannot be read. */
export function processesCpuSeconds(pids: readonly (number | null)[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const s = pid === null ? null : processCpuSeconds(pid);
    if (s === null) return null;
    total += s;
  }
  return total;
}
