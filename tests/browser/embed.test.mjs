// Embedding: dist/ with and without headers, from a sub-path, and an article on another origin
// that embeds the custom element (twice) and the iframe — and may read the widget's files and no
// others. Needs dist/ (npm test builds it first).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { articleServer } from "../../scripts/lib/article-server.mjs";
import { contextWithoutServiceWorkers, launch, openPage } from "../../scripts/lib/chromium.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { POOL_MAP_SLEEP_UNITS, within } from "./claims.mjs";

const DIST = join(ROOT, "dist");

let browser;
const servers = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

async function distServer(isolation) {
  const s = await serve({ root: DIST, isolation });
  servers.push(s);
  return s;
}

async function engineOf(page) {
  await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, { timeout: 30_000 });
  return page.locator("#isolation").evaluate((el) => ({ ...el.dataset }));
}

async function runPerfect(page, n) {
  return page.locator("speedup-lab#perfect").evaluate(async (el, n) => {
    el.setAttribute("n", String(n));
    el.setAttribute("workers", "2");
    await el.run();
    return Object.fromEntries(
      Object.entries(el.result.summary.traces).map(([k, t]) => [k, { results: t.results, engine: t.engine }]),
    );
  }, n);
}

test("dist/ served with headers runs the threads engine", async () => {
  const s = await distServer(true);
  const tab = await openPage(browser, `${s.url}/index.html`);
  const info = await engineOf(tab.page);
  assert.equal(info.engine, "threads");
  const traces = await runPerfect(tab.page, 3000);
  for (const t of Object.values(traces)) assert.deepEqual(t.results, [6, 28, 496]);
  assert.equal(traces["work-stealing"].engine, "threads");
  // the first Run booted the engine: its memory is shared
  assert.equal((await engineOf(tab.page)).sharedMemory, "true");
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});

test("dist/ without headers (and no service worker) runs the processes engine, same results", async () => {
  const s = await distServer(false);
  const context = await contextWithoutServiceWorkers(browser);
  const tab = await openPage(context, `${s.url}/index.html`);
  const info = await engineOf(tab.page);
  assert.equal(info.engine, "processes");
  const traces = await runPerfect(tab.page, 3000);
  assert.deepEqual(Object.keys(traces).sort(), ["pool-map", "sequential"]);
  for (const t of Object.values(traces)) {
    assert.deepEqual(t.results, [6, 28, 496]);
    assert.equal(t.engine, "processes");
  }
  const sleep = await tab.page.locator("speedup-lab#pool-map-sleep").evaluate(async (el) => {
    el.setAttribute("unit-ms", "40");
    const t = await el.run();
    return { units: t.totalMs / 40, engine: t.engine, workers: new Set(t.spans.map((s) => s.worker)).size };
  });
  assert.equal(sleep.engine, "processes");
  assert.equal(sleep.workers, 5);
  // start-no-join on processes: the timer stops at dispatch, before any task ends
  const noJoin = await tab.page.locator("speedup-lab#start-no-join").evaluate(async (el) => {
    el.setAttribute("unit-ms", "40");
    const t = await el.run();
    return {
      timerMs: el.result.summary.timerMs,
      units: t.totalMs / 40,
      firstEnd: Math.min(...t.spans.map((s) => s.end)),
    };
  });
  // The forgotten join: the timer stopped before any task ended; the two tasks ran side by side
  // (1 unit; one after the other would be 2).
  assert.ok(noJoin.timerMs < noJoin.firstEnd, `timer stopped at ${noJoin.timerMs} ms, first end ${noJoin.firstEnd}`);
  assert.ok(noJoin.units >= 1 && noJoin.units < 2, `${noJoin.units} units`);
  assert.ok(within(sleep.units, POOL_MAP_SLEEP_UNITS), `${sleep.units} units`);
  assert.deepEqual(tab.problems, []);
  await context.close();
});

test("dist/ without headers but with the service-worker fallback becomes isolated (threads), and stays so on reload", async () => {
  const s = await distServer(false);
  const context = await browser.newContext();
  // First visit: the fallback registers its worker, waits until it controls the page, reloads once.
  const tab = await openPage(context);
  let navigations = 0; // of the page itself (the first one may reload before it has loaded)
  tab.page.on("framenavigated", (frame) => {
    if (frame === tab.page.mainFrame()) navigations++;
  });
  await tab.page.goto(`${s.url}/index.html`);
  await tab.page.waitForFunction(() => crossOriginIsolated, null, { timeout: 20_000 });
  const info = await engineOf(tab.page);
  assert.equal(info.engine, "threads");
  const worker = await tab.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  assert.equal(worker, `${s.url}/coi-serviceworker.min.js`);
  assert.equal(navigations, 2, "one reload on the first visit");
  // A reload (a later visit): controlled from the start, isolated at once, no further reload.
  await tab.page.reload();
  assert.equal((await engineOf(tab.page)).engine, "threads");
  assert.equal(navigations, 3);
  // embed.html, same origin, is controlled by the same worker (its scope is the whole site).
  await tab.page.goto(`${s.url}/embed.html?experiment=perfect&n=1000&workers=2`);
  await tab.page.waitForFunction(() => crossOriginIsolated, null, { timeout: 20_000 });
  // the static "cannot run the lab's scripts" line is gone once the lesson is up
  await tab.page.waitForFunction(() => document.querySelector("#lesson speedup-lab"), null, { timeout: 20_000 });
  assert.equal(await tab.page.locator("#no-scripts").count(), 0);
  assert.deepEqual(tab.problems, []);
  await context.close();
});

test("dist/ works from a sub-path", async () => {
  const s = await serve({ root: DIST, isolation: true, base: "/articles/lab/" });
  servers.push(s);
  const tab = await openPage(browser, `${s.url}/articles/lab/index.html`);
  const info = await engineOf(tab.page);
  assert.equal(info.ready, "idle", "nothing started before a Run");
  const traces = await runPerfect(tab.page, 1000);
  assert.deepEqual(traces.sequential.results, [6, 28, 496]);
  assert.equal((await engineOf(tab.page)).ready, "true");
  await tab.context.close();
});

for (const [name, root] of [
  ["dist/", DIST],
  ["the repository (npm start)", ROOT],
]) {
  test(`an article on another origin may read the widget's files, and no other file of ${name}`, async () => {
    const lab = await serve({ root, isolation: true });
    servers.push(lab);
    const articleSite = await articleServer(lab.url);
    servers.push(articleSite);
    const tab = await openPage(browser, `${articleSite.url}/article.html`);
    const outcome = await tab.page.evaluate(async (lab) => {
      const read = async (path) => {
        try {
          const r = await fetch(`${lab}${path}`);
          return r.ok ? "read" : `status ${r.status}`;
        } catch (e) {
          return e.name; // a CORS refusal is a TypeError with no detail
        }
      };
      const paths = [
        "/www/widget/speedup-lab.js",
        "/www/engine/client.js",
        "/www/pkg/plain/speedup_lab_bg.wasm",
        "/index.html",
        "/embed.html",
        "/www/app.js",
        "/www/isolate.js",
        "/coi-serviceworker.min.js",
      ];
      return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await read(p)])));
    }, lab.url);
    assert.deepEqual(outcome, {
      "/www/widget/speedup-lab.js": "read",
      "/www/engine/client.js": "read",
      "/www/pkg/plain/speedup_lab_bg.wasm": "read",
      "/index.html": "TypeError",
      "/embed.html": "TypeError",
      "/www/app.js": "TypeError",
      "/www/isolate.js": "TypeError",
      "/coi-serviceworker.min.js": "TypeError",
    });
    // The refusals show as the browser's CORS errors in the console; nothing else went wrong.
    assert.ok(
      tab.problems.length > 0 && tab.problems.every((p) => p.includes("CORS") || p.includes("Failed to load")),
      tab.problems.join("\n"),
    );
    await tab.context.close();
  });
}

test("an article on another origin embeds two custom elements and an iframe; all work, nothing leaves", async () => {
  const lab = await distServer(true);
  const articleSite = await articleServer(lab.url);
  servers.push(articleSite);
  const article = articleSite.url;
  const tab = await openPage(browser, `${article}/article.html`, { viewport: { width: 800, height: 1000 } });
  const { page } = tab;
  const frameHeightBefore = await page.locator("#lab-frame").evaluate((f) => f.getBoundingClientRect().height);
  // both custom elements run at once (they queue on one engine), and the iframe via a message
  const results = await page.evaluate(async () => {
    const a = document.getElementById("widget-a").run();
    const b = document.getElementById("widget-b").run();
    const [ta, tb] = await Promise.all([a, b]);
    const workers = new Set(ta.spans.map((x) => x.worker)).size;
    return { a: { units: ta.totalMs / 40, engine: ta.engine, workers }, b: { results: tb.results, engine: tb.engine } };
  });
  assert.equal(results.a.engine, "processes", "the article is not isolated, so the element uses processes");
  assert.equal(results.a.workers, 5, "a pool of 5");
  assert.ok(within(results.a.units, POOL_MAP_SLEEP_UNITS), `${results.a.units} units`);
  assert.deepEqual(results.b.results, [6, 28, 496]);
  // Chromium pauses rendering in off-screen cross-origin frames; a reader scrolls to it first.
  await page.locator("#lab-frame").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById("lab-frame").getBoundingClientRect().height > 300, null, {
    timeout: 20_000,
  });
  await page.evaluate(() => {
    const f = document.getElementById("lab-frame");
    f.contentWindow.postMessage({ type: "speedup-lab:run" }, "*");
  });
  await page.waitForFunction(() => window.__events.some((e) => e.from === "iframe"), null, { timeout: 60_000 });
  const events = await page.evaluate(() =>
    window.__events.map((e) => ({
      from: e.from,
      type: e.type,
      engine: e.trace?.engine,
      results: e.trace?.results,
      message: e.message,
    })),
  );
  const fromFrame = events.find((e) => e.from === "iframe");
  assert.equal(fromFrame.type, "speedup-lab:done", JSON.stringify(fromFrame));
  assert.deepEqual(fromFrame.results, [6, 28, 496]);
  assert.equal(fromFrame.engine, "threads", "Document-Isolation-Policy gives the iframe threads");
  assert.ok(events.some((e) => e.from === "widget-a" && e.type === "speedup-lab:done"));
  assert.ok(events.some((e) => e.from === "widget-b" && e.type === "speedup-lab:done"));
  const frameHeightAfter = await page.locator("#lab-frame").evaluate((f) => f.getBoundingClientRect().height);
  assert.ok(frameHeightAfter > frameHeightBefore, `iframe ${frameHeightBefore} → ${frameHeightAfter} px`);
  const origins = new Set(tab.requests.map((u) => new URL(u).origin).filter((o) => o !== "null"));
  for (const o of origins) assert.ok([lab.url, article].includes(o) || o.startsWith("blob:"), `request to ${o}`);
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});
