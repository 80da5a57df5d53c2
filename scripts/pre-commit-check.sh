#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml: `scalingo-manifest check` on the files
# pre-commit passes. The command is the `cli/` crate of this workspace (the root package
# is the engine library, which has no binary), built once in this checkout's target dir
# and reused by later runs. Needs cargo (a stable Rust toolchain).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec cargo run --quiet --release --locked --manifest-path "$here/Cargo.toml" \
  -p scalingo-manifest-cli --bin scalingo-manifest -- check "$@"
