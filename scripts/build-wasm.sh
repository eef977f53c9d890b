#!/usr/bin/env bash
# Builds the three wasm flavours of the crate into www/pkg/{threads,plain,plain-forest}:
#  - threads: shared memory + the rayon pool, every lesson (features `threads,forest`);
#  - plain: no threads, no random forest — what the page's main thread (limits, checks,
#    schedules), the lessons' processes and the writers load;
#  - plain-forest: plain + the random forest (smartcore), loaded only by the processes engine's
#    coordinator and forest processes when a forest runs. Keeping smartcore out of `plain` keeps
#    the page under its 250 kB gzipped budget (issue 11; BENCHMARKS.md).
#
# Unusual steps, in order:
#  1. `-Z build-std=core,alloc,std,panic_abort`: std is recompiled for wasm32 — with atomics for the threaded
#     build (the prebuilt std has none) and at all for the plain one (this pinned nightly ships no
#     prebuilt wasm32 rust-std; see docs/toolchain.md, gotchas 1–2).
#  2. Threaded build: since rust-lang/rust#147225 `+atomics` alone no longer makes memory shared;
#     the build then succeeds and fails in the browser with "DataCloneError: #<Memory> could not
#     be cloned". So the linker is told explicitly: shared, imported memory with a maximum, and
#     the TLS symbols wasm-bindgen's thread start-up needs exported (docs/toolchain.md, gotcha 3).
#  3. threads and plain use separate target dirs: their RUSTFLAGS differ, and sharing one dir
#     would make each rebuild the other's std from scratch. plain-forest reuses plain's dir (same
#     RUSTFLAGS, so std and the shared dependencies are reused; only the crate is rebuilt).
#  4. wasm-bindgen --target web: plain ES modules, no bundler (wasm-bindgen-rayon's `no-bundler`
#     feature spawns its Workers from the module's own URL).
#  5. Size flags for both flavours: panics abort at once (`-Cpanic=immediate-abort`: no panic
#     message machinery; the core returns typed errors and never panics on input), no source
#     locations or Debug formatting kept for panics (`-Zlocation-detail=none -Zfmt-debug=none`).
#  6. scripts/patch-rayon-helper.mjs: the pool's Workers start from a same-origin URL when they
#     can (a strict CSP refuses blob: Workers), and threads init without a deprecation warning.
#  7. wasm-opt -O3 from the npm `binaryen` package (pinned in package-lock.json), after bindgen,
#     stripping debug info and producer sections.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
TARGET=wasm32-unknown-unknown
BIN=node_modules/.bin
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SIZE_FLAGS="-Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort"
THREADS_FLAGS="$SIZE_FLAGS -C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128 \
 -C link-arg=--shared-memory -C link-arg=--max-memory=1073741824 -C link-arg=--import-memory \
 -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
 -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base"
PLAIN_FLAGS="$SIZE_FLAGS -C target-feature=+bulk-memory,+mutable-globals,+simd128"

build() { # flavour features rustflags target-dir
  local flavour=$1 features=$2 flags=$3 tdir=$4
  echo "==> wasm ($flavour): cargo build"
  # opt-level "s" for wasm only: 11 % smaller gzipped than "3", and the one hot loop (the naive
  # divisor test) compiles the same; native builds (tests, bench) keep the profile's "3".
  CARGO_PROFILE_RELEASE_OPT_LEVEL=s RUSTFLAGS="$flags" cargo build --lib --profile "$PROFILE" --target $TARGET \
    -Z build-std=core,alloc,std,panic_abort --target-dir "$tdir" --no-default-features ${features:+--features "$features"}
  local dir=$tdir/$TARGET/$PROFILE
  [ "$PROFILE" = dev ] && dir=$tdir/$TARGET/debug
  rm -rf "www/pkg/$flavour"
  echo "==> wasm ($flavour): wasm-bindgen"
  wasm-bindgen --target web --no-typescript --out-dir "www/pkg/$flavour" "$dir/speedup_lab.wasm"
  if [ -d "www/pkg/$flavour/snippets" ]; then node scripts/patch-rayon-helper.mjs "www/pkg/$flavour/snippets"; fi
  if [ "$PROFILE" = release ]; then
    echo "==> wasm ($flavour): wasm-opt -O3"
    "$BIN/wasm-opt" -O3 --strip-debug --strip-producers --enable-threads --enable-bulk-memory --enable-mutable-globals \
      --enable-sign-ext --enable-nontrapping-float-to-int --enable-simd --enable-reference-types \
      --enable-multivalue \
      "www/pkg/$flavour/speedup_lab_bg.wasm" -o "www/pkg/$flavour/speedup_lab_bg.wasm"
  fi
}

build threads threads,forest "$THREADS_FLAGS" target/wasm-threads
build plain "" "$PLAIN_FLAGS" target/wasm-plain
build plain-forest forest "$PLAIN_FLAGS" target/wasm-plain
ls -l www/pkg/*/speedup_lab_bg.wasm
