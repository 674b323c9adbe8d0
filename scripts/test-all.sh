#!/usr/bin/env bash
# Every check CI runs, in one command (`npm test`): lint, typecheck, build, vitest (unit + integration),
# Playwright (e2e against the built server in Debian's Chromium). Every step runs even when an earlier one fails,
# so one run shows everything that is broken. The LAST line printed is always the plain summary
# `N passed, N failed` (vitest + Playwright tests; a failed lint/typecheck/build step adds 1 failed each),
# which is what CI reads. Exit status is non-zero when anything failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Generous per-step ceilings (seconds): a hung step must not eat the whole CI budget, and still fails loudly.
STEP_TIMEOUT="${MESHSCOPE_TEST_STEP_TIMEOUT:-900}"

passed=0
failed=0
skipped=0
declare -a lines=()

note() { lines+=("$1"); }

# run_step NAME CMD...: a step that passes or fails as a whole (lint, typecheck, build).
run_step() {
  local name="$1"
  shift
  echo "==> ${name}: $*"
  local start=$SECONDS rc=0
  timeout --kill-after=30 "$STEP_TIMEOUT" "$@" || rc=$?
  local took=$((SECONDS - start))
  if [[ $rc -eq 0 ]]; then
    note "  ok    ${name} (${took}s)"
  else
    failed=$((failed + 1))
    note "  FAIL  ${name} (exit ${rc}, ${took}s)"
  fi
}

# add_report NAME KIND FILE RC: add the counts of a runner's JSON report. A missing or unreadable report, an empty
# suite, or a non-zero exit with no failed test in the report (crash, teardown error) each count as one failure.
add_report() {
  local name="$1" kind="$2" file="$3" rc="$4" took="$5"
  local counts p f s
  if ! counts="$(node scripts/report-counts.mjs "$kind" "$file")"; then
    failed=$((failed + 1))
    note "  FAIL  ${name}: no usable JSON report at ${file} (exit ${rc}, ${took}s)"
    return
  fi
  read -r p f s <<<"$counts"
  if [[ $((p + f)) -eq 0 ]]; then
    f=1
    note "  FAIL  ${name}: no tests ran (exit ${rc}, ${took}s)"
  elif [[ $rc -ne 0 && $f -eq 0 ]]; then
    f=1
    note "  FAIL  ${name}: ${p} passed but the runner exited ${rc} (${took}s)"
  else
    local verdict="ok  "
    [[ $f -gt 0 ]] && verdict="FAIL"
    note "  ${verdict}  ${name}: ${p} passed, ${f} failed, ${s} skipped (${took}s)"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
}

run_step lint npm run lint
run_step typecheck npm run typecheck
run_step build npm run build

# Stale reports from an earlier run must never be read as this run's result.
mkdir -p test-results e2e/test-results
rm -f test-results/vitest.json e2e/test-results/pw.json

echo "==> vitest"
start=$SECONDS
rc=0
timeout --kill-after=30 "$STEP_TIMEOUT" \
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || rc=$?
add_report vitest vitest test-results/vitest.json "$rc" $((SECONDS - start))

echo "==> playwright"
start=$SECONDS
rc=0
(
  cd e2e
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/pw.json \
    timeout --kill-after=30 "$STEP_TIMEOUT" npx playwright test --reporter=list,json
) || rc=$?
add_report playwright playwright e2e/test-results/pw.json "$rc" $((SECONDS - start))

echo
echo "Summary:"
printf '%s\n' "${lines[@]}"
[[ $skipped -gt 0 ]] && echo "  (${skipped} skipped tests are not counted)"
echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
