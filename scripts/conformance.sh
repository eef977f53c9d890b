#!/usr/bin/env bash
# `npm run conformance [-- --quick | --classes A,B | --out FILE]`: CPython's own multiprocessing
# tests on the lab's multiprocessing, in Chromium and Firefox (scripts/conformance.mjs). Installs
# what a fresh clone lacks first (the browsers and drivers, the wasm the page loads, Pyodide).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
bash scripts/setup.sh --browser # idempotent: installs only what is missing
[ -f www/pkg/threads/speedup_lab_bg.wasm ] || bash scripts/build-wasm.sh
exec node scripts/conformance.mjs "$@"
