// What dist/ costs a reader who never presses Run (issue 15, point 4), in Chromium: pages with a
// lesson per section start no Worker and fetch no Worker script and no threads .wasm before a Run;
// and the bundled dist/ (scripts/lib/bundle.mjs) still runs a lesson when Run is pressed, on the
// hosted page and in an article on another origin. Counted as bench/page-cost.mjs counts them
// (every Worker through DevTools' Target domain, every request at the lab's server), so a Worker
// started by a Worker cannot hide. Needs dist/ (npm test builds it first).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pageCost } from "../../bench/page-cost.mjs";
import { CHUNK_DIR } from "../../scripts/lib/bundle.mjs";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { articleServer, ROOT, serve } from "./server.mjs";

/**
 * Does rendering a card leave the runtime alone until Run? `true` since the lazy runtime (branch
 * `runtime`, issue 15 point 4) was merged: the first test below asserts 0 Workers and no Worker
 * script or threads .wasm fetched before Run. (`false` asserted the eager start of the tree this
 * test was written on.)
 */
const LAZY_RUNTIME = true;

const DIST = join(ROOT, "dist");
/** What only a started runtime fetches: a Worker's script, or the threads build's wasm. */
const WORKER_SCRIPT = /(\.worker\.js|writer-worker\.js|forest-process\.js|workerHelpers[^/]*\.js)$/;
const THREADS_WASM = "/www/pkg/threads/speedup_lab_bg.wasm";
/** A run of a 1 ms-unit lesson takes seconds even on a loaded 2-core machine: a bound that only catches a hang. */
const RUN_TEST = { timeout: 120_000 };

let browser;
let lab;
const articles = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "www", CHUNK_DIR)), "dist/ is not the bundled build: run `node scripts/dist.mjs`");
  browser = await launch();
  lab = await serve({ root: DIST, isolation: true, dev: false });
});

after(async () => {
  await browser?.close();
  for (const a of articles) await a.close();
  await lab?.close();
});

async function article(fixture) {
  const a = await articleServer(lab.url, fixture);
  articles.push(a);
  return `${a.url}/article.html`;
}

const PAGES = [
  ["the hosted page (12 cards, isolated: threads)", () => `${lab.url}/index.html`],
  ["an article with 11 <speedup-lab> elements (processes)", () => article("article-11-widgets.html")],
  ["an article with 11 iframe embeds (each isolated: threads)", () => article("article-11-iframes.html")],
];

for (const [name, url] of PAGES) {
  test(`before any Run, ${name}: ${LAZY_RUNTIME ? "no Worker, no Worker script, no threads .wasm" : "today's eager start (LAZY_RUNTIME = false)"}`, async () => {
    const cost = await pageCost(browser, await url(), { labServer: lab, labRoot: DIST });
    const scripts = cost.labPaths.filter((p) => WORKER_SCRIPT.test(p));
    const threadsWasm = cost.labPaths.filter((p) => p === THREADS_WASM);
    // Either way the page loaded the widget (the bundle's entry and chunks) from the lab.
    assert.ok(
      cost.labPaths.some((p) => p.startsWith(`/www/${CHUNK_DIR}/`)),
      `no bundle chunk fetched: ${cost.labPaths.join(" ")}`,
    );
    if (LAZY_RUNTIME) {
      assert.equal(cost.workers, 0, `Workers started before Run: ${cost.workerUrls.join(" ")}`);
      assert.deepEqual(scripts, [], "Worker scripts fetched before Run");
      assert.deepEqual(threadsWasm, [], "threads .wasm fetched before Run");
    } else {
      // The eager runtime: every page boots an engine as its cards render. When this fails
      // with 0 Workers, the runtime has turned lazy: set LAZY_RUNTIME = true above.
      assert.ok(
        cost.workers >= 1,
        `expected today's eager start, saw ${cost.workers} Workers: set LAZY_RUNTIME = true`,
      );
      assert.ok(scripts.length >= 1, "expected today's eager start to fetch a Worker script");
    }
  });
}

/** Press Run on `card` (a locator of a <speedup-lab>) and wait for its `speedup-lab:done`. */
async function pressRun(card) {
  const done = card.evaluate(
    (el) =>
      new Promise((resolve, reject) => {
        el.addEventListener("speedup-lab:done", (e) => resolve(e.detail?.totalMs ?? true), { once: true });
        el.addEventListener("speedup-lab:error", (e) => reject(new Error(String(e.detail))), { once: true });
      }),
  );
  await card.locator("button.run").click();
  return done;
}

test("the bundled dist/ page runs a lesson when Run is pressed", RUN_TEST, async () => {
  const tab = await openPage(browser, `${lab.url}/index.html`);
  try {
    const card = tab.page.locator("speedup-lab#sleep-seq");
    await card.locator("button.run").waitFor({ timeout: 30_000 });
    await card.evaluate((el) => el.setAttribute("unit-ms", "1"));
    assert.ok(await pressRun(card));
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
  }
});

test("an article on another origin runs a lesson from the bundled widget when Run is pressed", RUN_TEST, async () => {
  const tab = await openPage(browser, await article("article-11-widgets.html"));
  try {
    const card = tab.page.locator('speedup-lab[experiment="start-join"]');
    await card.locator("button.run").waitFor({ timeout: 30_000 });
    await card.evaluate((el) => el.setAttribute("unit-ms", "1"));
    assert.ok(await pressRun(card));
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
  }
});
