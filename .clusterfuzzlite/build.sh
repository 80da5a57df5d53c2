#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script (runs in the image of .clusterfuzzlite/Dockerfile,
# with $SRC, $OUT and the sanitizer flags set by the base image). See fuzz/README.md.
#
# Builds every target of fuzz/fuzz_targets with `cargo fuzz build -O` (debug assertions
# kept: an overflow is a bug), then puts into $OUT, per target: the binary, its seed
# corpus as <target>_seed_corpus.zip and the dictionary as <target>.dict.

cd "$SRC/scalingo-manifest"

# `lto = true` in a release profile breaks the sanitizer link (undefined __sancov_gen_
# symbols); the fuzz crate's profile has none, and this keeps it so.
export CARGO_PROFILE_RELEASE_LTO=false

cargo fuzz build -O --debug-assertions

target_dir="${CARGO_TARGET_DIR:-fuzz/target}"
release_dir="$target_dir/x86_64-unknown-linux-gnu/release"
for source in fuzz/fuzz_targets/*.rs; do
  target="$(basename "$source" .rs)"
  # baseline_* targets are yardsticks for measurements, not checks of the engine.
  case "$target" in baseline_*) continue ;; esac
  cp "$release_dir/$target" "$OUT/"
  rm -f "$OUT/${target}_seed_corpus.zip"
  # render_manifest and json_readers read parse_manifest's inputs, explain_scenario
  # resolve_scenario's (as fuzz/run-ci.sh's seeds_of says).
  seeds="$target"
  case "$target" in
    render_manifest | json_readers) seeds=parse_manifest ;;
    explain_scenario) seeds=resolve_scenario ;;
  esac
  if [ -d "fuzz/seeds/$seeds" ]; then
    (cd "fuzz/seeds/$seeds" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  fi
  cp fuzz/manifest.dict "$OUT/$target.dict"
done
