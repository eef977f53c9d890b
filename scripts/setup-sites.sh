#!/usr/bin/env bash
# The site generators that tests/browser/sites.test.mjs builds real sites with (tests/sites/):
#  - MkDocs Material, from PyPI, in a virtualenv at tests/sites/.venv (git-ignored), pinned;
#  - MyST: the npm `mystmd`, a devDependency (`npm ci` installs it), and tests/sites/package.json
#    (myst-theme's anywidget renderer + React, for the offline MyST page). `myst build --html` fetches
#    its book theme from api.mystmd.org and GitHub the first time; a machine that cannot reach
#    them needs a built theme in MYST_THEME_DIR (see tests/sites/build.mjs), or SKIP_MYST_THEME=1;
#  - Hugo, Debian's `hugo` package (apt-get), unless a `hugo` is on PATH already;
#  - Docusaurus, the classic template's npm packages, in tests/sites/docusaurus/ (a package of its
#    own, with its lock file: `npm ci` there when node_modules is missing or older than the lock).
# Each installs only what is missing. Where Hugo's or Docusaurus's packages cannot be had (no
# apt-get, no registry), this says so in tests/sites/.unavailable/<tool>, and their tests skip with
# that sentence instead of failing; a later run that installs them removes it.
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

# Hosts whose packages may be out of reach: say why, for the tests to skip with.
UNAVAILABLE=tests/sites/.unavailable
unavailable() { mkdir -p "$UNAVAILABLE" && printf '%s\n' "$2" >"$UNAVAILABLE/$1" && echo "$2" >&2; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if command -v hugo >/dev/null; then
  rm -f "$UNAVAILABLE/hugo"
elif ! command -v apt-get >/dev/null; then
  unavailable hugo "Hugo was not installed: the tests install Debian's hugo package, and this machine has no apt-get (put a hugo on PATH)."
else
  printf '\033[1m==> %s\033[0m\n' "installing Debian's hugo for the Hugo site (apt-get)"
  if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo; then
    rm -f "$UNAVAILABLE/hugo"
  else
    unavailable hugo "Hugo was not installed: apt-get could not install Debian's hugo package (see scripts/setup-sites.sh's output)."
  fi
fi
DOCUSAURUS=tests/sites/docusaurus
if [ ! -f $DOCUSAURUS/node_modules/.package-lock.json ] || [ $DOCUSAURUS/package-lock.json -nt $DOCUSAURUS/node_modules/.package-lock.json ]; then
  printf '\033[1m==> %s\033[0m\n' "installing Docusaurus into $DOCUSAURUS (npm ci, about a minute once)"
  if npm ci --prefix $DOCUSAURUS --no-audit --no-fund; then
    rm -f "$UNAVAILABLE/docusaurus"
  else
    unavailable docusaurus "Docusaurus was not installed: npm ci in $DOCUSAURUS could not get its packages from the npm registry (see scripts/setup-sites.sh's output)."
  fi
fi
