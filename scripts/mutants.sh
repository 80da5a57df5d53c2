#!/usr/bin/env bash
# Mutation testing of the engine's modules with cargo-mutants (TESTING.md).
#
#   scripts/mutants.sh [MODULE...]      default: every module the target covers
#
# Each module is mutated on its own and checked by the test targets that
# exercise it (the library's unit tests, the conformance vectors, and the
# module's properties and snapshots), not the whole suite: a mutant then costs
# one incremental rebuild and a few seconds of tests. Results go to
# ${MUTANTS_OUT:-mutants.out}/<module>/mutants.out/ (caught.txt, missed.txt,
# unviable.txt, timeout.txt, outcomes.json).
#
# MUTANTS_IN_PLACE=1 mutates this checkout in place (faster: the target
# directory stays warm; use a scratch worktree, as the files are rewritten
# while it runs, and proptest may write regression files there). Extra arguments
# for cargo-mutants go in MUTANTS_ARGS, e.g. MUTANTS_ARGS=--iterate to test only
# the mutants an earlier run into the same MUTANTS_OUT did not catch or reach.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked

tests_for() {
  # Few test binaries per module: every one of them is rebuilt for every mutant.
  local common=(--lib --test=conformance_suite)
  case "$1" in
    manifest) echo "${common[*]} --test=manifest_rules --test=prop_manifest --test=snapshots_check --test=corpus_check --test=schema_agreement" ;;
    procfile) echo "${common[*]} --test=prop_procfile --test=procfile_corpus --test=snapshots_scenarios" ;;
    locate) echo "${common[*]} --test=prop_locate --test=snapshots_scenarios" ;;
    source) echo "${common[*]} --test=prop_source --test=snapshots_scenarios" ;;
    env | generate) echo "${common[*]} --test=prop_env --test=snapshots_scenarios" ;;
    addons | formation) echo "${common[*]} --test=prop_addons_formation --test=snapshots_scenarios" ;;
    hooks) echo "${common[*]} --test=prop_hooks_state_machine --test=snapshots_scenarios" ;;
    *) echo "unknown module: $1" >&2; return 1 ;;
  esac
}

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(manifest procfile locate source env generate addons formation hooks)
out_root=${MUTANTS_OUT:-mutants.out}

for m in "${modules[@]}"; do
  if [ -d "src/$m" ]; then file="src/$m/**"; else file="src/$m.rs"; fi
  args=()
  for t in $(tests_for "$m"); do args+=("--cargo-test-arg=$t"); done
  place=()
  [ "${MUTANTS_IN_PLACE:-0}" = 1 ] && place=(--in-place)
  mkdir -p "$out_root/$m"
  # shellcheck disable=SC2086
  cargo mutants --profile mutants -f "$file" -o "$out_root/$m" "${place[@]}" "${args[@]}" ${MUTANTS_ARGS:-} || true
  echo "== $m: $(tail -n 1 "$out_root/$m/mutants.out/debug.log" 2>/dev/null || true)"
done
