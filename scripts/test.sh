#!/usr/bin/env bash
# zkfp's test command (`npm test`): typecheck, lint (biome), vitest (TypeScript: vm, protocol, zk,
# ml, sims), forge (Solidity), the committed gas snapshots (scripts/snapshot.sh --check), then ONE
# plain summary line `N passed, N failed` covering all; the typecheck, the lint, the format check
# (biome + forge fmt: `npm run fmt` fixes it) and each snapshot count as one test. Exits non-zero
# when any fails. Heavy suites run only with ZKFP_HEAVY=1.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-results
run_id=$$
VJSON=".test-results/vitest-run-$run_id.json"
FTXT=".test-results/forge-run-$run_id.txt"
rm -f .test-results/summary.txt

# steps that generate test inputs (e.g. forge fixtures from the TS machine) before the suites
for pre in scripts/pretest.d/*.sh; do
  [ -e "$pre" ] || continue
  echo "== pretest: $pre"
  bash "$pre" || { echo "pretest $pre failed"; echo "0 passed, 1 failed" | tee .test-results/summary.txt; exit 1; }
done

echo "== typecheck (tsc --noEmit)"
npx tsc --noEmit -p .
tsc_rc=$?

echo "== lint (biome)"
npx biome lint --error-on-warnings
lint_rc=$?

echo "== format check (biome format, forge fmt --check)"
npm run -s fmt:check
fmt_rc=$?

echo "== vitest"
npx vitest run --outputFile.json="$VJSON" "$@"
vitest_rc=$?

echo "== forge test"
# scripts/forge.mjs: `npx forge` exits 0 whatever forge returns
node scripts/forge.mjs test 2>&1 | tee "$FTXT"
forge_rc=${PIPESTATUS[0]}

snap_rcs=""
for s in rv32im game zk; do
  bash scripts/snapshot.sh --check "$s"
  snap_rcs="$snap_rcs $?"
done

TSC_RC=$tsc_rc LINT_RC=$lint_rc FMT_RC=$fmt_rc SNAP_RCS="$snap_rcs" VJSON="$VJSON" FTXT="$FTXT" node --input-type=module - <<'JS'
import { readFileSync, existsSync, writeFileSync } from "node:fs";
let passed = 0, failed = 0, skipped = 0;
if (process.env.TSC_RC === "0") passed += 1; else failed += 1; // the typecheck counts as one test
if (process.env.LINT_RC === "0") passed += 1; else failed += 1; // so does the lint
if (process.env.FMT_RC === "0") passed += 1; else failed += 1; // and the format check
for (const rc of (process.env.SNAP_RCS ?? "").trim().split(/\s+/).filter(Boolean)) if (rc === "0") passed += 1; else failed += 1; // and each snapshot
const vjson = process.env.VJSON, ftxt = process.env.FTXT;
if (existsSync(vjson)) {
  const v = JSON.parse(readFileSync(vjson, "utf8"));
  passed += v.numPassedTests; failed += v.numFailedTests; skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // a file that failed to load counts as a failure even if it contributed no tests
  failed += (v.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
} else failed += 1;
const forge = existsSync(ftxt) ? readFileSync(ftxt, "utf8") : "";
const m = [...forge.matchAll(/(\d+) tests passed, (\d+) failed, (\d+) skipped/g)].pop();
if (m) { passed += +m[1]; failed += +m[2]; skipped += +m[3]; }
else if (!/No tests (found|to run)/.test(forge)) failed += 1;
const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
writeFileSync(".test-results/summary.txt", line + "\n");
console.log(line);
JS
[ $tsc_rc -eq 0 ] && [ $lint_rc -eq 0 ] && [ $fmt_rc -eq 0 ] && [ $vitest_rc -eq 0 ] && [ $forge_rc -eq 0 ] && [ -z "$(echo $snap_rcs | tr -d ' 0')" ]
