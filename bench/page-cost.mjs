/**
 * What a page costs a reader who never presses Run (issue 15, point 4): bytes (gzipped), Workers,
 * requests and main-thread time from navigation until the page has settled. Shared by the
 * benchmark (bench/overheads.mjs) and tests/browser/page-cost.test.mjs.
 *
 * How each figure is counted, and why that way:
 *  - **Workers**: Chromium's DevTools Target domain, browser-wide, filtered to the page's own
 *    browser context. Playwright's `page.on("worker")` misses Workers started by Workers (the
 *    rayon pool is started by the threads coordinator) and Workers of cross-origin frames;
 *    the Target domain sees every dedicated Worker, wherever it was started. An init script that
 *    wraps `Worker` counts, as a cross-check, the Workers the documents themselves started.
 *  - **Requests and bytes**: counted at the lab's server (every request it answers, whoever made
 *    it: the page, a frame, a Worker, a Worker's Worker — a nested Worker's fetches bypass the
 *    page's request routing), plus the browser's own view of the article's requests. Bytes are the
 *    distinct files served, each gzipped at level 9 (what a compressing host sends), like the
 *    page-weight row (bench/overheads.mjs `pageWeight`).
 *  - **Main-thread ms**: long tasks (PerformanceObserver `longtask`, tasks over 50 ms, the time
 *    a reader's input may wait) summed over every frame; and the top document's whole main-thread
 *    busy time (`TaskDuration` from the DevTools Performance domain), which includes short tasks.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { sizeOf } from "./overheads.mjs";

/**
 * How long after the network has gone quiet a page is watched for more. An eager runtime starts
 * its Workers from `connectedCallback` and its pool once the coordinator's wasm has loaded: a
 * second covers that on an idle machine; three leave room for a loaded one (the issue's own
 * count was taken 8 s after load, by when nothing more had started).
 */
export const SETTLE_MS = 3000;

/** Runs in every frame before its scripts: counts the Workers a document starts, sums long tasks. */
function instrument() {
  globalThis.__pageCost = { workers: 0, longTaskMs: 0, longTasks: 0 };
  const Native = globalThis.Worker;
  if (Native) {
    globalThis.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        globalThis.__pageCost.workers++;
      }
    };
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        globalThis.__pageCost.longTaskMs += e.duration;
        globalThis.__pageCost.longTasks++;
      }
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No long-task timing in this browser: the sum stays 0 and the task duration still counts.
  }
}

/**
 * Watch every dedicated/shared Worker target Chromium creates in `context` (a Playwright
 * BrowserContext of `browser`). Resolves to `{ count(), urls(), stop() }`.
 */
async function watchWorkers(browser, context, page) {
  const cdp = await browser.newBrowserCDPSession();
  const pageCdp = await context.newCDPSession(page);
  const { targetInfo } = await pageCdp.send("Target.getTargetInfo");
  const contextId = targetInfo.browserContextId;
  await pageCdp.detach();
  const seen = new Map();
  const note = ({ targetInfo: t }) => {
    if (t.browserContextId !== contextId) return;
    if (t.type === "worker" || t.type === "shared_worker") seen.set(t.targetId, t.url);
  };
  cdp.on("Target.targetCreated", note);
  cdp.on("Target.targetInfoChanged", (e) => seen.has(e.targetInfo.targetId) && note(e));
  await cdp.send("Target.setDiscoverTargets", { discover: true });
  return {
    count: () => seen.size,
    urls: () => [...seen.values()],
    stop: () => cdp.detach().catch(() => {}),
  };
}

/** The requests a server answers, by path (query dropped), from now until `stop()`. */
export function watchServer(server) {
  const paths = [];
  const onRequest = (req) => paths.push(req.url.split("?")[0]);
  server.on("request", onRequest);
  return { paths, stop: () => server.off("request", onRequest) };
}

/** Each distinct file of `paths` (URL paths below `root`) once, gzipped file by file. */
export function weighPaths(paths, root) {
  let bytes = 0;
  let gzipBytes = 0;
  const list = [];
  for (const path of [...new Set(paths.map((p) => (p.endsWith("/") ? `${p}index.html` : p)))].sort()) {
    const file = join(root, decodeURIComponent(path));
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    const s = sizeOf(file);
    bytes += s.bytes;
    gzipBytes += s.gzipBytes;
    list.push({ path, ...s });
  }
  return { files: list.length, bytes, gzipBytes, list };
}

/**
 * Open `url` in a fresh context of `browser` (Chromium, playwright-core), wait for its load, for
 * the network to go quiet and `SETTLE_MS` more, and say what it cost. `labServer` is the
 * `serve()` result whose requests are counted and `labRoot` the folder it serves (for sizes).
 * Nothing is clicked.
 */
export async function pageCost(browser, url, { labServer, labRoot, settleMs = SETTLE_MS }) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const workers = await watchWorkers(browser, context, page);
  const served = watchServer(labServer.server);
  const pageWorkers = [];
  page.on("worker", (w) => pageWorkers.push(w.url()));
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const perf = await context.newCDPSession(page);
  await perf.send("Performance.enable"); // before navigation: its task counters start here
  try {
    await page.goto(url, { waitUntil: "load" });
    const loadMs = await page.evaluate(() => performance.now());
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(settleMs);
    let longTaskMs = 0;
    let longTasks = 0;
    let documentWorkers = 0;
    for (const frame of page.frames()) {
      const c = await frame.evaluate(() => globalThis.__pageCost).catch(() => null);
      if (!c) continue;
      longTaskMs += c.longTaskMs;
      longTasks += c.longTasks;
      documentWorkers += c.workers;
    }
    const { metrics } = await perf.send("Performance.getMetrics");
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? null;
    const weight = weighPaths(served.paths, labRoot);
    return {
      url,
      loadMs,
      workers: workers.count(),
      workerUrls: workers.urls(),
      documentWorkers,
      pageWorkers: pageWorkers.length,
      labRequests: served.paths.length,
      requests: requests.length,
      labPaths: served.paths,
      weight,
      longTaskMs,
      longTasks,
      taskMs: metric("TaskDuration") === null ? null : metric("TaskDuration") * 1000,
      frames: page.frames().length,
      settleMs,
    };
  } finally {
    served.stop();
    await workers.stop();
    await perf.detach().catch(() => {});
    await context.close();
  }
}
