#!/usr/bin/env bash
# The site generators that tests/browser/sites.test.mjs builds real sites with (tests/sites/):
#  - MkDocs Material, from PyPI, in a virtualenv at tests/sites/.venv (git-ignored), pinned;
#  - MyST: the npm `mystmd`, a devDependency (`npm ci` installs it). `myst build --html` fetches
#    its book theme from api.mystmd.org and GitHub the first time; a machine that cannot reach
#    them needs a built theme in MYST_THEME_DIR (docs: tests/sites/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
MKDOCS_MATERIAL=9.8.2
VENV=tests/sites/.venv
if ! "$VENV/bin/python" -c "import material, sys; sys.exit(material.__version__ != '$MKDOCS_MATERIAL')" 2>/dev/null; then
  printf '\033[1m==> %s\033[0m\n' "installing mkdocs-material $MKDOCS_MATERIAL into $VENV (PyPI)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "mkdocs-material==$MKDOCS_MATERIAL"
fi
[ -x node_modules/.bin/myst ] || npm ci --no-audit --no-fund
