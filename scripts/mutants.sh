#!/usr/bin/env bash
# Mutation testing of the workspace's modules with cargo-mutants (TESTING.md).
#
#   scripts/mutants.sh [MODULE...]      default: every module the target covers
#
# A MODULE is an engine module (`manifest`, `env`, ...: src/<module>.rs or
# src/<module>/), a module of the conformance kit (`conformance/compare`:
# conformance/src/compare.rs), the CLI's output formats (`cli/render`) or its binary
# (`cli/main`).
#
# Each module is mutated on its own and checked by the test targets that
# exercise it (the library's unit tests, the conformance vectors, and the
# module's properties and snapshots), not the whole suite: a mutant then costs
# one incremental rebuild and a few seconds of tests. Results go to
# ${MUTANTS_OUT:-mutants.out}/<module>/mutants.out/ (caught.txt, missed.txt,
# unviable.txt, timeout.txt, outcomes.json).
#
# The workspace has three packages, and a module's test targets may belong to
# another package than the module (conformance_suite is the conformance kit's,
# corpus_check, schema_agreement and conformance_runner the CLI's): cargo-mutants
# mutates the module's package (`-p`) and, with --test-package naming all three,
# runs `cargo test --package=... (x3) --lib --test=...`, where cargo finds each named
# test in whichever package declares it (`--lib` then runs the unit tests of all
# three libraries). A module whose targets are all in its own package tests that
# package alone.
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
    # The conformance kit: its unit tests and the suite; the modules the runner uses
    # are also checked by the CLI's conformance_runner (which runs the binary).
    # The pure modules (comparator, protocol messages, bounded reads) are pinned by their
    # unit tests and the suite; the process-handling ones also by the CLI's
    # conformance_runner (which runs the binary, about 35 s a mutant).
    conformance/case | conformance/evaluate | conformance/generate | conformance/lib | conformance/compare | conformance/protocol | conformance/files) echo "${common[*]}" ;;
    conformance/harness | conformance/runner | conformance/reaper)
      echo "${common[*]} --test=conformance_runner" ;;
    # The CLI's output formats.
    cli/render) echo "--lib --test=corpus_check --test=prop_escape --test=cli" ;;
    # The binary: the tests that run it.
    cli/main) echo "--test=cli --test=conformance_runner --test=snapshots_check" ;;
    *) echo "unknown module: $1" >&2; return 1 ;;
  esac
}

# The package a module is in, and whether its test targets need the other packages.
package_of() {
  case "$1" in
    conformance/*) echo scalingo-manifest-conformance ;;
    cli/*) echo scalingo-manifest-cli ;;
    *) echo scalingo-manifest ;;
  esac
}

test_packages_for() {
  case "$1" in
    cli/render | cli/main | conformance/case | conformance/evaluate | conformance/generate | conformance/lib | conformance/compare | conformance/protocol | conformance/files) ;;
    # cargo-mutants 27 runs the baseline (the unmutated tree) with the mutated package
    # alone, whatever --test-package or --test-workspace say, and `cargo test` then finds
    # no test of the other packages: the baseline is skipped (the tree is tested green
    # before a run) and the test timeout is set instead of measured.
    *) echo "--test-package=scalingo-manifest --test-package=scalingo-manifest-conformance --test-package=scalingo-manifest-cli --baseline=skip --timeout=${MUTANTS_TIMEOUT:-120}" ;;
  esac
}

file_of() {
  case "$1" in
    conformance/* | cli/*) echo "${1%%/*}/src/${1#*/}.rs" ;;
    *) if [ -d "src/$1" ]; then echo "src/$1/**"; else echo "src/$1.rs"; fi ;;
  esac
}

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(manifest procfile locate source env generate addons formation hooks
  conformance/case conformance/evaluate conformance/compare conformance/protocol conformance/generate
  conformance/harness conformance/runner conformance/reaper conformance/files conformance/lib cli/render cli/main)
out_root=${MUTANTS_OUT:-mutants.out}

for m in "${modules[@]}"; do
  file=$(file_of "$m")
  args=(-p "$(package_of "$m")")
  # shellcheck disable=SC2207
  args+=($(test_packages_for "$m"))
  # --cargo-arg, not --cargo-test-arg: the build phase (`cargo test --no-run`) then builds
  # only these targets too, not every test binary of the packages tested.
  for t in $(tests_for "$m"); do args+=("--cargo-arg=$t"); done
  place=()
  [ "${MUTANTS_IN_PLACE:-0}" = 1 ] && place=(--in-place)
  mkdir -p "$out_root/$m"
  # shellcheck disable=SC2086
  cargo mutants --profile mutants -f "$file" -o "$out_root/$m" "${place[@]}" "${args[@]}" ${MUTANTS_ARGS:-} || true
  echo "== $m: $(tail -n 1 "$out_root/$m/mutants.out/debug.log" 2>/dev/null || true)"
done
