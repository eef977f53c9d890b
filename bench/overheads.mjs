/**
 * The overheads around the work, measured in the same Chromium:
 *  - cold page loads (a fresh browser context each, so nothing is cached): the threads pool's
 *    start-up (`bootMs`: wasm init + initThreadPool), index.html to its first engine result, and
 *    embed.html with an autorun card to its first drawn chart;
 *  - what those loads fetched, gzipped file by file (the page weight);
 *  - one Worker spawn + wasm instantiation (`spawn-per-task` over tiny numbers on 1 worker);
 *  - `pool-map-sleep` against its ideal 15 units;
 *  - the three .wasm files and the forest's dataset (fetched only when its card runs), raw and
 *    gzipped.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { openPage } from "../scripts/lib/chromium.mjs";
import { engineRun } from "./browser.mjs";
import { checkPerfect, summarize } from "./stats.mjs";

/** A tiny first job: what a reader's first click costs beyond the start-up. */
const FIRST_SPEC = { workload: "perfect", n: 1000, strategy: "sequential", workers: 1 };
/** The lesson `pool-map-sleep`: a pool of 5 maps sleep over 1..10 units, FIFO; ideal = 15 units. */
const SLEEP_UNIT_MS = 100;
const SLEEP_SPEC = {
  workload: "sleep",
  units: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  unitMs: SLEEP_UNIT_MS,
  strategy: "pool-map",
  workers: 5,
  chunksize: 1,
};
/** The autorun card whose first chart is timed: a sleep lesson with a 1 ms unit is all overhead. */
const FIRST_CHART_PATH = "/embed.html?experiment=sleep-seq&unit-ms=1&autorun";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Raw and gzip -9 sizes of a file. */
export function sizeOf(file) {
  const bytes = readFileSync(file);
  return { bytes: bytes.length, gzipBytes: gz(bytes) };
}

/** The wasm builds as shipped in dist/ (plain-forest: only the forest's processes load it). */
export function wasmSizes(distDir) {
  return {
    threads: sizeOf(join(distDir, "www/pkg/threads/speedup_lab_bg.wasm")),
    plain: sizeOf(join(distDir, "www/pkg/plain/speedup_lab_bg.wasm")),
    plainForest: sizeOf(join(distDir, "www/pkg/plain-forest/speedup_lab_bg.wasm")),
  };
}

/** The random forest's dataset as shipped in dist/: not part of the page weight (the card fetches
 * it when it runs), reported beside it. */
export function datasetSize(distDir) {
  return sizeOf(join(distDir, "www/data/digits.bin"));
}

/** Sum of what `urls` fetched from `origin`, each distinct file once, gzipped one by one. */
export function pageWeight(urls, origin, distDir) {
  const files = [
    ...new Set(urls.filter((u) => u.startsWith(origin)).map((u) => new URL(u).pathname.replace(/\/$/, "/index.html"))),
  ].sort();
  let bytes = 0;
  let gzipBytes = 0;
  const list = [];
  for (const path of files) {
    const file = join(distDir, path);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    const s = sizeOf(file);
    bytes += s.bytes;
    gzipBytes += s.gzipBytes;
    list.push({ path, ...s });
  }
  return { files: list.length, bytes, gzipBytes, list };
}

/** One cold load of index.html: boot time, first result and everything fetched on the way. */
async function coldIndex(browser, url) {
  const { context, page, requests } = await openPage(browser, `${url}/index.html`);
  try {
    const out = await page.evaluate(async (spec) => {
      const { getEngine } = await import("/www/engine/client.js");
      const engine = getEngine("threads");
      const info = await engine.ready;
      const trace = await engine.run(spec);
      // performance.now() counts from the navigation's start: page load to first result.
      return { firstResultMs: performance.now(), bootMs: info.bootMs, results: trace.results };
    }, FIRST_SPEC);
    checkPerfect("first result", FIRST_SPEC.n, out.results);
    await page.waitForLoadState("networkidle");
    return { ...out, requests: [...requests] };
  } finally {
    await context.close();
  }
}

/**
 * One cold load of index.html left alone: what it fetches and how many Workers it starts before
 * anyone presses Run (nothing should start: the engine boots on the first Run).
 */
async function coldBeforeRun(browser, url) {
  const { context, page, requests } = await openPage(browser, null);
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  try {
    await page.goto(`${url}/index.html`);
    await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(1000); // anything started on idle shows by now
    return { requests: [...requests], workers: workers.length };
  } finally {
    await context.close();
  }
}

/** One cold load of embed.html with an autorun card, to its first `speedup-lab:done`. */
async function coldChart(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    addEventListener("speedup-lab:done", () => {
      globalThis.benchFirstDone ??= performance.now();
    });
    addEventListener("speedup-lab:error", (e) => {
      globalThis.benchError ??= String(e.detail);
    });
  });
  try {
    const { page } = await openPage(context, `${url}${FIRST_CHART_PATH}`);
    await page.waitForFunction(() => globalThis.benchFirstDone || globalThis.benchError, null, { timeout: 60_000 });
    const { done, error, isolated } = await page.evaluate(() => ({
      done: globalThis.benchFirstDone,
      error: globalThis.benchError,
      isolated: globalThis.crossOriginIsolated,
    }));
    if (error) throw new Error(`first chart: the card failed: ${error}`);
    if (!isolated) throw new Error("first chart: embed.html was not cross-origin isolated");
    return done;
  } finally {
    await context.close();
  }
}

/** Every overhead; `page` is the open threads page (warm) for spawn and sleep. */
export async function runOverheads(browser, pages, distDir, { reps, spawnTasks, log }) {
  const boot = [];
  const first = [];
  const chart = [];
  let weight = null;
  let idle = null; // index.html before its first Run
  for (let r = 1; r <= reps; r++) {
    const cold = await coldIndex(browser, pages.isolatedUrl);
    boot.push(cold.bootMs);
    first.push(cold.firstResultMs);
    weight ??= pageWeight(cold.requests, pages.isolatedUrl, distDir);
    if (!idle) {
      const before = await coldBeforeRun(browser, pages.isolatedUrl);
      idle = { ...pageWeight(before.requests, pages.isolatedUrl, distDir), workers: before.workers };
    }
    chart.push(await coldChart(browser, pages.isolatedUrl));
    log(
      `  cold load ${r}/${reps}: boot ${cold.bootMs.toFixed(0)} ms, first result ${cold.firstResultMs.toFixed(0)} ms, first chart ${chart.at(-1).toFixed(0)} ms`,
    );
  }

  const { page } = pages.threads;
  const spawnSpec = { workload: "perfect", n: spawnTasks + 1, strategy: "spawn-per-task", workers: 1 };
  await engineRun(page, "threads", spawnSpec); // warm: the plain module is compiled once per coordinator
  const spawn = [];
  const sleep = [];
  for (let r = 1; r <= reps; r++) {
    const s = await engineRun(page, "threads", spawnSpec);
    checkPerfect("spawn-per-task", spawnSpec.n, s.results);
    spawn.push(s.totalMs / spawnTasks);
    const z = await engineRun(page, "threads", SLEEP_SPEC);
    if (z.results.length !== SLEEP_SPEC.units.length) throw new Error("pool-map-sleep lost tasks");
    sleep.push(z.totalMs);
    log(`  spawn ${r}/${reps}: ${spawn.at(-1).toFixed(1)} ms per worker; pool-map-sleep ${z.totalMs.toFixed(0)} ms`);
  }
  const idealMs = 15 * SLEEP_UNIT_MS;
  const sleepRow = summarize(sleep);
  return {
    threadsBoot: { label: "threads pool start-up (wasm init + initThreadPool), cold", ...summarize(boot) },
    spawnPerWorker: {
      label: `one Worker spawn + wasm instantiation (spawn-per-task over ${spawnTasks} tiny tasks, 1 worker)`,
      tasks: spawnTasks,
      ...summarize(spawn),
    },
    poolMapSleep: {
      label: "pool-map-sleep (5 workers, sleeps of 1..10 units, unit 100 ms; ideal 15 units)",
      unitMs: SLEEP_UNIT_MS,
      idealMs,
      offByPct: ((sleepRow.medianMs - idealMs) / idealMs) * 100,
      ...sleepRow,
    },
    firstResult: { label: "index.html, cold, to its first engine result (N = 1 000)", ...summarize(first) },
    firstChart: { label: "embed.html with an autorun card, cold, to its first chart", ...summarize(chart) },
    wasm: wasmSizes(distDir),
    pageWeight: weight,
    beforeRun: idle,
    dataset: { path: "www/data/digits.bin", ...datasetSize(distDir) },
  };
}
