#!/usr/bin/env bash
# `npm start`: install what is missing, build the wasm, serve the lab on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
exec node scripts/serve.mjs --dev --port "${PORT:-8080}"
