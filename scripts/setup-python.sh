#!/usr/bin/env bash
# Creates (or refreshes) the project's git-ignored Python venv in .venv from model/requirements.txt.
#
# Offline by design: the machines carry a local wheel index (see `pip config list`) and the public
# index is unreachable, so pip would otherwise spend minutes retrying it. We pass the first configured
# local index as --index-url and the rest as --extra-index-url. Where no local index is configured
# (a developer laptop with network), pip's defaults are used unchanged.
#
# Idempotent and quick: a stamp in the venv records the hash of requirements.txt and of this script;
# when both are unchanged and the venv still imports its key packages, it exits at once.
#
# Usage: bash scripts/setup-python.sh            (PYTHON=python3.11 to choose the interpreter)
#        bash scripts/setup-python.sh --force    (reinstall even when the stamp matches)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
REQ="$ROOT/model/requirements.txt"
STAMP="$VENV/.modloop-requirements.sha256"
PYTHON="${PYTHON:-python3}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

if [[ ! -f "$REQ" ]]; then
  echo "setup-python: $REQ not found; run from a checkout of the project" >&2
  exit 1
fi

want_hash="$(cat "$REQ" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"

if [[ $FORCE -eq 0 && -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want_hash" ]]; then
  # The stamp alone could lie if someone uninstalled by hand: a cheap import check keeps it honest.
  if "$VENV/bin/python" -c "import sklearn, numpy" 2>/dev/null; then
    echo "setup-python: .venv is up to date"
    exit 0
  fi
fi

# The local wheels are built for one interpreter version (cp311 here); a mismatch fails late and
# confusingly inside pip, so say it up front.
if ! command -v "$PYTHON" >/dev/null; then
  echo "setup-python: $PYTHON not found; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup-python: creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV"
fi

pip_args=(install --disable-pip-version-check --quiet)
# `pip config get` prints the value or fails when unset; the value is a space-separated list.
local_indexes="$("$VENV/bin/python" -m pip config get global.extra-index-url 2>/dev/null || true)"
local_indexes="${PIP_LOCAL_INDEXES:-$local_indexes}"
read -r -a indexes <<<"$local_indexes"
if [[ ${#indexes[@]} -gt 0 && "${indexes[0]}" == file://* ]]; then
  pip_args+=(--index-url "${indexes[0]}")
  for extra in "${indexes[@]:1}"; do pip_args+=(--extra-index-url "$extra"); done
  echo "setup-python: installing from local indexes: ${indexes[*]}"
else
  echo "setup-python: no local wheel index configured; using pip's default index"
fi

started=$(date +%s)
# pip warns once per package missing from the second local index; that is expected, not news
"$VENV/bin/python" -m pip "${pip_args[@]}" -r "$REQ" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
echo "$want_hash" >"$STAMP"
echo "setup-python: done in $(( $(date +%s) - started )) s ($("$VENV/bin/python" -c 'import sklearn, numpy; print("scikit-learn", sklearn.__version__, "numpy", numpy.__version__)'))"
