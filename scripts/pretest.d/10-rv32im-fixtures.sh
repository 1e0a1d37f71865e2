#!/usr/bin/env bash
# The forge replay of >= 10^4 distinct RV32IM steps (issue 3) reads a fixture set generated here
# by the TS machine (seeded, deterministic; gitignored; skipped when up to date). 10^5 steps with
# ZKFP_HEAVY=1. forge test alone runs the same command through ffi (GeneratedSteps.t.sol).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx contracts/test/fixtures/gen.ts --ensure
