#!/usr/bin/env bash
# The site generators that tests/browser/sites.test.mjs builds real sites with (tests/sites/):
#  - MkDocs Material, from PyPI, in a virtualenv at tests/sites/.venv (git-ignored), pinned;
#  - MyST: the npm `mystmd`, a devDependency (`npm ci` installs it), and tests/sites/package.json
#    (myst-theme's anywidget renderer + React, for the offline MyST page). `myst build --html` fetches
#    its book theme from api.mystmd.org and GitHub the first time; a machine that cannot reach
#    them needs a built theme in MYST_THEME_DIR (see tests/sites/build.mjs), or SKIP_MYST_THEME=1.
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
# The offline MyST page (tests/sites/myst-page.mjs): myst-theme's anywidget renderer and React,
# in a package of their own so the lab's root package has no React.
if [ ! -f tests/sites/node_modules/.package-lock.json ] || [ tests/sites/package-lock.json -nt tests/sites/node_modules/.package-lock.json ]; then
  npm ci --prefix tests/sites --no-audit --no-fund --legacy-peer-deps
fi
