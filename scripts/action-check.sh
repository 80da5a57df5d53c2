#!/usr/bin/env bash
# The step of action.yml: `scalingo-manifest check --format github` on the manifests and
# Procfiles of the repository (or on FILES), so that each finding is an annotation on the
# pull request. Inputs come from the environment:
#   FILES           space-separated paths; empty: every scalingo.json, app.json and Procfile
#                   git tracks, symbolic links left out (or, outside git, every such regular
#                   file under the current folder)
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
  # NUL-separated, so that no path is quoted or split (`café/scalingo.json`); with the
  # mode, so that symbolic links (120000) and submodules (160000) are left out: a link
  # could point outside the repository.
  while IFS= read -r -d '' entry; do
    mode="${entry%% *}"
    path="${entry#*$'\t'}"
    case "$mode" in 120000 | 160000) continue ;; esac
    case "${path##*/}" in scalingo.json | app.json | Procfile) files+=("$path") ;; esac
  done < <(git ls-files -s -z -- '*scalingo.json' '*app.json' '*Procfile')
else
  # Regular files only (`-type f`: no link is followed).
  while IFS= read -r -d '' f; do files+=("${f#./}"); done < <(
    find . -type f \( -name scalingo.json -o -name app.json -o -name Procfile \) \
      -not -path './.git/*' -print0 | LC_ALL=C sort -z)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "::notice title=scalingo-manifest::no scalingo.json, app.json or Procfile to check"
  exit 0
fi
args=(check --format github)
[ "${DENY_WARNINGS:-false}" = true ] && args+=(--deny warnings)
exec "$cmd" "${args[@]}" -- "${files[@]}"
