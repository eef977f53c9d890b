#!/usr/bin/env bash
# `npm run build`: the static site in dist/ (release wasm, vendor modules, pages, _headers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
node scripts/dist.mjs "$@"
# Link cards: a page per lesson with OpenGraph/oEmbed and its chart's image, made by running each
# lesson in headless Chromium (about a minute). SITE_URL=https://… gives platforms absolute URLs.
node scripts/link-cards.mjs "$@"
