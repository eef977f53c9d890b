#!/usr/bin/env bash
# `npm run bench [-- --quick | --full | --build | ...]`: the side-by-side benchmark of issue 5
# (native Rust, wasm in headless Chromium, plain JavaScript, CPython). See BENCHMARKS.md.
#
# It measures dist/, the static site readers get. dist/ is built here only when it is missing,
# or with --build: otherwise the numbers are for whatever `npm run build` (or `npm test`) last
# produced, so that the benchmark never rebuilds behind the back of a test run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

build=false
for arg in "$@"; do [ "$arg" = "--build" ] && build=true; done
if $build || [ ! -f dist/www/pkg/threads/speedup_lab_bg.wasm ] || [ ! -f dist/www/pkg/plain/speedup_lab_bg.wasm ] \
  || [ ! -f dist/www/pkg/plain-forest/speedup_lab_bg.wasm ]; then
  bash scripts/setup.sh --browser
  bash scripts/build-wasm.sh
  node scripts/dist.mjs
fi
exec node bench/run.mjs "$@"
