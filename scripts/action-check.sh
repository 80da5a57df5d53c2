#!/usr/bin/env bash
# The step of action.yml: `scalingo-manifest check --format github` on the manifests and
# Procfiles of the repository (or on FILES), so that each finding is an annotation on the
# pull request. Inputs come from the environment:
#   FILES           space-separated paths; empty: every scalingo.json, app.json and Procfile
#                   git tracks (or, outside git, under the current folder)
#   DENY_WARNINGS   `true`: warnings fail the step too
#   SCALINGO_MANIFEST  the command (default: scalingo-manifest on PATH)
# Exit status: check's (0 clean, 1 errors or denied warnings, 2 a file cannot be read);
# 0 with a notice when there is nothing to check.
set -euo pipefail
cmd="${SCALINGO_MANIFEST:-scalingo-manifest}"
files=()
if [ -n "${FILES:-}" ]; then
  read -r -a files <<<"$FILES"
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r f; do files+=("$f"); done < <(
    git ls-files -- '*scalingo.json' '*app.json' '*Procfile' |
      grep -E '(^|/)(scalingo\.json|app\.json|Procfile)$' || true)
else
  while IFS= read -r f; do files+=("${f#./}"); done < <(
    find . -type f \( -name scalingo.json -o -name app.json -o -name Procfile \) \
      -not -path './.git/*' | LC_ALL=C sort)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "::notice title=scalingo-manifest::no scalingo.json, app.json or Procfile to check"
  exit 0
fi
args=(check --format github)
[ "${DENY_WARNINGS:-false}" = true ] && args+=(--deny warnings)
exec "$cmd" "${args[@]}" -- "${files[@]}"
