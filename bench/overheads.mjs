/**
 * The overheads around the work, measured in the same Chromium:
 *  - cold page loads (a fresh browser context each, so nothing is cached): the threads pool's
 *    start-up (`bootMs`: wasm init + initThreadPool), index.html to its first engine result, and
 *    embed.html with an autorun card to its first drawn chart;
 *  - what a reader who never presses Run pays (bench/page-cost.mjs): the hosted page, an article
 *    with the 11 lessons as custom elements and one with the 11 lessons as iframes — bytes
 *    (gzipped file by file; the hosted page's is the page weight), Workers, requests, main-thread
 *    time;
 *  - one Worker spawn + wasm instantiation (`spawn-per-task` over tiny numbers on 1 worker);
 *  - `pool-map-sleep` against its ideal 15 units;
 *  - the three .wasm files, the forest's dataset (fetched only when its card runs) and the python
 *    card's editor (fetched only when opened or run), raw and gzipped.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { articleServer } from "../scripts/lib/article-server.mjs";
import { CHUNK_DIR } from "../scripts/lib/bundle.mjs";
import { openPage } from "../scripts/lib/chromium.mjs";
import { ROOT } from "../scripts/lib/site.mjs";
import { engineRun } from "./browser.mjs";
import { pageCost } from "./page-cost.mjs";
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

/**
 * The python card's editor as shipped in dist/: the bundle's lazy chunk of www/python/code-editor.js
 * (CodeMirror from www/vendor/codemirror.js, scripts/vendor.mjs, and the card's code around it) and
 * its stylesheet. Fetched only when a reader opens the editor or runs a program, so not part of the
 * page weight; reported beside it.
 */
export function editorSize(distDir) {
  const chunks = join(distDir, "www", CHUNK_DIR);
  const chunk = readdirSync(chunks).find((f) => /^code-editor-.*\.js$/.test(f));
  if (!chunk) throw new Error(`no code-editor chunk in ${chunks}: is dist/ built (node scripts/dist.mjs)?`);
  const js = sizeOf(join(chunks, chunk));
  const css = sizeOf(join(distDir, "www/python/code-editor.css"));
  return {
    path: `www/${CHUNK_DIR}/${chunk} + www/python/code-editor.css`,
    bytes: js.bytes + css.bytes,
    gzipBytes: js.gzipBytes + css.gzipBytes,
  };
}

/** The random forest's dataset as shipped in dist/: not part of the page weight (the card fetches
 * it when it runs), reported beside it. */
export function datasetSize(distDir) {
  return sizeOf(join(distDir, "www/data/digits.bin"));
}

/**
 * The pages whose cost before a Run is measured: the hosted page, and an ordinary article on
 * another origin (no isolation header) with every lesson once — as custom elements, and as iframes
 * (each isolates itself with Document-Isolation-Policy). The articles are the fixtures the browser
 * test tests/browser/page-cost.test.mjs counts Workers on.
 */
export const BEFORE_RUN_PAGES = {
  hosted: { label: "index.html (the hosted page, 12 cards)", path: "/index.html" },
  articleElements: {
    label: "article, 11 speedup-lab elements",
    article: join(ROOT, "tests/browser/fixtures/article-11-widgets.html"),
  },
  articleFrames: {
    label: "article, 11 iframe embeds",
    article: join(ROOT, "tests/browser/fixtures/article-11-iframes.html"),
  },
};

/** What each of `BEFORE_RUN_PAGES` costs before its first Run (one cold load each). */
export async function beforeRun(browser, labServer, distDir) {
  const out = {};
  for (const [id, p] of Object.entries(BEFORE_RUN_PAGES)) {
    const article = p.article ? await articleServer(labServer.url, p.article) : null;
    try {
      const url = article ? `${article.url}/article.html` : `${labServer.url}${p.path}`;
      const c = await pageCost(browser, url, { labServer, labRoot: distDir });
      out[id] = {
        label: p.label,
        workers: c.workers,
        documentWorkers: c.documentWorkers,
        workerUrls: c.workerUrls,
        requests: c.requests,
        labRequests: c.labRequests,
        weight: c.weight,
        loadMs: c.loadMs,
        longTaskMs: c.longTaskMs,
        taskMs: c.taskMs,
        settleMs: c.settleMs,
      };
    } finally {
      await article?.close();
    }
  }
  return out;
}

/**
 * One cold load of index.html: boot time and first result. The first run starts from an init
 * script at the page's `load` event, as a reader's click would at the earliest: started from the
 * harness after `goto` returns, it would also count Playwright's round trips (≈ 150 ms on a
 * loaded machine, seen in a timeline of this load), which no reader pays.
 */
export async function coldIndex(browser, url) {
  const context = await browser.newContext();
  await context.addInitScript((spec) => {
    addEventListener("load", async () => {
      try {
        const { getEngine } = await import("/www/engine/client.js");
        const engine = getEngine("threads");
        const info = await engine.boot();
        const trace = await engine.run(spec);
        // performance.now() counts from the navigation's start: page load to first result.
        globalThis.benchFirst = { firstResultMs: performance.now(), bootMs: info.bootMs, results: trace.results };
      } catch (e) {
        globalThis.benchFirst = { error: String(e?.message ?? e) };
      }
    });
  }, FIRST_SPEC);
  try {
    const { page } = await openPage(context, `${url}/index.html`);
    await page.waitForFunction(() => globalThis.benchFirst, null, { timeout: 60_000 });
    const out = await page.evaluate(() => globalThis.benchFirst);
    if (out.error) throw new Error(`first result: ${out.error}`);
    checkPerfect("first result", FIRST_SPEC.n, out.results);
    return out;
  } finally {
    await context.close();
  }
}

/** One cold load of embed.html with an autorun card, to its first `speedup-lab:done`. */
export async function coldChart(browser, url) {
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
  for (let r = 1; r <= reps; r++) {
    const cold = await coldIndex(browser, pages.isolatedUrl);
    boot.push(cold.bootMs);
    first.push(cold.firstResultMs);
    chart.push(await coldChart(browser, pages.isolatedUrl));
    log(
      `  cold load ${r}/${reps}: boot ${cold.bootMs.toFixed(0)} ms, first result ${cold.firstResultMs.toFixed(0)} ms, first chart ${chart.at(-1).toFixed(0)} ms`,
    );
  }

  const costs = await beforeRun(browser, pages.isolated, distDir);
  for (const c of Object.values(costs)) {
    log(
      `  before Run, ${c.label}: ${(c.weight.gzipBytes / 1000).toFixed(1)} kB gz in ${c.weight.files} files, ${c.workers} Workers, ${c.requests} requests, long tasks ${c.longTaskMs.toFixed(0)} ms`,
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
    // The page weight: what the hosted page fetches before its first Run (no dataset, no Worker
    // unless the runtime starts one unasked).
    pageWeight: costs.hosted.weight,
    beforeRun: costs,
    dataset: { path: "www/data/digits.bin", ...datasetSize(distDir) },
    editor: editorSize(distDir),
  };
}
