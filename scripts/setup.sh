#!/usr/bin/env bash
# Installs whatever is missing on a fresh machine, and nothing that is already there:
#  1. Node.js + npm (Debian packages) if absent.
#  2. The Rust toolchain pinned in rust-toolchain.toml, with rust-src for -Z build-std.
#     Our machines set RUSTUP_AUTO_INSTALL=0, so cargo would not install it by itself
#     (docs/toolchain.md, gotcha 1).
#  3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (the CLI and the crate
#     must match), asked of cargo itself (`cargo pkgid`). Built with `cargo install` *without*
#     --locked: its lock file wants a crate version the reachable registry lacks
#     (docs/toolchain.md, gotcha 4). ~3 min, once.
#  4. npm packages from package-lock.json (`npm ci`), when node_modules is missing or stale.
#  5. www/vendor/ (Chart.js and Comlink as browser-ready ES modules, Pyodide's core files) and the service-worker
#     fallback coi-serviceworker.min.js beside index.html (scripts/vendor.mjs).
#  6. With --browser: the three browser engines the tests drive, from Debian's packages
#     (Playwright's own browser downloads are not reachable here): chromium + chromium-driver,
#     firefox-esr, webkit2gtk-driver (WebKitWebDriver and MiniBrowser) + xvfb (it needs a
#     display), and geckodriver with `cargo install` (~3 min, once). SKIP_BROWSERS=firefox,webkit
#     leaves those out (docs/browsers.md). Also the site generators the authors' recipes are
#     tested in (scripts/setup-sites.sh): MkDocs Material from PyPI in a venv, mystmd from npm;
#     and the notebook hosts the anywidget recipe is run in (scripts/setup-notebooks.sh):
#     JupyterLab, anywidget and marimo from PyPI in a venv of their own; and the WordPress a lesson's
#     link is posted in (scripts/setup-wordpress.sh): Debian's wordpress, php and mariadb-server-core.
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=false
[ "${1:-}" = "--browser" ] && want_browser=true

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_updated=false
apt_install() {
  if ! $apt_updated; then
    $SUDO apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# 1. Node.js
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  step "installing Node.js and npm (Debian)"
  apt_install nodejs npm
fi

# 2. Rust toolchain
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v rustup >/dev/null; then
  step "installing rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain none
fi
CHANNEL=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup run "$CHANNEL" rustc --version >/dev/null 2>&1 ||
  ! rustup component list --toolchain "$CHANNEL" --installed 2>/dev/null | grep -q '^rust-src'; then
  step "installing Rust $CHANNEL (rust-src, rustfmt, clippy)"
  rustup toolchain install "$CHANNEL" --no-self-update --profile minimal -c rust-src -c rustfmt -c clippy
fi

# 3. wasm-bindgen-cli matching Cargo.lock
# `cargo pkgid` prints the locked package id, e.g. "registry+<index>#wasm-bindgen@0.2.130".
WANT=$(cargo pkgid wasm-bindgen)
WANT=${WANT##*[@#]}
HAVE=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$HAVE" != "$WANT" ]; then
  step "installing wasm-bindgen-cli $WANT (was: ${HAVE:-none}); takes a few minutes once"
  cargo +"$CHANNEL" install wasm-bindgen-cli --version "$WANT" --force
fi

# 4. npm packages
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

# 5. vendored browser modules
node scripts/vendor.mjs

# 6. browsers for tests
skip() { case ",${SKIP_BROWSERS:-}," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
if $want_browser; then
  want=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || want+=(chromium)
  [ -x /usr/bin/chromedriver ] || want+=(chromium-driver)
  if ! skip firefox; then [ -x /usr/bin/firefox-esr ] || want+=(firefox-esr); fi
  if ! skip webkit; then
    [ -x /usr/bin/WebKitWebDriver ] || want+=(webkit2gtk-driver)
    [ -x /usr/bin/xvfb-run ] || want+=(xvfb)
  fi
  if [ ${#want[@]} -gt 0 ]; then
    step "installing Debian's ${want[*]} for the browser tests"
    apt_install "${want[@]}"
  fi
  if ! skip firefox && ! command -v geckodriver >/dev/null; then
    step "installing geckodriver (cargo install; drives Firefox over classic WebDriver), a few minutes once"
    cargo +"$CHANNEL" install geckodriver
  fi
  bash scripts/setup-sites.sh
  bash scripts/setup-notebooks.sh
  bash scripts/setup-wordpress.sh
fi
exit 0
