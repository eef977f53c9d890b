/**
 * Native Rust: builds `src/bin/bench.rs` in release (the crate's own profile: fat LTO, one
 * codegen unit, panic=abort) and runs it. The binary goes through `speedup_lab::run::run`, the
 * code the browser runs, so wasm against native compares one program on two targets.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { summarize } from "./stats.mjs";

const LABELS = {
  sequential: "native Rust, sequential",
  "pool-map": "native Rust, rayon pool-map",
  "work-stealing": "native Rust, rayon work-stealing (par_iter)",
};

/** `cargo build --release --bin bench`; returns the binary's path. */
export function buildNative(root, env) {
  execFileSync("cargo", ["build", "--release", "--quiet", "--bin", "bench"], { cwd: root, env, stdio: "inherit" });
  return join(root, "target", "release", "bench");
}

/** Run the native benchmark and return its rows, keyed like every other row. */
export function runNative(binary, { n, reps, workers }) {
  const out = execFileSync(binary, ["--n", String(n), "--reps", String(reps), "--workers", String(workers)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const data = JSON.parse(out);
  const rows = {};
  for (const [strategy, label] of Object.entries(LABELS)) {
    rows[`native-${strategy}`] = {
      label,
      platform: "native",
      strategy,
      n,
      workers: strategy === "sequential" ? 1 : workers,
      ...summarize(data.ms[strategy]),
    };
  }
  return { rows, poolSize: data.poolSize };
}
