#!/usr/bin/env bash
# Committed gas snapshots: `bash scripts/snapshot.sh` rewrites them, `--check` compares (npm test runs
# the check; each snapshot counts as one test there).
#   rv32im   contracts/rv32im.gas-snapshot: the one-step verifier and Poseidon (StepVerifierBench, Poseidon)
#   game     .gas-snapshot: DisputeGame's calls (DisputeGameBench), each test run with --isolate so
#            every call is its own transaction (cold storage, 21k base + calldata included)
#   zk       contracts/zk.gas-snapshot: `arbitrate` of Groth16Arbitrator / PlonkArbitrator /
#            FflonkArbitrator on one counter-chain leaf (ZkArbitrateGasBench), --isolate as game
# usage: scripts/snapshot.sh [--check] [rv32im|game|zk ...]
set -uo pipefail
cd "$(dirname "$0")/.."
check=()
[ "${1:-}" = --check ] && { check=(--check); shift; }
which=("$@")
[ ${#which[@]} -eq 0 ] && which=(rv32im game zk)
rc=0
for w in "${which[@]}"; do
  case $w in
    rv32im) args=(--match-contract '^(StepVerifierBenchTest|PoseidonTest)$' --snap contracts/rv32im.gas-snapshot) ;;
    game) args=(--match-contract '^DisputeGameBenchTest$' --isolate --snap .gas-snapshot) ;;
    zk) args=(--match-contract '^ZkArbitrateGasBenchTest$' --isolate --snap contracts/zk.gas-snapshot) ;;
    *) echo "unknown snapshot: $w" >&2; exit 2 ;;
  esac
  echo "== forge snapshot ${check[*]} ($w)"
  out=$(mktemp)
  node scripts/forge.mjs snapshot "${args[@]}" "${check[@]}" >"$out" 2>&1
  r=$?
  grep -Ev '^(Warning|Note)|^ +(\||-->|[0-9]+ \|)|^$' "$out" | grep -E 'FAIL|Diff|diff|mismatch|differ|error|Error|tests passed' || true
  [ $r -eq 0 ] || { rc=1; echo "forge snapshot $w failed (exit $r)"; }
  rm -f "$out"
done
exit $rc
