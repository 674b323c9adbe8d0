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
