// Nothing starts before Run: an article with 11 widgets, and the hosted page (11 cards), start
// no Worker and fetch no Worker script and no threads .wasm until a reader presses Run (the
// page's small plain core may load); then a Run works. `autorun` runs once, when its card comes
// into view, and never in a hidden frame. What each page costs before its first Run (bytes
// gzipped, requests, Workers) is printed as a diagnostic for BENCHMARKS.md.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { launch } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { openPage } from "./browser.mjs";

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await serve();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const LESSONS = [
  "sleep-seq",
  "start-no-join",
  "start-join",
  "many-sleepers",
  "pool-map-sleep",
  "perfect",
  "homework",
  "parallel-writes",
  "random-forest",
  "speedup",
  "load-balance",
];

/** An article on the lab's origin (isolated, like the lab's pages) with `body` after the widget script. */
function article(body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title>
<script type="module" src="/www/widget/speedup-lab.js"></script></head><body><h1>An article</h1>${body}</body></html>`;
}

/** Serve `html` at `path` of the lab's origin in `context`, with the lab's isolation headers. */
async function routeArticle(context, path, html) {
  await context.route(`${server.url}${path}`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html; charset=utf-8",
      headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
      body: html,
    }),
  );
}

/** Requests that would mean something started: a Worker's script or the threads wasm. */
const STARTED =
  /\.worker\.js|writer-worker\.js|forest-process\.js|workerHelpers|\/pkg\/threads\/|\/pkg\/plain-forest\//;

/** Open `path` and record Workers, requests and response bodies until `settleMs` after load. */
async function openCounting(path, { setup } = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await setup?.(context);
  const requests = [];
  const bodies = [];
  context.on("request", (r) => requests.push(r.url()));
  context.on("response", async (r) => {
    try {
      bodies.push({ url: r.url(), bytes: (await r.body()).length, gz: gzipSync(await r.body()).length });
    } catch {}
  });
  const tab = await openPage(context, null);
  const workers = [];
  tab.page.on("worker", (w) => workers.push(w.url()));
  // the main thread's busy time (Chromium's own task accounting, through the DevTools protocol)
  const cdp = await context.newCDPSession(tab.page);
  await cdp.send("Performance.enable");
  await tab.page.goto(`${server.url}${path}`);
  await tab.page.waitForFunction(() => customElements.get("speedup-lab") !== undefined);
  // long enough for anything eager (a boot, an autorun, a lazy import on idle) to show
  await tab.page.waitForTimeout(3000);
  const { metrics } = await cdp.send("Performance.getMetrics");
  const mainMs = 1000 * (metrics.find((m) => m.name === "TaskDuration")?.value ?? Number.NaN);
  return { ...tab, context, workers, requests, bodies, mainMs };
}

function cost(label, { workers, requests, bodies, mainMs }, t) {
  const gz = bodies.reduce((n, b) => n + b.gz, 0);
  t.diagnostic(
    `${label} before its first Run: ${(gz / 1000).toFixed(1)} kB gz in ${bodies.length} responses, ${requests.length} requests, ${workers.length} Workers, main thread busy ${Math.round(mainMs)} ms`,
  );
}

test("an article with 11 widgets starts 0 Workers and fetches no Worker script or threads wasm before Run; then a Run works", async (t) => {
  const html = article(LESSONS.map((id) => `<speedup-lab experiment="${id}"></speedup-lab>`).join("\n"));
  const tab = await openCounting("/article-11.html", { setup: (c) => routeArticle(c, "/article-11.html", html) });
  try {
    assert.equal(
      await tab.page.evaluate(() => crossOriginIsolated),
      true,
      "isolated: the threads engine is the one it would boot",
    );
    assert.equal(await tab.page.locator("speedup-lab").count(), 11);
    cost("an article with 11 widgets", tab, t);
    assert.deepEqual(tab.workers, [], "Workers started before Run");
    assert.deepEqual(
      tab.requests.filter((u) => STARTED.test(u)),
      [],
      "Worker scripts or engine wasm fetched before Run",
    );
    // every card says what it will use, without starting it
    const infos = await tab.page.evaluate(() =>
      [...document.querySelectorAll("speedup-lab")].map(
        (el) => el.shadowRoot.querySelector(".engine-info").textContent,
      ),
    );
    for (const info of infos) assert.match(info, /starts on the first Run|own writer Workers/);

    // a Run boots the engine and works
    const trace = await tab.page.locator("speedup-lab[experiment=start-join]").evaluate((el) => {
      el.setAttribute("unit-ms", "20");
      return el.run();
    });
    assert.equal(trace.engine, "threads");
    assert.ok(tab.workers.length >= 1, "the Run started the engine's Workers");
    assert.ok(tab.workers.length <= 1 + 16, `${tab.workers.length} Workers: the coordinator and a capped pool`);
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
  }
});

test("the hosted page starts 0 Workers before Run and says what it will use; the first Run updates it", async (t) => {
  const tab = await openCounting("/");
  try {
    cost("the hosted page", tab, t);
    assert.deepEqual(tab.workers, []);
    assert.deepEqual(
      tab.requests.filter((u) => STARTED.test(u)),
      [],
    );
    const line = () => tab.page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
    const idle = await line();
    assert.equal(idle.ready, "idle");
    assert.match(idle.text, /threads engine.*starts on the first Run/);
    await tab.page.locator("speedup-lab#sleep-seq").evaluate((el) => {
      el.setAttribute("unit-ms", "20");
      return el.run();
    });
    await tab.page.waitForFunction(() => document.getElementById("isolation").dataset.ready === "true");
    assert.match((await line()).text, /started in \d+ ms/);
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
  }
});

test("autorun runs once when the card comes into view, and never in a hidden frame", async () => {
  const html = article(`
<div style="height: 3000px">scroll on</div>
<speedup-lab id="below" experiment="sleep-seq" unit-ms="20" autorun></speedup-lab>
<iframe id="hidden" hidden src="/embed.html?experiment=start-join&unit-ms=20&autorun"></iframe>`);
  const tab = await openCounting("/article-autorun.html", {
    setup: (c) => routeArticle(c, "/article-autorun.html", html),
  });
  try {
    const runs = () =>
      tab.page.evaluate(() => ({
        below: document.getElementById("below").result !== null,
        hidden: document.getElementById("hidden").contentDocument?.querySelector("speedup-lab")?.result ?? null,
      }));
    assert.deepEqual(await runs(), { below: false, hidden: null }, "nothing ran out of view");
    assert.deepEqual(tab.workers, []);
    const done = tab.page.evaluate(
      () =>
        new Promise((resolve) => {
          let n = 0;
          document.getElementById("below").addEventListener("speedup-lab:done", () => {
            n += 1;
            setTimeout(() => resolve(n), 1500); // a second autorun would land meanwhile
          });
        }),
    );
    await tab.page.locator("#below").scrollIntoViewIfNeeded();
    assert.equal(await done, 1, "autorun ran once");
    // scrolled away and back: no second run
    await tab.page.evaluate(() => window.scrollTo(0, 0));
    await tab.page.locator("#below").scrollIntoViewIfNeeded();
    await tab.page.waitForTimeout(1000);
    const r = await runs();
    assert.equal(r.below, true);
    assert.equal(r.hidden, null, "the hidden frame's card did not run");
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
  }
});

test("a link opened on its own autoruns only within the lesson's own sizes; a larger one waits for Run, saying so", async () => {
  const big = await openCounting("/embed.html?experiment=perfect&n=5000000&autorun");
  try {
    assert.deepEqual(big.workers, [], "a crafted link started nothing");
    assert.equal(await big.page.evaluate(() => document.querySelector("speedup-lab").hasAttribute("autorun")), false);
    assert.match(await big.page.locator(".autorun-refused").textContent(), /press Run to start it/);
    assert.deepEqual(big.problems, []);
  } finally {
    await big.context.close();
  }
  const small = await openCounting("/embed.html?experiment=sleep-seq&unit-ms=1&autorun");
  try {
    await small.page.waitForFunction(() => document.querySelector("speedup-lab").result !== null);
    assert.equal(await small.page.locator(".autorun-refused").count(), 0);
  } finally {
    await small.context.close();
  }
});
