#!/usr/bin/env bash
# `npm run build`: the static site in dist/ (release wasm, vendor modules, pages, _headers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/dist.mjs "$@"
