#!/usr/bin/env node
/**
 * `npm run bench`: everything side by side in one run on this machine — native Rust, wasm in
 * headless Chromium (both engines), plain JavaScript, CPython — for perfect numbers below N,
 * plus the overheads around them; then the targets of issue 5 with PASS / FAIL.
 *
 * Writes bench/results/<date>.json (machine info included) and <date>.html (a static chart), and
 * prints the tables. Ratios always divide medians of this run. See BENCHMARKS.md.
 *
 *   node bench/run.mjs [--quick | --full] [--n N] [--reps R] [--python-reps R] [--spawn-n N]
 *                      [--workers K] [--no-python] [--out DIR]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CHROMIUM, launch } from "../scripts/lib/chromium.mjs";
import { openBenchPages, runBrowserPerfect } from "./browser.mjs";
import { forestTable, runForest } from "./forest.mjs";
import { buildNative, LANES_BUILDS, runNative, runNativeLanes } from "./native.mjs";
import { runOverheads } from "./overheads.mjs";
import { pyodideLines, pyodideRatios, runPyodideFresh } from "./pyodide.mjs";
import { runPython } from "./python.mjs";
import { reportHtml } from "./report.mjs";
import {
  beforeRunTable,
  limitTable,
  overheadTable,
  perfectTable,
  ratioTable,
  targetTable,
  textTable,
} from "./tables.mjs";
import { ratios, targets } from "./targets.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");

/** What each mode measures. `--quick` only proves the harness works (npm test runs it). */
const MODES = {
  quick: { n: 5_000, reps: 2, pythonReps: 1, spawnN: 200, overheadReps: 2, spawnTasks: 50 },
  default: { n: 30_000, reps: 5, pythonReps: 3, spawnN: 2_000, overheadReps: 5, spawnTasks: 199 },
  full: { n: 100_000, reps: 3, pythonReps: 1, spawnN: 2_000, overheadReps: 5, spawnTasks: 199 },
};

const USAGE = `npm run bench [-- options]   (see BENCHMARKS.md)
  --quick           N = 5 000, 2 runs: proves the harness works (npm test runs it)
  --full            N = 100 000, 3 runs (CPython 1): the guide at full size, ~10 min
  --n N             numbers below N (default 30 000)
  --reps R          runs per figure (default 5); --python-reps R for CPython (default 3)
  --spawn-n N       N for CPython's one-process-per-number program (default 2 000)
  --workers K       pool size for the parallel rows (default: the core count)
  --no-python       leave CPython out
  --out DIR         where the JSON and HTML go (default bench/results)
  --build           rebuild dist/ first (scripts/bench.sh)`;

/** What Chromium says on the page whose service workers we block: expected, not a problem. */
const EXPECTED_WARNING = "Service Worker registration blocked by Playwright";

const log = (line) => process.stderr.write(`${line}\n`);

function settings() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      full: { type: "boolean", default: false },
      build: { type: "boolean", default: false }, // acted on by scripts/bench.sh
      n: { type: "string" },
      reps: { type: "string" },
      "python-reps": { type: "string" },
      "spawn-n": { type: "string" },
      workers: { type: "string" },
      "no-python": { type: "boolean", default: false },
      out: { type: "string", default: join(ROOT, "bench", "results") },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.quick && values.full) throw new Error("Pick one of --quick and --full.");
  const mode = values.quick ? "quick" : values.full ? "full" : "default";
  const whole = (name, fallback, lo, hi) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new Error(`--${name} must be a whole number from ${lo} to ${hi}, got "${raw}".`);
    return v;
  };
  const m = MODES[mode];
  const cores = os.availableParallelism();
  return {
    mode,
    n: whole("n", m.n, 100, 200_000),
    reps: whole("reps", m.reps, 1, 50),
    pythonReps: whole("python-reps", m.pythonReps, 1, 50),
    spawnN: whole("spawn-n", m.spawnN, 10, 2_001),
    workers: whole("workers", cores, 1, 10),
    overheadReps: Math.min(m.overheadReps, whole("reps", m.overheadReps, 1, 50)),
    spawnTasks: m.spawnTasks,
    python: !values["no-python"],
    out: values.out,
    cores,
  };
}

/** A command's first line of output, or null when it is not there. */
function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")[0];
  } catch {
    return null;
  }
}

function gitState() {
  const commit = version("git", ["rev-parse", "--short", "HEAD"]) ?? "unknown";
  const status = version("git", ["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: Boolean(status) };
}

async function main() {
  const s = settings();
  const env = {
    ...process.env,
    PATH: `${process.env.CARGO_HOME ?? join(os.homedir(), ".cargo")}/bin:${process.env.PATH}`,
  };
  process.env.PATH = env.PATH;
  if (!existsSync(join(DIST, "www/pkg/threads/speedup_lab_bg.wasm"))) {
    throw new Error("dist/ is missing: run `npm run build` (or `npm run bench -- --build`) first.");
  }
  const started = new Date();
  const date = started.toISOString().slice(0, 19).replace(/:/g, "-");
  const loadBefore = os.loadavg();
  log(
    `Speedup Lab benchmark (${s.mode}): perfect numbers below ${s.n}, ${s.workers} workers, median of ${s.reps} runs.`,
  );

  log("==> native Rust: cargo build --release --bin bench");
  const binary = buildNative(ROOT, env);
  log("==> native Rust: running");
  const native = runNative(binary, s);
  for (const build of LANES_BUILDS) {
    log(`==> native Rust, the division limit: lanes kernel built with -C target-cpu=${build.cpu}`);
    const lanesBinary = buildNative(ROOT, env, build.cpu);
    Object.assign(native.rows, runNativeLanes(lanesBinary, build, s));
  }

  log(`==> wasm and JavaScript in ${CHROMIUM} (headless)`);
  const browser = await launch();
  let pages;
  let browserRows;
  let overheads;
  let hardwareConcurrency;
  let forest; // the random-forest lesson's rows (bench/forest.mjs)
  let pyodide = null; // the python card's runtime (bench/pyodide.mjs)
  const problems = [];
  try {
    pages = await openBenchPages(browser, DIST);
    hardwareConcurrency = await pages.threads.page.evaluate(() => navigator.hardwareConcurrency);
    browserRows = await runBrowserPerfect(pages, { ...s, log });
    log("==> overheads: cold loads, spawn, pool-map-sleep, sizes");
    overheads = await runOverheads(browser, pages, DIST, { reps: s.overheadReps, spawnTasks: s.spawnTasks, log });
    forest = await runForest({
      root: ROOT,
      env,
      pages,
      reps: s.reps,
      python: s.python,
      quick: s.mode === "quick",
      log,
    });
    for (const tab of [pages.threads, pages.processes, pages.js]) {
      // The processes page blocks service workers on purpose (isolate.js would re-add isolation).
      problems.push(...tab.problems.filter((p) => !p.includes(EXPECTED_WARNING)));
    }
    // The other pages close first: their engines' Workers and memory stay out of the Python
    // section, which measures on a fresh page as a reader's Python card would run.
    await pages.close();
    pages = null;
    if (s.python) {
      log(
        "==> CPython in the browser (the python card's Pyodide, a fresh page): loop, Pool(2).map, spawn cost, ÷ Rust",
      );
      pyodide = await runPyodideFresh(browser, DIST, { reps: s.pythonReps, log, rungs: s.mode !== "quick" });
      problems.push(...pyodide.problems);
    }
  } finally {
    await pages?.close();
    await browser.close();
  }

  let python = { skipped: "skipped with --no-python." };
  if (s.python) {
    log(
      `==> CPython: the guide's three programs (${s.pythonReps} runs each; one process per number at N = ${s.spawnN})`,
    );
    python = runPython({ n: s.n, spawnN: s.spawnN, reps: s.pythonReps });
    if (python.skipped) log(`  ${python.skipped}`);
  }

  const rows = { ...native.rows, ...browserRows, ...(python.rows ?? {}) };
  const ratioList = ratios(rows);
  const notes = [
    "Every time is the median of several runs, after one untimed warm-up run per configuration (CPython: no warm-up); every ratio divides two medians, and its range divides the extremes (lowest ÷ highest to highest ÷ lowest).",
    "wasm and JavaScript are timed inside their Worker, next to the work; native Rust by the trace of the same crate.",
    `One process per number starts N − 1 processes, so CPython runs it at N = ${s.spawnN}, beside its own loop at that N.`,
    "Cold loads use a fresh browser context each (empty cache), on localhost.",
  ];
  if (python.skipped) notes.push(`CPython: ${python.skipped}`);
  if (problems.length) notes.push(`Console problems seen: ${problems.join(" | ")}`);
  const result = {
    schema: 1,
    date,
    startedAt: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    mode: s.mode,
    n: s.n,
    reps: s.reps,
    pythonReps: s.pythonReps,
    spawnN: s.spawnN,
    workers: s.workers,
    machine: {
      cores: s.cores,
      hardwareConcurrency,
      cpu: os.cpus()[0]?.model ?? "unknown",
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverage: { before: loadBefore, after: os.loadavg() },
      chromium: version(CHROMIUM, ["--version"]),
      rustc: version("rustc", ["--version"]),
      wasmBindgen: version("wasm-bindgen", ["--version"]),
      node: process.version,
      python: python.info ? `${python.info.implementation} ${python.info.version}` : null,
      pythonStartMethod: python.info?.startMethod ?? null,
      nativePoolSize: native.poolSize,
    },
    git: gitState(),
    // Which build was measured: dist/ is rebuilt only by `npm run build`, `npm test` or --build.
    dist: { threadsWasmModified: statSync(join(DIST, "www/pkg/threads/speedup_lab_bg.wasm")).mtime.toISOString() },
    perfect: { expected: [6, 28, 496, 8128].filter((p) => p < s.n), rows },
    ratios: ratioList,
    overheads,
    forest,
    pyodide: pyodide && { rows: pyodide.rows, info: pyodide.info, ratios: pyodideRatios(pyodide.rows) },
    targets: targets({ ratios: ratioList, overheads, cores: s.cores, pythonSkipped: python.skipped }),
    notes,
  };

  mkdirSync(s.out, { recursive: true });
  const base = join(s.out, `${date}${s.mode === "quick" ? "-quick" : ""}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.html`, reportHtml(result));

  const m = result.machine;
  console.log(
    `\nSpeedup Lab benchmark ${date} · ${m.cores} cores (${m.cpu}) · ${m.chromium} · ${m.rustc} · Node ${m.node} · ${m.python ?? "no python3"}`,
  );
  console.log(
    `Perfect numbers below ${s.n.toLocaleString("en-US")}, median of ${s.reps} runs (CPython ${s.pythonReps}):\n`,
  );
  for (const table of [
    perfectTable(result),
    ratioTable(result),
    limitTable(result),
    overheadTable(result),
    beforeRunTable(result),
    targetTable(result),
  ]) {
    console.log(`${textTable(table)}\n`);
  }
  console.log(`${textTable(forestTable(forest))}\n`);
  if (pyodide) console.log(`${pyodideLines(pyodide).join("\n")}\n`);
  for (const note of notes) console.log(`· ${note}`);
  console.log(
    `\nWrote ${relative(ROOT, `${base}.json`)} and ${relative(ROOT, `${base}.html`)} in ${result.seconds} s.`,
  );
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
