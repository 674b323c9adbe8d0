/**
 * `npm run bench:fuzz -- --cases 100000` or `npm run bench:fuzz -- --minutes 10`: the decoder fuzz properties of
 * the `*.fuzz.test.ts` files (the same targets, from the shared fuzz-arbitraries modules), with random seeds and
 * many more cases than CI runs. Per target it prints the cases run, the failures with the seed and path that
 * replay each one, and the time taken. A failure does not stop the run; the exit code is 1 when any target failed.
 *
 * Options (each also as FUZZ_BENCH_<NAME> in the environment, since npm may keep arguments to itself):
 *   --cases N      cases per target (default 10000 when --minutes is not given)
 *   --minutes N    total time budget, shared round-robin by the targets (with --cases: whichever ends first)
 *   --only TEXT    only targets whose name contains TEXT
 *   --seed N       replay: run the targets with this one seed (and --path) instead of random seeds
 *   --path P       replay: fast-check's counterexample path printed with a failure
 */
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { meshYamlTargets } from "../packages/mesh-config/src/fuzz-arbitraries.test-support.js";
import type { FuzzOutcome, FuzzTarget } from "../packages/wire/src/testing/fuzz-arbitraries.js";
import {
  otlpMetricsTargets,
  prepareMetricSeeds,
  prometheusTextTargets,
  remoteWriteTargets,
} from "../packages/wire/src/testing/fuzz-arbitraries-metrics.js";
import {
  otlpTracesJsonTargets,
  otlpTracesProtobufTargets,
  zipkinTargets,
} from "../packages/wire/src/testing/fuzz-arbitraries-traces.js";
import { fmtFixed, fmtInt, table } from "./lib/report.js";

const env = (name: string) => process.env[`FUZZ_BENCH_${name.toUpperCase()}`];
const { values: opts } = parseArgs({
  options: {
    cases: { type: "string", default: env("cases") },
    minutes: { type: "string", default: env("minutes") },
    only: { type: "string", default: env("only") },
    seed: { type: "string", default: env("seed") },
    path: { type: "string", default: env("path") },
  },
});

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${text}`);
  return n;
}

const minutes = positive("minutes", opts.minutes);
const casesPerTarget = positive("cases", opts.cases) ?? (minutes === undefined ? 10_000 : Number.POSITIVE_INFINITY);
const replaySeed = opts.seed === undefined ? undefined : Number(opts.seed);
const deadline = minutes === undefined ? Number.POSITIVE_INFINITY : Date.now() + minutes * 60_000;

/** The test file that runs each decoder's targets in CI: where a failure is replayed with FUZZ_SEED/FUZZ_PATH. */
const TEST_FILES: ReadonlyArray<[prefix: string, file: string]> = [
  ["otlp-traces-protobuf", "packages/wire/src/otlp/decode-protobuf.fuzz.test.ts"],
  ["otlp-traces-json", "packages/wire/src/otlp/decode-json.fuzz.test.ts"],
  ["zipkin-v2-json", "packages/wire/src/zipkin/decode-zipkin.fuzz.test.ts"],
  ["otlp-metrics-protobuf", "packages/wire/src/otlp-metrics/decode-protobuf.fuzz.test.ts"],
  ["otlp-metrics-json", "packages/wire/src/otlp-metrics/decode-json.fuzz.test.ts"],
  ["prometheus-text", "packages/wire/src/prometheus/parse-text.fuzz.test.ts"],
  ["remote-write", "packages/wire/src/remote-write/decode-remote-write.fuzz.test.ts"],
  ["mesh-yaml", "packages/mesh-config/src/parse-yaml.fuzz.test.ts"],
];

function replayCommand(target: FuzzTarget, outcome: FuzzOutcome): string {
  const file = TEST_FILES.find(([prefix]) => target.name.startsWith(`${prefix}:`))?.[1] ?? "<its .fuzz.test.ts>";
  const pathVar = outcome.counterexamplePath === null ? "" : ` FUZZ_PATH=${outcome.counterexamplePath}`;
  return `FUZZ_SEED=${outcome.seed}${pathVar} npx vitest run ${file} -t ${JSON.stringify(target.name)}`;
}

interface Tally {
  target: FuzzTarget;
  cases: number;
  elapsedMs: number;
  failures: FuzzOutcome[];
}

const MAX_FAILURES_PER_TARGET = 3;

async function main(): Promise<void> {
  await prepareMetricSeeds();
  const all = [
    ...otlpTracesProtobufTargets(),
    ...otlpTracesJsonTargets(),
    ...zipkinTargets(),
    ...otlpMetricsTargets(),
    ...prometheusTextTargets(),
    ...remoteWriteTargets(),
    ...meshYamlTargets(),
  ];
  const targets = opts.only === undefined ? all : all.filter((t) => t.name.includes(opts.only ?? ""));
  if (targets.length === 0) throw new Error(`no target name contains ${JSON.stringify(opts.only)}`);
  const tallies: Tally[] = targets.map((target) => ({ target, cases: 0, elapsedMs: 0, failures: [] }));
  const budget = minutes === undefined ? `${fmtInt(casesPerTarget)} cases per target` : `${minutes} min`;
  console.log(
    `fuzzing ${targets.length} targets, ${replaySeed === undefined ? "random seeds" : `seed ${replaySeed}`}, ${budget}`,
  );

  if (replaySeed !== undefined) {
    for (const t of tallies) {
      const outcome = await t.target.check({
        numRuns: Number.isFinite(casesPerTarget) ? casesPerTarget : t.target.ciRuns,
        seed: replaySeed,
        ...(opts.path === undefined ? {} : { path: opts.path }),
      });
      record(t, outcome);
    }
  } else {
    // Round-robin in chunks of each target's CI run count (about a second each), so a time budget is shared.
    let active = tallies.filter((t) => t.cases < casesPerTarget);
    while (active.length > 0 && Date.now() < deadline) {
      for (const t of active) {
        if (Date.now() >= deadline) break;
        const numRuns = Math.min(t.target.ciRuns * 4, casesPerTarget - t.cases);
        record(t, await t.target.check({ numRuns, seed: randomInt(2 ** 31 - 1) }));
      }
      active = tallies.filter((t) => t.cases < casesPerTarget && t.failures.length < MAX_FAILURES_PER_TARGET);
    }
  }

  console.log(
    `\n${table(
      ["target", "cases", "failures", "time s", "cases/s"],
      tallies.map((t) => [
        t.target.name,
        fmtInt(t.cases),
        String(t.failures.length),
        fmtFixed(t.elapsedMs / 1000, 1),
        fmtInt(t.cases / (t.elapsedMs / 1000)),
      ]),
    )}`,
  );
  const failed = tallies.filter((t) => t.failures.length > 0);
  for (const t of failed) {
    for (const f of t.failures) {
      console.log(`\nFAILED ${t.target.name} (seed ${f.seed}, path ${f.counterexamplePath ?? "n/a"})`);
      console.log(`  replay: ${replayCommand(t.target, f)}`);
      console.log(
        f.report
          .split("\n")
          .slice(0, 12)
          .map((l) => `  ${l}`)
          .join("\n"),
      );
    }
  }
  const total = tallies.reduce((s, t) => s + t.cases, 0);
  console.log(`\n${fmtInt(total)} cases, ${failed.length} of ${tallies.length} targets failed`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

function record(t: Tally, outcome: FuzzOutcome): void {
  // A failed run stops at its counterexample: count the cases it got through, not the ones it was given.
  t.cases += outcome.numRuns;
  t.elapsedMs += outcome.elapsedMs;
  if (outcome.failed) t.failures.push(outcome);
}

await main();
