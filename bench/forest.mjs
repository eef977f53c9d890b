/**
 * The random-forest rows of `npm run bench`: the lab's forest natively (src/bin/forest-bench.rs)
 * and in wasm on both engines in Chromium, beside scikit-learn's RandomForestClassifier
 * (bench/forest.py) — the same digits, held-out rows, tree count and depth; n_jobs = 1 and 2.
 *
 * Checked every run: the lab's forest has one fingerprint for every n_jobs, natively and in
 * wasm alike (a different one fails the bench), and scikit-learn is scored on the same split
 * (the first held-out rows must agree). scikit-learn is installed into a venv under target/
 * (`python3 -m venv` + pip, scikit-learn pinned) on first use; without python3 its rows are
 * skipped with a note.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { summarize } from "./stats.mjs";
import { fmtMs, fmtRatio } from "./tables.mjs";

const SKLEARN = "scikit-learn==1.9.1";
export const FOREST = { trees: 100, depth: 12, jobs: [1, 2] };
/** `--quick` (what npm test runs) only proves the harness: few trees, and scikit-learn only if
 * its venv is already there (installing it needs PyPI and ~20 s). */
const QUICK_TREES = 10;

/** A venv with scikit-learn, made once under target/; its python, or `{ skipped }`. */
function sklearnPython(root, log, { install }) {
  const venv = join(root, "target", "bench-python");
  const python = join(venv, "bin", "python");
  const has = () => existsSync(python) && spawnSync(python, ["-c", "import sklearn"]).status === 0;
  if (has()) return { python };
  if (!install) return { skipped: "not installed, and --quick does not install it (npm run bench does)" };
  const system = process.env.PYTHON ?? "python3";
  if (spawnSync(system, ["--version"]).status !== 0) return { skipped: `${system} was not found` };
  log(`  installing ${SKLEARN} into target/bench-python (once, ~20 s)`);
  const made = spawnSync(system, ["-m", "venv", venv], { stdio: "inherit" });
  if (made.status !== 0) return { skipped: "python3 -m venv failed" };
  const pip = spawnSync(join(venv, "bin", "pip"), ["install", "--quiet", SKLEARN], { stdio: "inherit" });
  if (pip.status !== 0 || !has()) return { skipped: `could not install ${SKLEARN} with pip` };
  return { python };
}

/** Fit the lab's forest in the page's engine `kind`; resolves with its time and fingerprint. */
function wasmFit(page, kind, spec) {
  return page.evaluate(
    async ({ kind, spec }) => {
      const { getEngine } = await import("/www/engine/client.js");
      const t = await getEngine(kind).run(spec);
      return { ms: t.totalMs, fingerprint: t.forest.fingerprint, correct: t.forest.correct, workers: t.workers };
    },
    { kind, spec },
  );
}

const row = (label, platform, k, runs, correct, testRows, fingerprint) => ({
  label,
  platform,
  nJobs: k,
  ...summarize(runs),
  correct,
  accuracy: correct / testRows,
  fingerprint,
});

/**
 * All rows, keyed; `pages` are bench/browser.mjs's open pages (threads + processes engines).
 * Throws when a forest differs from the native one.
 */
export async function runForest({ root, env, pages, reps, python, quick, log }) {
  const { depth, jobs } = FOREST;
  const trees = quick ? QUICK_TREES : FOREST.trees;
  log("==> random forest, native Rust: cargo build --release --bin forest-bench");
  execFileSync("cargo", ["build", "--release", "--quiet", "--bin", "forest-bench"], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  const out = execFileSync(
    join(root, "target", "release", "forest-bench"),
    [
      "--trees",
      String(trees),
      "--depth",
      String(depth),
      "--reps",
      String(reps),
      "--workers",
      String(Math.max(...jobs)),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const native = JSON.parse(out);
  const rows = {};
  for (const k of jobs) {
    rows[`forest-native-${k}`] = row(
      `native Rust, lab forest, n_jobs = ${k}`,
      "native",
      k,
      native.ms[k],
      native.correct,
      native.testRows,
      native.fingerprint,
    );
  }

  log("==> random forest, wasm in Chromium (threads and processes engines)");
  const configs = jobs.flatMap((k) => ["threads", "processes"].map((kind) => ({ kind, k })));
  const spec = (k) => ({ workload: "forest", trees, depth, seed: 0, workers: k });
  const runs = new Map(configs.map((c) => [c, []]));
  const last = new Map();
  for (const c of configs) await wasmFit(pages[c.kind].page, c.kind, spec(c.k)); // warm-up, untimed
  for (let r = 0; r < reps; r++) {
    for (const c of configs) {
      const t = await wasmFit(pages[c.kind].page, c.kind, spec(c.k));
      if (t.fingerprint !== native.fingerprint || t.workers !== c.k) {
        throw new Error(
          `wasm (${c.kind}, n_jobs = ${c.k}) grew forest ${t.fingerprint} on ${t.workers} workers; native grew ${native.fingerprint}.`,
        );
      }
      runs.get(c).push(t.ms);
      last.set(c, t);
    }
  }
  // rows in reading order: threads 1, 2, then processes 1, 2
  const byEngine = [...configs].sort((a, b) => a.kind.localeCompare(b.kind) * -1 || a.k - b.k);
  for (const c of byEngine) {
    rows[`forest-wasm-${c.kind}-${c.k}`] = row(
      `wasm (${c.kind} engine), lab forest, n_jobs = ${c.k}`,
      "wasm",
      c.k,
      runs.get(c),
      last.get(c).correct,
      native.testRows,
      native.fingerprint,
    );
  }

  let sklearn = { skipped: "skipped with --no-python" };
  if (python) {
    log(`==> random forest, scikit-learn RandomForestClassifier (n_jobs = 1, 2; ${reps} runs each)`);
    const py = sklearnPython(root, log, { install: !quick });
    if (py.skipped) sklearn = { skipped: `scikit-learn rows skipped: ${py.skipped}.` };
    else {
      const got = JSON.parse(
        execFileSync(
          py.python,
          [
            join(root, "bench", "forest.py"),
            "--data",
            join(root, "www", "data", "digits.bin"),
            "--trees",
            String(trees),
            "--depth",
            String(depth),
            "--reps",
            String(reps),
          ],
          { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
        ),
      );
      if (JSON.stringify(got.testHead) !== JSON.stringify(native.testHead)) {
        throw new Error(`bench/forest.py split the data differently (${got.testHead} vs ${native.testHead}).`);
      }
      for (const k of jobs) {
        rows[`forest-sklearn-${k}`] = row(
          `scikit-learn ${got.sklearn}, RandomForestClassifier, n_jobs = ${k}`,
          "python",
          k,
          got.ms[k],
          got.correct[k],
          got.testRows,
          null,
        );
      }
      sklearn = { version: got.sklearn, numpy: got.numpy, python: got.python };
    }
  }
  const data = join(root, "www", "data", "digits.bin");
  const bytes = readFileSync(data);
  return {
    trees,
    depth,
    reps,
    rows,
    sklearn,
    dataset: { bytes: statSync(data).size, gzipBytes: gzipSync(bytes, { level: 9 }).length },
  };
}

/** The forest table: one line per row, with the speedup of n_jobs = 2 over 1 per platform. */
export function forestTable(forest) {
  const table = [["random forest (digits, held-out 450)", "fit time (median, min–max)", "vs n_jobs = 1", "accuracy"]];
  for (const [id, r] of Object.entries(forest.rows)) {
    const one = forest.rows[id.replace(/-\d+$/, "-1")];
    table.push([
      r.label,
      `${fmtMs(r.medianMs)} (${fmtMs(r.minMs)}–${fmtMs(r.maxMs)})`,
      r.nJobs === 1 ? "–" : fmtRatio(one.medianMs / r.medianMs),
      `${(r.accuracy * 100).toFixed(1)} % (${r.correct})`,
    ]);
  }
  return table;
}
