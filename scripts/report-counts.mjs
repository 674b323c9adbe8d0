#!/usr/bin/env node
// Reads one test-runner JSON report and prints "<passed> <failed> <skipped>" on stdout.
// Exit code 2 means the report is missing or not the shape we expect: test-all.sh then counts the step as failed,
// so a runner that crashed before writing its report can never look like a pass.
//
// Usage: node scripts/report-counts.mjs vitest test-results/vitest.json
//        node scripts/report-counts.mjs playwright e2e/test-results/pw.json
import { readFileSync } from "node:fs";

const [kind, file] = process.argv.slice(2);

/** @param {string} message */
function fail(message) {
  process.stderr.write(`report-counts: ${message}\n`);
  process.exit(2);
}

/**
 * @param {unknown} value
 * @param {string} key
 * @returns {number}
 */
function count(value, key) {
  if (typeof value !== "object" || value === null) fail(`${file}: not a JSON object`);
  const n = /** @type {Record<string, unknown>} */ (value)[key];
  // Absent keys count as 0: older reporters omit e.g. "flaky"; anything else must be a non-negative integer.
  if (n === undefined) return 0;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) fail(`${file}: "${key}" is not a count`);
  return n;
}

if (!kind || !file) fail("usage: report-counts.mjs <vitest|playwright> <file>");

let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (err) {
  fail(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
}

if (kind === "vitest") {
  // Vitest's JSON reporter follows Jest's aggregated-result shape. A file that fails to import has no tests but
  // counts in numFailedTestSuites; report it as one failure so it cannot hide behind "0 failed".
  const passed = count(report, "numPassedTests");
  const failedTests = count(report, "numFailedTests");
  const failedSuites = count(report, "numFailedTestSuites");
  const skipped = count(report, "numPendingTests") + count(report, "numTodoTests");
  const failed = failedTests > 0 ? failedTests : failedSuites > 0 ? 1 : 0;
  process.stdout.write(`${passed} ${failed} ${skipped}\n`);
} else if (kind === "playwright") {
  // Playwright's JSON reporter: stats.expected = passed first time, flaky = passed on retry, unexpected = failed.
  const stats = typeof report === "object" && report !== null ? report.stats : undefined;
  const passed = count(stats, "expected") + count(stats, "flaky");
  const failedTests = count(stats, "unexpected");
  // Top-level errors (config errors, a webServer that never came up) fail the run without failing a test.
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  const failed = failedTests > 0 ? failedTests : errors > 0 ? 1 : 0;
  process.stdout.write(`${passed} ${failed} ${count(stats, "skipped")}\n`);
} else {
  fail(`unknown report kind "${kind}"`);
}
