/**
 * CPython in the browser (the python card's runtime: Pyodide, one Web Worker and interpreter per
 * process, www/python/) on the isolated bench page: perfect numbers below N = 10 000 as a loop
 * and with a started Pool(2).map (the pool's start-up timed apart), the spawn cost of one
 * process, the interpreter's boot with and without the memory snapshot, and the same loop in the
 * lab's Rust (wasm), so that the bench prints the Pool speedup, the spawn cost and the ratio
 * CPython-in-browser ÷ Rust. Also the size of what a Python card fetches (the vendored files).
 *
 * Usage from bench/run.mjs: `await runPyodideFresh(browser, distDir, { reps, log })` → `{ rows, info }`,
 * or alone: `node bench/pyodide.mjs [--reps R]`. Both measure on a page of their own, opened after
 * the bench's other pages are closed: the machine state a reader has when they run a Python card.
 */

import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { PYODIDE_FILES } from "../scripts/lib/site.mjs";
import { PYODIDE_VERSION } from "../www/python/pyodide-version.js";
import { engineRun } from "./browser.mjs";
import { rungLines as rungLinesOf } from "./python-rungs.mjs";
import { summarize } from "./stats.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PY_N = 10_000;

/** The guide's is_perfect, timed inside the main program (perf_counter), as JSON on the last line. */
const PROGRAM = `import json, time, multiprocessing

def is_perfect(n):
    sum_factors = 0
    for i in range(1, n):
        if n % i == 0:
            sum_factors = sum_factors + i
    return n if sum_factors == n else None

def who(_):
    time.sleep(0.05)
    return multiprocessing.current_process().name

if __name__ == "__main__":  # each pool process imports this script: it must not run the loop
    N = ${PY_N}
    t0 = time.perf_counter()
    loop = [k for k in range(1, N) if is_perfect(k)]
    t1 = time.perf_counter()
    pool = multiprocessing.Pool(2)
    while len(set(pool.map(who, range(2), chunksize=1))) < 2:
        pass
    t2 = time.perf_counter()
    found = [k for k in pool.map(is_perfect, range(1, N)) if k]
    t3 = time.perf_counter()
    pool.terminate()
    assert loop == found == [6, 28, 496, 8128], (loop, found)
    print(json.dumps({"loopMs": (t1 - t0) * 1e3, "startMs": (t2 - t1) * 1e3, "mapMs": (t3 - t2) * 1e3}))
`;

/** One run of PROGRAM in `page`: its own timings plus the boots session.js recorded. */
function runOnce(page) {
  return page.evaluate(async (source) => {
    const { runPython } = await import("/www/python/session.js");
    const lines = [];
    const summary = await runPython(source, { cores: navigator.hardwareConcurrency, onLine: (l) => lines.push(l) });
    if (summary.exitcode !== 0) throw new Error(lines.map((l) => l.text).join("\n"));
    const main = summary.processes.find((p) => p.kind === "main");
    const kids = summary.processes.filter((p) => p.kind !== "main").map((p) => p.bootMs);
    return { ...JSON.parse(lines.at(-1).text), mainBootMs: main.bootMs, childBootMs: kids };
  }, PROGRAM);
}

/** Sizes of the vendored interpreter: raw and gzipped, bytes. */
export function pyodideSizes() {
  const dir = join(ROOT, "www", "vendor", "pyodide", PYODIDE_VERSION);
  let raw = 0;
  let gz = 0;
  for (const f of PYODIDE_FILES) {
    raw += statSync(join(dir, f)).size;
    gz += gzipSync(readFileSync(join(dir, f))).length;
  }
  return { raw, gzipped: gz };
}

export async function runPyodide(page, { reps = 3, log = console.error } = {}) {
  const runs = [];
  for (let r = 0; r < reps + 1; r++) {
    const run = await runOnce(page);
    log(
      `  pyodide run ${r + 1}/${reps + 1}${r === 0 ? " (first: boots without a snapshot)" : ""}: loop ${Math.round(run.loopMs)} ms, Pool(2) start ${Math.round(run.startMs)} ms, map ${Math.round(run.mapMs)} ms`,
    );
    runs.push(run);
  }
  const [first, ...rest] = runs;
  const rust = [];
  for (let r = 0; r < reps; r++) {
    const t = await engineRun(page, "threads", { workload: "perfect", n: PY_N, strategy: "sequential", workers: 1 });
    rust.push(t.totalMs);
  }
  const row = (label, strategy, workers, values) => ({
    label,
    platform: "pyodide",
    strategy,
    n: PY_N,
    workers,
    ...summarize(values),
  });
  return {
    info: { coldBootMs: first.mainBootMs, sizes: pyodideSizes() },
    rows: {
      "pyodide-loop": row(
        "CPython in the browser (Pyodide), the guide's loop",
        "sequential",
        1,
        rest.map((x) => x.loopMs),
      ),
      "pyodide-pool-map": row(
        "CPython in the browser, a started Pool(2).map",
        "pool-map",
        2,
        rest.map((x) => x.mapMs),
      ),
      "pyodide-pool-start": row(
        "CPython in the browser, Pool(2) start-up (2 interpreters)",
        "start",
        2,
        rest.map((x) => x.startMs),
      ),
      "pyodide-spawn": row(
        "CPython in the browser, one process's interpreter start (snapshot)",
        "spawn",
        1,
        rest.flatMap((x) => x.childBootMs),
      ),
      "pyodide-boot-snapshot": row(
        "CPython in the browser, main interpreter start from the snapshot",
        "boot",
        1,
        rest.map((x) => x.mainBootMs),
      ),
      "pyodide-rust-loop": {
        label: "the lab's Rust (wasm), the same loop, same page",
        platform: "wasm",
        strategy: "sequential",
        n: PY_N,
        workers: 1,
        ...summarize(rust),
      },
    },
  };
}

/**
 * The section on a fresh isolated page of its own (own server and browser context), closed after:
 * nothing else of the bench shares the page or runs beside it. The load average before and after
 * goes with the figures, since the Pool's speedup needs the cores free.
 */
export async function runPyodideFresh(browser, distDir, { reps = 3, log = console.error, rungs = true } = {}) {
  const { openPage } = await import("../scripts/lib/chromium.mjs");
  const { serve } = await import("../scripts/lib/static-server.mjs");
  const server = await serve({ root: distDir, dev: false, isolation: true });
  const loadBefore = os.loadavg();
  let tab;
  try {
    tab = await openPage(browser, `${server.url}/index.html`);
    const out = await runPyodide(tab.page, { reps, log });
    out.info.loadAverage = { before: loadBefore, after: os.loadavg() };
    if (rungs) {
      // Each rung of the blocking ladder, side by side (not in --quick: a minute more, and the
      // quick run only proves the harness).
      const { runPythonRungs } = await import("./python-rungs.mjs");
      out.info.rungs = await runPythonRungs(tab.page, { n: PY_N, log });
    }
    return { ...out, problems: tab.problems };
  } finally {
    await tab?.context.close();
    await server.close();
  }
}

/** Ratios of this module's rows (medians): the Pool speedup and CPython-in-browser ÷ Rust. */
export function pyodideRatios(rows) {
  const m = (id) => rows[id].medianMs;
  return {
    poolSpeedup: m("pyodide-loop") / m("pyodide-pool-map"),
    pyodideOverRust: m("pyodide-loop") / m("pyodide-rust-loop"),
  };
}

/** The lines the bench prints for this module's result (`runPyodide`'s, with its ratios). */
export function pyodideLines({ rows, info }) {
  const ratios = pyodideRatios(rows);
  return [
    ...Object.entries(rows).map(
      ([id, r]) => `${id.padEnd(24)} median ${r.medianMs.toFixed(0).padStart(6)} ms  ${r.label}`,
    ),
    `Pool(2).map speedup over the loop (start-up apart): ${ratios.poolSpeedup.toFixed(2)}×${info.loadAverage ? ` (load average ${info.loadAverage.before[0].toFixed(1)} before, ${info.loadAverage.after[0].toFixed(1)} after)` : ""}`,
    `CPython in the browser ÷ the lab's Rust (loop): ${ratios.pyodideOverRust.toFixed(0)}×`,
    `first (cold) main interpreter start, no snapshot: ${Math.round(info.coldBootMs)} ms`,
    `vendored Pyodide: ${(info.sizes.raw / 1e6).toFixed(1)} MB, ${(info.sizes.gzipped / 1e6).toFixed(1)} MB gzipped`,
    ...(info.rungs ? rungLinesOf(info.rungs) : []),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { launch } = await import("../scripts/lib/chromium.mjs");
  const reps = Number(process.argv[process.argv.indexOf("--reps") + 1]) || 3;
  const browser = await launch();
  try {
    const out = await runPyodideFresh(browser, join(ROOT, "dist"), { reps });
    for (const line of pyodideLines(out)) console.log(line);
    if (out.problems.length) console.log(`console problems: ${out.problems.join(" | ")}`);
  } finally {
    await browser.close();
  }
}
