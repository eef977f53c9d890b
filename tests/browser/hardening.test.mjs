// Hardening: bad input at every door gets a clear message (never a panic, a hang or a blank
// card), runs can be cancelled and a failed worker is survived, long use does not leak, ten
// widgets share the machine, a strict CSP works, nothing from attributes or URLs becomes markup,
// and postMessage is checked.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM, openPage } from "./browser.mjs";
import { useLabPage } from "./lab.mjs";
import { articleServer, ROOT, serve } from "./server.mjs";
import { tryCardInPage } from "./try-card.mjs";

const lab = useLabPage({ before, after });

/** Make a fresh card with `attrs`, run it, and report what the reader and the page would see. */
function tryCard(page, attrs) {
  return page.evaluate(tryCardInPage, attrs);
}

const BAD_ATTRIBUTES = [
  [{ experiment: "" }, "No experiment chosen"],
  [{ experiment: "dance" }, 'Unknown experiment "dance"'],
  [{ experiment: "<img src=x onerror=alert(1)>" }, 'Unknown experiment "<img src=x onerror=alert(1)>"'],
  [{ experiment: "perfect", n: "0" }, 'must be a whole number from 2 to 200000, got "0"'],
  [{ experiment: "perfect", n: "1" }, 'got "1"'],
  [{ experiment: "perfect", n: "-5" }, 'got "-5"'],
  [{ experiment: "perfect", n: "2.5" }, 'got "2.5"'],
  [{ experiment: "perfect", n: "1e12" }, 'got "1e12"'],
  [{ experiment: "perfect", n: "abc" }, 'got "abc"'],
  [{ experiment: "perfect", n: "<b>1</b>" }, 'got "<b>1</b>"'],
  [{ experiment: "perfect", workers: "0" }, "Workers must be a whole number from 1 to"],
  [{ experiment: "perfect", workers: "-1" }, 'got "-1"'],
  [{ experiment: "perfect", workers: "NaN" }, 'got "NaN"'],
  [{ experiment: "perfect", workers: "10000" }, 'got "10000"'],
  [{ experiment: "perfect", workers: "2.5" }, 'got "2.5"'],
  [{ experiment: "perfect", chunksize: "0" }, "Chunk size must be a whole number from 1"],
  // passes the form's check, then the Rust core's: a chunk larger than the task list
  [
    { experiment: "perfect", n: "100", workers: "2", chunksize: "1000" },
    "Chunk size must be a whole number from 1 to 99, got 1000",
  ],
  [{ experiment: "sleep-seq", "unit-ms": "0" }, "Time unit (ms) must be a whole number from 1 to 5000"],
  [{ experiment: "sleep-seq", "unit-ms": "-100" }, 'got "-100"'],
  [{ experiment: "sleep-seq", "unit-ms": "1e9" }, 'got "1e9"'],
  [{ experiment: "sleep-seq", "unit-ms": "fast" }, 'got "fast"'],
  [{ experiment: "pool-map-sleep", workers: "11" }, 'got "11"'],
  [{ experiment: "perfect", engine: "warp" }, 'Unknown engine "warp"'],
  [{ experiment: "perfect", n: "5000", workers: "2", chunksize: "abc" }, "Chunk size must be a whole number"],
  // the homework and parallel-writes parameters: rows of the same table, refused before any run
  [{ experiment: "homework", students: "9" }, 'Students (k) must be a whole number from 1 to 8, got "9"'],
  [
    { experiment: "homework", "multiplication-ms": "2.5" },
    'Unit per multiplication (ms) must be a whole number from 1 to 50, got "2.5"',
  ],
  [{ experiment: "parallel-writes", "total-mb": "0" }, 'Dataset (MiB) must be a whole number from 1 to 256, got "0"'],
  [
    { experiment: "parallel-writes", writers: "<b>2</b>" },
    'Writers must be a whole number from 1 to 8, got "<b>2</b>"',
  ],
];

test(`${BAD_ATTRIBUTES.length} bad attributes: each a clear message in the card, an error event, a rejected run()`, async () => {
  for (const [attrs, want] of BAD_ATTRIBUTES) {
    const r = await tryCard(lab.tab.page, attrs);
    const label = JSON.stringify(attrs);
    assert.ok(r.rejected?.includes(want), `${label}: run() rejected with ${r.rejected}`);
    assert.ok(
      r.shown.some((s) => s.includes(want)),
      `${label}: card shows ${JSON.stringify(r.shown)}`,
    );
    assert.ok(
      r.events.some((s) => s.includes(want)),
      `${label}: events ${JSON.stringify(r.events)}`,
    );
    assert.equal(r.markup, 0, `${label}: attribute text became markup`);
    assert.equal(r.blank, false, `${label}: blank card`);
  }
  assert.deepEqual(lab.tab.problems, []);
});

test("the page's own controls: typing garbage and pressing Run shows the message", async () => {
  const card = lab.tab.page.locator("speedup-lab#perfect");
  await card.locator("input[name=n]").fill("twenty");
  await card.locator("button.run").click();
  await assert.doesNotReject(card.locator(".error").waitFor({ state: "visible", timeout: 5_000 }));
  assert.match(
    await card.locator(".error").textContent(),
    /N \(numbers below\) must be a whole number from 2 to 200000, got "twenty"/,
  );
  // N = 500 keeps spawn-per-task (a Worker per number) short; the bound is for a machine under
  // heavy load (the same card runs in ~2 s on an idle one): this test is about the message.
  await card.locator("input[name=n]").fill("500");
  await card.locator("button.run").click();
  await card.locator(".status-text").filter({ hasText: "Done" }).waitFor({ timeout: 60_000 });
  assert.equal(await card.locator(".error").isHidden(), true);
});

test("embed.html URL parameters: bad values are shown in the frame and posted to the parent", async () => {
  const messages = await lab.tab.page.evaluate(async () => {
    const got = [];
    const frames = [];
    addEventListener("message", (e) => {
      if (frames.includes(e.source) && e.data?.type === "speedup-lab:error") got.push(e.data);
    });
    for (const q of [
      "experiment=perfect&n=-1&autorun&frame=a",
      "experiment=nope&autorun&frame=b",
      "experiment=sleep-seq&unit-ms=oops&autorun&frame=c",
    ]) {
      const f = document.createElement("iframe");
      f.src = `embed.html?${q}`;
      document.body.append(f);
      frames.push(f.contentWindow);
    }
    // autorun waits until a card is on screen: bring the frames into view
    frames.at(-1).frameElement.scrollIntoView();
    await new Promise((r) => setTimeout(r, 4_000));
    return got;
  });
  const byFrame = Object.fromEntries(messages.map((m) => [m.frame, m.message]));
  assert.match(byFrame.a ?? "", /got "-1"/);
  assert.match(byFrame.b ?? "", /Unknown experiment "nope"/);
  assert.match(byFrame.c ?? "", /got "oops"/);
});

test("changing an attribute during a run cancels it and says why", async () => {
  const r = await lab.tab.page.locator("speedup-lab#perfect").evaluate(async (el) => {
    el.setAttribute("n", "120000");
    const running = el.run().then(
      () => "finished",
      (e) => e.name,
    );
    await new Promise((res) => setTimeout(res, 600));
    el.setAttribute("n", "3000");
    const outcome = await running;
    return { outcome, status: el.shadowRoot.querySelector(".status-text").textContent };
  });
  assert.equal(r.outcome, "AbortError");
  assert.match(r.status, /n attribute changed during the run/);
});

for (const engine of ["threads", "processes"]) {
  test(`${engine}: a worker that traps becomes an error in the card, and the card runs again`, async () => {
    const r = await lab.tab.page.evaluate(async (engine) => {
      const { lessonById } = await import("/www/lessons/index.js");
      const lesson = lessonById("start-join");
      const original = lesson.run;
      // Inject a failing run into this one lesson: the core's `fault` workload panics on a worker.
      lesson.run = async (_p, ctx) => ({
        trace: await ctx.run({ workload: "fault", strategy: "pool-map", workers: 2 }),
      });
      const el = document.createElement("speedup-lab");
      el.setAttribute("experiment", "start-join");
      el.setAttribute("engine", engine);
      el.setAttribute("unit-ms", "20");
      document.body.append(el);
      let error = null;
      try {
        await Promise.race([el.run(), new Promise((_, no) => setTimeout(() => no(new Error("hang")), 20_000))]);
      } catch (e) {
        error = e.message;
      } finally {
        lesson.run = original;
      }
      const shown = el.shadowRoot.querySelector(".error").textContent;
      const again = await el.run();
      const stillResponsive = await new Promise((res) => setTimeout(() => res(true), 10));
      el.remove();
      return { error, shown, again: again.results, stillResponsive };
    }, engine);
    assert.match(r.error, /failed|stopped/i, r.error);
    assert.equal(r.shown, r.error);
    assert.deepEqual(r.again, [1, 2]);
    assert.equal(r.stillResponsive, true);
  });

  test(`${engine}: cancel stops the run before its first task would end, and the engine is reusable`, async () => {
    // Order, not a time window: the first sleep ends 3 s after the start; the cancel, at 0.7 s,
    // must reject the run (AbortError) before that sleep's progress could arrive, and nothing
    // of the cancelled run may follow, even after the time its first task would have ended.
    const r = await lab.tab.page.evaluate(async (engine) => {
      const el = document.createElement("speedup-lab");
      el.setAttribute("experiment", "sleep-seq");
      el.setAttribute("engine", engine);
      el.setAttribute("unit-ms", "3000");
      document.body.append(el);
      const log = [];
      el.addEventListener("speedup-lab:progress", (e) => log.push(`progress ${e.detail.done}`));
      el.addEventListener("speedup-lab:done", () => log.push("done"));
      const running = el.run().then(
        () => log.push("finished"),
        (e) => log.push(e.name),
      );
      await new Promise((res) => setTimeout(res, 700));
      log.push("cancel");
      el.cancel();
      await running;
      const status = el.shadowRoot.querySelector(".status-text").textContent;
      await new Promise((res) => setTimeout(res, 3_000)); // past the first sleep's natural end
      const cancelled = log.filter((x) => x !== "progress 0"); // before the next run adds its own
      el.setAttribute("unit-ms", "10");
      const next = await el.run();
      el.remove();
      return { log: cancelled, status, next: next.results };
    }, engine);
    // rejected after the cancel, before any task ended, and nothing of that run after it
    assert.deepEqual(r.log, ["cancel", "AbortError"]);
    assert.match(r.status, /Cancelled/);
    assert.deepEqual(r.next, [1, 2]);
  });
}

test("a new run while one is going cancels it: no overlapping results", async () => {
  const r = await lab.tab.page.locator("speedup-lab#start-join").evaluate(async (el) => {
    el.setAttribute("unit-ms", "400");
    const first = el.run().then(
      () => "finished",
      (e) => e.name,
    );
    await new Promise((res) => setTimeout(res, 100));
    el.setAttribute("unit-ms", "30");
    await new Promise((res) => setTimeout(res, 0));
    const second = await el.run();
    return { first: await first, second, kept: el.result.params.unitMs };
  });
  assert.equal(r.first, "AbortError");
  // The result is the second run's own: both its tasks, and shorter than one sleep of the first
  // run (400 ms), which a trace of the first could not be. (Not a tight bound on 2 × 30 ms: on
  // a loaded machine a 30 ms sleep can end late.)
  assert.deepEqual(r.second.results, [1, 2]);
  assert.ok(r.second.totalMs < 400, `${r.second.totalMs} ms`);
  assert.equal(r.kept, 30);
});

test("ten widgets on one page share the machine without starving it", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const els = Array.from({ length: 10 }, (_, i) => {
      const el = document.createElement("speedup-lab");
      el.setAttribute("experiment", i % 2 ? "pool-map-sleep" : "perfect");
      el.setAttribute("unit-ms", "10");
      el.setAttribute("n", "8000");
      el.setAttribute("workers", "2");
      document.body.append(el);
      return el;
    });
    const gaps = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      gaps.push(t - last);
      last = t;
    }, 10);
    const traces = await Promise.all(els.map((el) => el.run()));
    clearInterval(timer);
    for (const el of els) el.remove();
    return { done: traces.length, maxGap: Math.max(...gaps), ok: traces.every((t) => t.results.length > 0) };
  });
  assert.equal(r.done, 10);
  assert.ok(r.ok);
  // A frozen page would stall for the whole run (seconds); a busy 2-core machine (CI, or other
  // jobs) can delay a 10 ms timer by a few hundred ms without any fault of the page's, so the
  // bound is 1 s, the same as page.test.mjs's: generous, and still far below a frozen run.
  assert.ok(r.maxGap < 1000, `main thread stalled ${r.maxGap} ms`);
});

test("100 runs in one page: wasm memory and JS heap stay within 10 %", async () => {
  const gcBrowser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--js-flags=--expose-gc"],
  });
  try {
    const t = await openPage(gcBrowser, `${lab.server.url}/`);
    await t.page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
    const r = await t.page.locator("speedup-lab#start-join").evaluate(async (el) => {
      const { getEngine } = await import("/www/engine/client.js");
      const engine = getEngine("threads");
      el.setAttribute("unit-ms", "5");
      const measure = async () => {
        globalThis.gc();
        await new Promise((res) => setTimeout(res, 50));
        globalThis.gc();
        return { heap: performance.memory.usedJSHeapSize, wasm: (await engine.stats()).wasmMemoryBytes };
      };
      let early = null;
      for (let i = 1; i <= 100; i++) {
        await el.run();
        if (i === 10) early = await measure(); // "after the first few": V8 and Chart.js caches warm up
      }
      return { early, late: await measure() };
    });
    assert.ok(r.late.wasm <= r.early.wasm * 1.1, `wasm memory ${r.early.wasm} → ${r.late.wasm}`);
    assert.ok(r.late.heap <= r.early.heap * 1.1, `JS heap ${r.early.heap} → ${r.late.heap}`);
    assert.deepEqual(t.problems, []);
  } finally {
    await gcBrowser.close();
  }
});

test("a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval') is enough", async () => {
  const strict = await serve({
    extraHeaders: {
      "Content-Security-Policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    },
  });
  try {
    const t = await openPage(lab.browser, `${strict.url}/`);
    await t.page.evaluate(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await t.page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, {
      timeout: 30_000,
    });
    const results = await t.page.locator("speedup-lab#perfect").evaluate(async (el) => {
      el.setAttribute("n", "3000");
      await el.run();
      // the runs at N (not the spawn-per-task sub-range and its loop, labelled "below …")
      return el.result.traces.filter((x) => !x.label.includes("below")).map((x) => x.trace.results);
    });
    for (const r of results) assert.deepEqual(r, [6, 28, 496]);
    assert.deepEqual(await t.page.evaluate(() => window.__violations), []);
    assert.deepEqual(t.problems, []);
    await t.context.close();
  } finally {
    await strict.close();
  }
});

test("the iframe obeys only its parent: a sibling frame's command is ignored", async () => {
  const site = await serve({ root: join(ROOT, "dist"), isolation: true, dev: false });
  const article = await articleServer(site.url);
  try {
    const t = await openPage(lab.browser, `${article.url}/article.html`, { viewport: { width: 800, height: 1000 } });
    await t.page.locator("#lab-frame").scrollIntoViewIfNeeded();
    await t.page.waitForFunction(
      () => document.getElementById("lab-frame").getBoundingClientRect().height > 300,
      null,
      {
        timeout: 20_000,
      },
    );
    // A listener in the lab frame, added after embed.js's own, signals when a command has
    // been delivered: embed.js has handled it by then (listeners run in order), so the test
    // waits for that signal instead of a fixed window.
    const labFrame = t.page.frames().find((f) => f.url().includes("embed.html"));
    await labFrame.evaluate(() => {
      window.__commands = [];
      addEventListener("message", (e) => window.__commands.push(e.data?.type));
    });
    // A sibling frame (same origin as the article, not the lab frame's parent) sends a command.
    await t.page.evaluate(async () => {
      const sibling = document.createElement("iframe");
      sibling.srcdoc = `<script>parent.document.getElementById("lab-frame").contentWindow.postMessage({ type: "speedup-lab:run" }, "*");</script>`;
      document.body.append(sibling);
      await new Promise((r) => sibling.addEventListener("load", r, { once: true }));
    });
    await labFrame.waitForFunction(() => window.__commands.includes("speedup-lab:run"), null, { timeout: 20_000 });
    // A run starts synchronously (its Run button is disabled at once): none started.
    const running = await labFrame.evaluate(
      () => document.querySelector("speedup-lab").shadowRoot.querySelector("button.run").disabled,
    );
    assert.equal(running, false, "the sibling's command started a run");
    assert.equal(await t.page.evaluate(() => window.__events.filter((e) => e.from === "iframe").length), 0);
    // The parent sends the same command: accepted.
    await t.page.evaluate(() =>
      document.getElementById("lab-frame").contentWindow.postMessage({ type: "speedup-lab:run" }, "*"),
    );
    await t.page.waitForFunction(() => window.__events.some((e) => e.from === "iframe"), null, { timeout: 60_000 });
    assert.equal(await t.page.evaluate(() => window.__events.filter((e) => e.from === "iframe").length), 1);
    await t.context.close();
  } finally {
    await article.close();
    await site.close();
  }
});

test("no code path writes markup: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval", () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (["pkg", "vendor", "vendor-src"].includes(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?js|html)$/.test(e.name)) files.push(p);
    }
  };
  walk(join(ROOT, "www"));
  files.push(join(ROOT, "index.html"), join(ROOT, "embed.html"));
  for (const f of files) {
    // Code only: comments may name what they forbid.
    const text = readFileSync(f, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const bad of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]) {
      assert.ok(!text.includes(bad), `${f} uses ${bad}`);
    }
  }
  assert.ok(files.length > 15);
});
