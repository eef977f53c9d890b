/**
 * How fast Python starts in the lab against CPython on the same machine (issue 26), from the
 * programs' own clocks: a Process start + join (seven in a row), a Pool(2) start + map + close
 * (three in a row) — under CPython with spawn and with fork, and in the python card (the lab's
 * page, shared memory) on a first and a second Run of the page; the first printed line of the
 * guide's first program after Run (cold: a fresh page, Pyodide fetched and compiled; and on a
 * second Run); the memory each interpreter held. A benchmark, not a test: one run each, medians
 * with their min–max, on a noisy machine.
 *
 *   node bench/python-start.mjs
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage } from "../scripts/lib/chromium.mjs";
import { serve } from "../scripts/lib/static-server.mjs";
import { SNIPPETS } from "../www/python/snippets.js";

const PROGRAM = (method) => `import json, time, multiprocessing as mp

def f(x=None):
    return x

if __name__ == "__main__":
    ${method ? `mp.set_start_method(${JSON.stringify(method)}, force=True)` : "pass"}
    out = {"process": [], "pool": []}
    for _ in range(7):
        t0 = time.perf_counter()
        p = mp.Process(target=f); p.start(); p.join()
        out["process"].append((time.perf_counter() - t0) * 1e3)
    for _ in range(3):
        t0 = time.perf_counter()
        with mp.Pool(2) as pool:
            pool.map(f, range(2))
        out["pool"].append((time.perf_counter() - t0) * 1e3)
    print(json.dumps(out))
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

function cpython(method) {
  const dir = mkdtempSync(join(tmpdir(), "lab-start-"));
  const file = join(dir, "start.py");
  writeFileSync(file, PROGRAM(method));
  return JSON.parse(execFileSync("python3", [file]).toString().trim().split("\n").at(-1));
}

/** One Run of `source` in the page: ms from Run to the first printed line, the lines, the summary. */
function runInPage(page, source) {
  return page.evaluate(async (source) => {
    const { runPython } = await import("/www/python/session.js");
    const lines = [];
    const t0 = performance.now();
    let first = null;
    const summary = await runPython(source, {
      cores: navigator.hardwareConcurrency,
      onLine: (l) => {
        first ??= performance.now() - t0;
        lines.push(l.text);
      },
    });
    return {
      first,
      last: lines.at(-1),
      exitcode: summary.exitcode,
      memory: summary.processes.map((p) => p.peakMemoryBytes ?? 0),
      warm: summary.processes.filter((p) => p.warm).length,
      children: summary.processes.length - 1,
    };
  }, source);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = execFileSync("python3", ["--version"]).toString().trim();
  const spawn = cpython("spawn");
  const fork = cpython("fork");
  const server = await serve({ isolation: true });
  const browser = await launch();
  try {
    const { page } = await openPage(browser, `${server.url}/`);
    const guide = SNIPPETS[0].code;
    const coldGuide = await runInPage(page, guide);
    const secondGuide = await runInPage(page, guide);
    const runs = [await runInPage(page, PROGRAM(null)), await runInPage(page, PROGRAM(null))];
    for (const r of [coldGuide, secondGuide, ...runs]) if (r.exitcode !== 0) throw new Error(`a run failed: ${r.last}`);
    const lab = runs.map((r) => JSON.parse(r.last));
    console.log(`| start | ${version}, spawn | ${version}, fork | lab, a Run | lab, another Run |`);
    console.log("|---|---|---|---|---|");
    for (const [k, label] of [
      ["process", "Process start + join, 7 in a row: median (min–max)"],
      ["pool", "Pool(2) start + map + close, 3 in a row"],
    ]) {
      console.log(
        `| ${label} | ${spread(spawn[k])} | ${spread(fork[k])} | ${spread(lab[0][k])} | ${spread(lab[1][k])} |`,
      );
    }
    console.log(
      `| first printed line of the guide's first program after Run | | | ${Math.round(coldGuide.first)} ms (a fresh page: Pyodide fetched and compiled) | ${Math.round(secondGuide.first)} ms |`,
    );
    const mem = runs.flatMap((r) => r.memory).filter((b) => b > 0);
    console.log(
      `| memory per interpreter (wasm memory, peak) | | | ${(median(mem) / 2 ** 20).toFixed(0)} MB median (${(Math.min(...mem) / 2 ** 20).toFixed(0)}–${(Math.max(...mem) / 2 ** 20).toFixed(0)}) | |`,
    );
    console.log(
      `| processes handed an interpreter booted ahead | | | ${runs[0].warm} of ${runs[0].children} | ${runs[1].warm} of ${runs[1].children} |`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}
