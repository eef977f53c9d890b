/**
 * What the cross-browser tests share: the engine each browser should get where (design.md's
 * browser table), polling the page over classic WebDriver, running a card, and saving a
 * screenshot. The browsers themselves come from scripts/lib/webdriver.mjs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/site.mjs";
import { inPage } from "../../scripts/lib/webdriver.mjs";
import { LESSONS } from "../../www/lessons/index.js";

/**
 * The engine each browser gets: on the isolated page, on a header-less `dist/` (the
 * service-worker fallback isolates it; WebKitGTK then is isolated but has no
 * SharedArrayBuffer), and in a header-less article on another origin, as an element and as an
 * iframe (Document-Isolation-Policy isolates the iframe in Chromium only).
 */
export const EXPECTED = {
  chromium: { page: "threads", dist: "threads", element: "processes", iframe: "threads", writes: "verified" },
  firefox: { page: "threads", dist: "threads", element: "processes", iframe: "processes", writes: "verified" },
  // parallel-writes: WebKitGTK has no OPFS sync access handles (under WebKitWebDriver its
  // getDirectory() even rejects), so the card must refuse clearly and write nothing
  webkit: { page: "processes", dist: "processes", element: "processes", iframe: "processes", writes: "refused" },
};

/** Polls `fn` in the page until it returns a truthy value; navigation in between is tolerated. */
export async function waitInPage(driver, fn, { timeout = 60_000, what = "condition", arg = null } = {}) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    try {
      last = await driver.executeScript(fn, arg);
      if (last) return last;
    } catch {
      // the page is navigating (the service-worker fallback reloads it once)
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * The page's status line once its script has run: its data attributes and text (`ready` is
 * "idle" until a first Run boots the engine, then "true", or "error").
 */
export function pageReady(driver, timeout = 60_000) {
  return waitInPage(
    driver,
    () => {
      const el = document.getElementById("isolation");
      return el?.dataset.ready ? { ...el.dataset, text: el.textContent, coi: crossOriginIsolated } : null;
    },
    { timeout, what: "the page's status line" },
  );
}

/**
 * Sizes that keep each lesson's run short (a unit of 40 ms, small N): each lesson's own `quick`
 * (www/lessons/), so every card on the page runs, including ones added later.
 */
export const QUICK = Object.fromEntries(LESSONS.map((lesson) => [lesson.id, lesson.quick ?? {}]));

/**
 * Where a browser needs other sizes: none now. Firefox ran perfect at N = 3 000 (spawn-per-task
 * skipped) while its spawn-per-task stalled in 3 of 5 runs of 499 spawns under geckodriver, a
 * `new Worker` that never started; spawns now have a deadline (process-pool.js) that turns such
 * a stall into a clear error, and after the merge with main 7 of 7 Firefox runs at N = 500 had
 * none (docs/browsers.md). Sizes for one browser go here, with the reason.
 */
export const QUICK_IN = {};

/**
 * Runs the card `selector` with `attrs` and returns what a test checks: the main trace, every
 * trace found in the lesson's data (each has its engine and results), the card's status and any
 * error it shows. Runs in the page.
 */
export function runCard(driver, selector, attrs) {
  return inPage(
    driver,
    async (selector, attrs) => {
      const el = document.querySelector(selector);
      for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, String(v));
      el.scrollIntoView();
      // 120 s (runs take seconds): only so that a stalled run fails with the card's own status
      // instead of the driver's bare script timeout
      let timer;
      const stalled = new Promise((_, no) => {
        timer = setTimeout(() => {
          const status = el.shadowRoot.querySelector(".status-text")?.textContent;
          no(new Error(`${el.getAttribute("experiment")} still running after 120 s: "${status}"`));
        }, 120_000);
      });
      const status = () => el.shadowRoot.querySelector(".status-text")?.textContent ?? "";
      const errors = () =>
        [...el.shadowRoot.querySelectorAll(".error")].filter((e) => !e.hidden).map((e) => e.textContent);
      // What parallel-writes left in this origin's private file system (nothing, ever).
      const leftovers = async () =>
        el.getAttribute("experiment") === "parallel-writes"
          ? (await import(new URL("www/writes/opfs.js", document.baseURI).href)).leftovers()
          : [];
      let trace;
      try {
        trace = await Promise.race([el.run(), stalled]);
      } catch (error) {
        // a refusal the test may expect (parallel-writes where OPFS cannot be written)
        return {
          id: el.getAttribute("experiment"),
          rejected: { name: error.name, message: error.message },
          status: status(),
          errors: errors(),
          leftovers: await leftovers(),
        };
      } finally {
        clearTimeout(timer);
      }
      const traces = [];
      // the same trace may sit at two paths (data.trace is one of data.traces): keep both
      const walk = (x, path, depth = 0) => {
        if (!x || typeof x !== "object" || depth > 6) return;
        if (Array.isArray(x.spans) && Array.isArray(x.results) && typeof x.engine === "string") {
          traces.push({ path, engine: x.engine, results: x.results, strategy: x.strategy, totalMs: x.totalMs });
        }
        for (const [k, v] of Object.entries(x)) walk(v, `${path}.${k}`, depth + 1);
      };
      walk(el.result.summary, "data");
      return {
        id: el.getAttribute("experiment"),
        trace: {
          engine: trace.engine,
          results: trace.results,
          strategy: trace.strategy,
          totalMs: trace.totalMs,
          // a lesson's summary trace may have no spans (parallel-writes: its runs' files)
          workersSeen: new Set(trace.spans?.map((s) => s.worker)).size,
          spans: trace.spans?.map((s) => ({ first: s.first, start: s.start, end: s.end })) ?? [],
        },
        traces,
        data: JSON.parse(JSON.stringify({ ...el.result.summary, trace: undefined, traces: undefined })),
        status: status(),
        errors: errors(),
        leftovers: await leftovers(),
      };
    },
    selector,
    attrs,
  );
}

/**
 * Screenshots land in target/browser-screenshots/ on every run; with SCREENSHOTS=docs they
 * replace the ones committed in docs/browsers/ (look at them before committing).
 */
export function saveScreenshot(name, base64) {
  const dir =
    process.env.SCREENSHOTS === "docs" ? join(ROOT, "docs", "browsers") : join(ROOT, "target", "browser-screenshots");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  writeFileSync(file, Buffer.from(base64, "base64"));
  return file;
}

/**
 * A viewport screenshot with `selector` scrolled to the top (or the page's top, for null).
 * Viewport, not element, screenshots: WebKitGTK's element screenshots came out of the wrong
 * place, and cross-origin iframes came out black.
 */
export async function screenshotAt(driver, name, selector = null) {
  await inPage(
    driver,
    async (selector) => {
      if (selector) document.querySelector(selector).scrollIntoView({ block: "start", behavior: "instant" });
      else window.scrollTo({ top: 0, behavior: "instant" });
      // two frames, so that the scrolled page has been painted
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await new Promise((r) => setTimeout(r, 300));
    },
    selector,
  );
  return saveScreenshot(name, await driver.takeScreenshot());
}
