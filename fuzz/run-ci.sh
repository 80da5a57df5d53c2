#!/usr/bin/env bash
# CI fuzzing step (fuzz/README.md): builds every fuzz target with AddressSanitizer, then
# runs each for a bounded time from its committed seeds and the dictionary. Fails on any
# crash, leak, timeout or out-of-memory, after printing the input (hex and text) and the
# command that reproduces it.
#
# Usage: fuzz/run-ci.sh [SECONDS]   seconds per target (default: $FUZZ_SECONDS, else 30)
#        FUZZ_TARGETS="parse_manifest parse_procfile" fuzz/run-ci.sh   a subset
#        FUZZ_TOOLCHAIN=stable fuzz/run-ci.sh   the stable toolchain even if nightly exists
#
# Needs a Rust toolchain only: uses nightly when rustup has it, else the stable toolchain
# with RUSTC_BOOTSTRAP=1 (sanitizer flags are unstable options); installs cargo-fuzz when
# it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
seconds="${1:-${FUZZ_SECONDS:-30}}"
case "$seconds" in
  '' | *[!0-9]*) echo "run-ci.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
export CARGO_TERM_COLOR=never
# The fuzz crate has its own target dir (fuzz/target): never the main crate's or a shared one.
unset CARGO_TARGET_DIR

if ! command -v cargo >/dev/null; then
  echo "run-ci.sh: cargo is not installed: install a Rust toolchain (rustup)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  cargo install cargo-fuzz --locked
fi

# FUZZ_TOOLCHAIN=stable forces the stable path even when nightly is installed.
toolchain=()
if [ "${FUZZ_TOOLCHAIN:-auto}" != stable ] && command -v rustup >/dev/null &&
  rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
  echo "toolchain: nightly ($(rustup run nightly rustc --version))"
else
  export RUSTC_BOOTSTRAP=1
  echo "toolchain: $(rustc --version) with RUSTC_BOOTSTRAP=1"
fi

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for f in fuzz/fuzz_targets/*.rs; do
    t="$(basename "$f" .rs)"
    # baseline_* targets are yardsticks for measurements, not checks of the engine.
    case "$t" in baseline_*) continue ;; esac
    targets+=("$t")
  done
fi

host="$(rustc "${toolchain[@]}" -vV | sed -n 's/^host: //p')"
bin_dir="$root/fuzz/target/$host/release"

echo "== cargo fuzz build (AddressSanitizer, optimised, debug assertions): ${targets[*]}"
build_start=$SECONDS
for t in "${targets[@]}"; do
  cargo "${toolchain[@]}" fuzz build --sanitizer address "$t"
done
echo "built in $((SECONDS - build_start)) s"

# Prints a crash input as hex and as text (non-printing bytes shown by cat -v).
show_input() {
  local file="$1"
  echo "---- input: $file ($(wc -c <"$file") bytes), hex:"
  od -A x -t x1z -v "$file" | head -n 64
  echo "---- as text:"
  head -c 4096 "$file" | cat -v
  echo
  echo "----"
}

# The seeds of a target: its own folder, or the one of the target whose input it shares.
seeds_of() {
  case "$1" in
    render_manifest | json_readers | baseline_serde_json | baseline_jsonc_parser) echo parse_manifest ;;
    explain_scenario) echo resolve_scenario ;;
    *) echo "$1" ;;
  esac
}

failed=()
for t in "${targets[@]}"; do
  corpus="$root/fuzz/corpus/$t"
  artifacts="$root/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  marker="$(mktemp)"
  echo "== $t: ${seconds} s"
  status=0
  "$bin_dir/$t" \
    -artifact_prefix="$artifacts/" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -dict="$root/fuzz/manifest.dict" \
    -print_final_stats=1 \
    "$corpus" "$root/fuzz/seeds/$(seeds_of "$t")" >"$artifacts/../$t.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+.*DONE|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|Done [0-9]+ runs)' \
    "$artifacts/../$t.log" || true
  new=()
  while IFS= read -r f; do new+=("$f"); done < <(find "$artifacts" -type f -newer "$marker" | sort)
  rm -f "$marker"
  if [ "$status" -ne 0 ] || [ "${#new[@]}" -gt 0 ]; then
    failed+=("$t")
    echo "!! $t failed (exit status $status); libFuzzer's report:"
    grep -v -E '^(#[0-9]+|INFO:|MS:|base unit:|\s*$)' "$artifacts/../$t.log" | head -n 80
    for f in "${new[@]}"; do
      show_input "$f"
      echo "reproduce: $bin_dir/$t $f   (or: cargo ${toolchain[*]} fuzz run $t $f)"
      echo "minimise:  cargo ${toolchain[*]} fuzz tmin $t $f"
    done
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (see fuzz/README.md: turn the input into a regression test)" >&2
  exit 1
fi
echo "fuzzing passed: ${targets[*]}, ${seconds} s each"
