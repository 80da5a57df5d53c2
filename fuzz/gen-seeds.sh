#!/usr/bin/env bash
# Regenerates fuzz/seeds/<target>/ from spec/examples, spec/vectors (when present) and the
# Example lines of spec/manifest.md and spec/procfile.md. Deterministic: running it twice
# changes nothing. Commit the result. See fuzz/README.md.
set -euo pipefail
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
# The fuzz crate builds in its own target dir (fuzz/target), never a shared one.
unset CARGO_TARGET_DIR
cargo run --quiet --manifest-path "$fuzz_dir/Cargo.toml" --features gen-seeds --bin gen_seeds -- "$fuzz_dir/.."
