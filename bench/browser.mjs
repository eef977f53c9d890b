/**
 * wasm in headless Chromium, through the lab's real engines, and the same naive loop in plain
 * JavaScript in a Worker. Three pages stay open for the whole phase:
 *  - dist/ served with the isolation headers: the threads engine (one shared-memory module,
 *    rayon on Web Workers), for `sequential`, `pool-map` and `work-stealing`;
 *  - dist/ without them, service workers blocked (else isolate.js would re-add them): the
 *    processes engine (plain wasm instances in separate Workers), as on a page that cannot share
 *    memory;
 *  - bench/web/, the page that starts bench/web/js-loop-worker.mjs.
 * Every config runs once untimed (the first wasm run in a page is ~20 % slower while V8 tiers
 * up), then the reps go round-robin over the configs, so noise from elsewhere on the machine
 * lands on all of them alike. Times are the ones taken inside the Worker, next to the work.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { contextWithoutServiceWorkers, openPage } from "../scripts/lib/chromium.mjs";
import { serve } from "../scripts/lib/static-server.mjs";
import { checkPerfect, summarize } from "./stats.mjs";

const WEB = join(dirname(fileURLToPath(import.meta.url)), "web");

/** Run `spec` on the page's engine of `kind`; resolves with the parts of the trace we need. */
export function engineRun(page, kind, spec) {
  return page.evaluate(
    async ({ kind, spec }) => {
      const { getEngine } = await import("/www/engine/client.js");
      const engine = getEngine(kind);
      const info = await engine.boot();
      const trace = await engine.run(spec);
      return { totalMs: trace.totalMs, results: trace.results, workers: trace.workers, bootMs: info.bootMs };
    },
    { kind, spec },
  );
}

/** Run the plain JavaScript loop once in the page's Worker (started on first use). */
function jsRun(page, n) {
  return page.evaluate(
    (n) =>
      new Promise((resolve, reject) => {
        globalThis.benchLoop ??= new Worker("/js-loop-worker.mjs", { type: "module" });
        globalThis.benchLoop.onmessage = ({ data }) => resolve(data);
        globalThis.benchLoop.onerror = (e) => reject(new Error(`js-loop-worker: ${e.message}`));
        globalThis.benchLoop.postMessage({ n });
      }),
    n,
  );
}

/** The three pages (and their servers); `close()` releases them all. */
export async function openBenchPages(browser, distDir) {
  const isolated = await serve({ root: distDir, dev: false, isolation: true });
  const plain = await serve({ root: distDir, dev: false, isolation: false });
  const web = await serve({ root: WEB, dev: false, isolation: false });
  const threads = await openPage(browser, `${isolated.url}/index.html`);
  const noSw = await contextWithoutServiceWorkers(browser);
  const processes = await openPage(noSw, `${plain.url}/index.html`);
  const js = await openPage(browser, `${web.url}/index.html`);
  const isolation = await threads.page.evaluate(() => globalThis.crossOriginIsolated);
  const notIsolated = await processes.page.evaluate(() => !globalThis.crossOriginIsolated);
  if (!isolation || !notIsolated) throw new Error("bench: the threads page must be isolated and the other not.");
  return {
    isolatedUrl: isolated.url,
    isolated, // the server itself: bench/page-cost.mjs counts what it answers
    threads,
    processes,
    js,
    async close() {
      for (const tab of [threads, processes, js]) await tab.context.close();
      for (const s of [isolated, plain, web]) await s.close();
    },
  };
}

/** The configs of the perfect-number table that run in the browser. */
function configs(pages, { n, workers }) {
  const perfect = (strategy, k, kernel) => ({ workload: "perfect", n, strategy, workers: k, kernel });
  const wasm = (page, kind, strategy, k, kernel) => () => engineRun(page, kind, perfect(strategy, k, kernel));
  return {
    "wasm-sequential": {
      label: "wasm, sequential (threads build)",
      platform: "wasm",
      strategy: "sequential",
      workers: 1,
      run: wasm(pages.threads.page, "threads", "sequential", 1),
    },
    "wasm-threads-pool-map": {
      label: "wasm, threads engine, pool-map",
      platform: "wasm",
      strategy: "pool-map",
      workers,
      run: wasm(pages.threads.page, "threads", "pool-map", workers),
    },
    "wasm-threads-work-stealing": {
      label: "wasm, threads engine, work-stealing",
      platform: "wasm",
      strategy: "work-stealing",
      workers,
      run: wasm(pages.threads.page, "threads", "work-stealing", workers),
    },
    // Beyond the guide, labelled as such: the same naive test in SIMD lanes (lanes × threads).
    "wasm-threads-work-stealing-lanes": {
      label: "beyond the guide: wasm threads work-stealing + SIMD lanes",
      platform: "wasm",
      strategy: "work-stealing",
      workers,
      run: wasm(pages.threads.page, "threads", "work-stealing", workers, "lanes"),
    },
    "wasm-sequential-lanes": {
      label: "beyond the guide: wasm sequential + SIMD lanes (one thread)",
      platform: "wasm",
      strategy: "sequential",
      workers: 1,
      run: wasm(pages.threads.page, "threads", "sequential", 1, "lanes"),
    },
    "wasm-processes-pool-map": {
      label: "wasm, processes engine, pool-map",
      platform: "wasm",
      strategy: "pool-map",
      workers,
      run: wasm(pages.processes.page, "processes", "pool-map", workers),
    },
    "wasm-plain-sequential": {
      label: "wasm, sequential (plain build, processes engine)",
      platform: "wasm",
      strategy: "sequential",
      workers: 1,
      run: wasm(pages.processes.page, "processes", "sequential", 1),
    },
    "js-loop": {
      label: "plain JavaScript loop, in a Worker",
      platform: "js",
      strategy: "sequential",
      workers: 1,
      run: () => jsRun(pages.js.page, n),
    },
  };
}

/** Warm up, then `reps` interleaved rounds; rows keyed by config id. */
export async function runBrowserPerfect(pages, { n, reps, workers, log }) {
  const all = configs(pages, { n, workers });
  const runs = Object.fromEntries(Object.keys(all).map((id) => [id, []]));
  for (let round = 0; round <= reps; round++) {
    for (const [id, config] of Object.entries(all)) {
      const out = await config.run();
      checkPerfect(id, n, out.results);
      if (round === 0) continue; // warm-up
      runs[id].push(out.totalMs);
      log(`  ${id} run ${round}/${reps}: ${out.totalMs.toFixed(0)} ms`);
    }
  }
  const rows = {};
  for (const [id, { run: _run, ...meta }] of Object.entries(all)) rows[id] = { ...meta, n, ...summarize(runs[id]) };
  return rows;
}
