#!/usr/bin/env bash
# The notebook hosts tests/browser/notebooks.test.mjs runs the anywidget recipe in — JupyterLab and
# marimo, with anywidget — from PyPI, pinned in tests/hosts/requirements.txt, in a virtualenv at
# tests/hosts/.venv (git-ignored). Installed only when missing or when the pins changed (about 25 s
# and 420 MB once; nothing on later runs). When PyPI cannot give them, the reason is kept in
# tests/hosts/.venv-failed and this script still exits 0: the notebook tests then skip, saying why,
# and every other test runs.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=tests/hosts/.venv
PINS=tests/hosts/requirements.txt
FAILED=tests/hosts/.venv-failed
# The stamp is a copy of the pins the virtualenv was made from (tests/hosts/venv.mjs compares them).
if cmp -s "$PINS" "$VENV/.pins" 2>/dev/null && [ -x "$VENV/bin/jupyter-lab" ] && [ -x "$VENV/bin/marimo" ]; then
  exit 0
fi
printf '\033[1m==> %s\033[0m\n' "installing the notebook hosts ($(grep -v '^#' "$PINS" | paste -sd ' ')) into $VENV (PyPI)"
started=$SECONDS
rm -f "$FAILED" "$VENV/.pins"
log=$(mktemp)
if python3 -m venv "$VENV" >"$log" 2>&1 &&
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$PINS" >>"$log" 2>&1; then
  cp "$PINS" "$VENV/.pins"
  echo "notebook hosts installed in $((SECONDS - started)) s"
else
  # One line for the tests' skip message: pip's last error line.
  reason=$(grep -E 'ERROR|Error|error' "$log" | tail -n 1)
  echo "${reason:-$(tail -n 1 "$log")}" >"$FAILED"
  echo "note: the notebook hosts could not be installed from PyPI: the notebook tests will skip, saying so" >&2
  tail -n 5 "$log" | cut -c1-300 >&2
fi
rm -f "$log"
exit 0
