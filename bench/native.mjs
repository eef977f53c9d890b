/**
 * Native Rust: builds `src/bin/bench.rs` in release (the crate's own profile: fat LTO, one
 * codegen unit, panic=abort) and runs it. The binary goes through `speedup_lab::run::run`, the
 * code the browser runs, so wasm against native compares one program on two targets.
 *
 * The division limit: the SIMD-lanes kernel built twice more, for `x86-64-v2` (128-bit SSE4.1,
 * the least that has a vector `trunc`; the default SSE2 target makes each `trunc` a library call)
 * and for `native` (this CPU's widest vectors). Each build has its own target dir, since its
 * RUSTFLAGS differ (sharing one would rebuild everything each time).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { summarize } from "./stats.mjs";

const LABELS = {
  sequential: "native Rust, sequential",
  "pool-map": "native Rust, rayon pool-map",
  "work-stealing": "native Rust, rayon work-stealing (par_iter)",
};

/** The lanes builds: row-id part, `-C target-cpu`, label. */
export const LANES_BUILDS = [
  { id: "v2", cpu: "x86-64-v2", label: "x86-64-v2, 128-bit: 4 per instruction, like wasm" },
  { id: "cpu", cpu: "native", label: "target-cpu=native: this CPU's widest vectors" },
];

/**
 * `cargo build --release --bin bench` (with `-C target-cpu=<cpu>` in its own target dir when
 * `cpu` is given); returns the binary's path.
 */
export function buildNative(root, env, cpu) {
  const targetDir = cpu ? join(root, "target", `bench-${cpu}`) : join(root, "target");
  const buildEnv = cpu ? { ...env, RUSTFLAGS: `-C target-cpu=${cpu}` } : env;
  execFileSync("cargo", ["build", "--release", "--quiet", "--bin", "bench", "--target-dir", targetDir], {
    cwd: root,
    env: buildEnv,
    stdio: "inherit",
  });
  return join(targetDir, "release", "bench");
}

function runBinary(binary, { n, reps, workers }, kernel) {
  const args = ["--n", String(n), "--reps", String(reps), "--workers", String(workers), "--kernel", kernel];
  return JSON.parse(execFileSync(binary, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
}

/** Run the native benchmark and return its rows, keyed like every other row. */
export function runNative(binary, { n, reps, workers }) {
  const data = runBinary(binary, { n, reps, workers }, "naive");
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

/** The lanes kernel from one of LANES_BUILDS: rows `native-lanes-<id>-{sequential,work-stealing}`. */
export function runNativeLanes(binary, build, { n, reps, workers }) {
  const data = runBinary(binary, { n, reps, workers }, "lanes");
  const rows = {};
  for (const strategy of ["sequential", "work-stealing"]) {
    rows[`native-lanes-${build.id}-${strategy}`] = {
      label: `beyond the guide: native Rust, ${data.lanesKernel === "f32x4" ? "f32" : "f64"} lanes (${build.label}), ${strategy}`,
      platform: "native",
      strategy,
      kernel: data.lanesKernel,
      n,
      workers: strategy === "sequential" ? 1 : workers,
      ...summarize(data.ms[strategy]),
    };
  }
  return rows;
}
