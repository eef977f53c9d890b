// Every browser engine — Chromium, Firefox ESR, WebKitGTK — through classic WebDriver: every card
// on the isolated page runs on the engine that browser should get, results checked; bad input,
// cancel, no console errors; the widget in a header-less article on another origin, as an
// element and as an iframe; dist/ served header-less like GitHub Pages (first visit and
// reload); a screenshot of the page and of the widget. SKIP_BROWSERS=firefox,webkit skips
// browsers explicitly; a browser that is missing otherwise fails here, loudly.
// Needs dist/ (npm test builds it first).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { articleServer } from "../../scripts/lib/article-server.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import {
  BROWSERS,
  consoleProblems,
  inPage,
  openBrowser,
  skippedBrowsers,
  watchConsole,
} from "../../scripts/lib/webdriver.mjs";
import { MANY_SLEEPERS_UNITS, POOL_MAP_SLEEP_UNITS, within } from "./claims.mjs";
import { EXPECTED, pageReady, QUICK, QUICK_IN, runCard, screenshotAt, waitInPage } from "./engines.mjs";
import { tryCardInPage } from "./try-card.mjs";

const SKIP = skippedBrowsers();
const UNIT = 40;
const PERFECT = [6, 28, 496];
/** Why a processes-only page has no work-stealing: isolated without SharedArrayBuffer (WebKitGTK). */
const engineReason = /this browser has no SharedArrayBuffer, although the page is cross-origin isolated/;

/** A few of hardening.test.mjs's bad inputs: each needs a clear message, an error event, a rejection. */
const BAD = [
  [{ experiment: "dance" }, 'Unknown experiment "dance"'],
  [{ experiment: "perfect", n: "abc" }, 'got "abc"'],
  [{ experiment: "perfect", workers: "0" }, "Workers must be a whole number from 1 to"],
  [{ experiment: "sleep-seq", "unit-ms": "-100" }, 'got "-100"'],
  [{ experiment: "perfect", engine: "warp" }, 'Unknown engine "warp"'],
];

/** Checks one card's run: its engine everywhere, and what the lesson must show. */
function checkCard(r, engine, attrs, want) {
  const label = `${r.id}: ${JSON.stringify(r.errors)} ${r.status} ${JSON.stringify(r.rejected)}`;
  assert.deepEqual(r.leftovers, [], `${r.id}: left in OPFS`);
  if (r.id === "parallel-writes" && want.writes === "refused") {
    // no sync access handles here: one clear sentence, in the card and in the rejection
    assert.ok(r.rejected, `${label}: a browser without OPFS sync access handles must refuse`);
    assert.match(r.rejected.message, /Origin Private File System/, label);
    assert.match(r.rejected.message, /Nothing was (written|left behind)/, label);
    assert.ok(
      r.errors.some((e) => e.includes(r.rejected.message)),
      label,
    );
    return;
  }
  assert.equal(r.rejected, undefined, label);
  assert.deepEqual(r.errors, [], label);
  // every lesson returns traces, except parallel-writes (its runs are files, checked below)
  if (r.id !== "parallel-writes") assert.ok(r.traces.length >= 1, `${r.id}: no trace`);
  for (const t of r.traces) assert.equal(t.engine, engine, `${r.id} ${t.path} ran on ${t.engine}`);
  const units = r.trace.totalMs / UNIT;
  // Lower bounds are exact (a sleep cannot end early); upper bounds only rule out running the
  // tasks one after another, which is what each lesson is about (2 cores, shared, can be slow).
  switch (r.id) {
    case "sleep-seq":
      assert.equal(r.trace.strategy, "sequential");
      assert.ok(units >= 2, `${units} units`);
      break;
    case "start-no-join":
      assert.deepEqual(r.trace.results, [1, 2]);
      assert.ok(r.data.timerMs < r.trace.totalMs, `timer ${r.data.timerMs} ms, tasks ${r.trace.totalMs} ms`);
      break;
    case "start-join":
      assert.equal(r.trace.workersSeen, 2);
      assert.ok(units >= 1, `${units} units`);
      // joined, not one after the other: the second sleeper started before the first woke (an
      // order, not a time window — a busy machine may stretch the run, never reorder it)
      assert.equal(r.trace.spans.length, 2);
      assert.ok(
        Math.max(...r.trace.spans.map((s) => s.start)) < Math.min(...r.trace.spans.map((s) => s.end)),
        `the two sleepers overlap: ${JSON.stringify(r.trace.spans)}`,
      );
      break;
    case "many-sleepers":
      // 10 in Chromium; Firefox's threads engine once spread the 10 sleepers over 7 threads
      // (4 units): a finding for the threads pool (docs/browsers.md), not hidden — logged
      if (r.trace.workersSeen !== 10) console.log(`# many-sleepers: ${r.trace.workersSeen} workers, ${units} units`);
      assert.ok(r.trace.workersSeen >= 5, `${r.trace.workersSeen} workers`);
      assert.ok(within(units, MANY_SLEEPERS_UNITS), `${units} units (sequential would be 20)`);
      break;
    case "pool-map-sleep": {
      assert.equal(r.trace.workersSeen, 5);
      assert.ok(within(units, POOL_MAP_SLEEP_UNITS), `${units} units (FIFO gives 15, sequential 55)`);
      // FIFO: tasks 1–5 start before any of 6–10, and 6–10 start in order
      const start = (k) => r.trace.spans.find((s) => s.first === k).start;
      assert.ok(Math.max(...[1, 2, 3, 4, 5].map(start)) <= start(6));
      for (const k of [6, 7, 8, 9]) assert.ok(start(k) <= start(k + 1), `task ${k} after ${k + 1}`);
      break;
    }
    case "perfect": {
      // at N: spawn-per-task too up to perfect.js's SPAWN_WHOLE_N (501); past it, it runs on a
      // sub-range only (data.spawn), beside its own loop
      const atN = r.traces.filter((t) => t.path.startsWith("data.traces"));
      const spawn = Number(attrs.n) <= 501 ? ["spawn-per-task"] : [];
      const want = ["sequential", ...spawn, "pool-map", ...(engine === "threads" ? ["work-stealing"] : [])];
      assert.deepEqual(atN.map((t) => t.strategy).sort(), want.sort());
      for (const t of atN) assert.deepEqual(t.results, PERFECT, `${t.path}`);
      // the reason work-stealing did not run is this browser's (isolated without SAB on WebKitGTK)
      const note = r.data.skipped.find((s) => s.startsWith("work-stealing skipped"));
      if (engine === "threads") assert.equal(note, undefined);
      else assert.match(note, engineReason, note);
      break;
    }
    case "homework": {
      // four runs (1 and k waiting, 1 and k busy students): every multiplication done once
      const runs = r.traces.filter((t) => t.path.startsWith("data.runs."));
      assert.equal(runs.length, 4, runs.map((t) => t.path).join(", "));
      const all = Array.from({ length: 1200 }, (_, i) => i + 1);
      for (const t of runs) assert.deepEqual(t.results, all, t.path);
      // waiting needs no core: 2 waiting students beat one on any machine (ideal 2×)
      const total = (key) => runs.find((t) => t.path === `data.runs.${key}`).totalMs;
      assert.ok(total("waitingK") < total("waiting1"), `waiting: ${total("waiting1")} → ${total("waitingK")} ms`);
      break;
    }
    case "parallel-writes":
      // both regimes, 1..2 writers, 3 runs each; every file read back equal to what was written
      assert.equal(r.data.runs.length, 12);
      for (const run of r.data.runs) {
        assert.equal(run.files.length, run.k);
        for (const f of run.files) {
          assert.ok(f.ok, JSON.stringify(f));
          assert.equal(f.readBytes, f.bytes);
          assert.equal(f.readCrc, f.crc);
        }
      }
      assert.equal(r.data.verified, 3 * (1 + 2) * 2);
      assert.equal(r.data.cleaned, true);
      break;
    case "random-forest": {
      // n_jobs 1..2, one forest: every fit's fingerprint is the first's (the card checks it too)
      assert.equal(r.data.points.length, 2);
      for (const p of r.data.points) assert.equal(p.trace.forest.fingerprint, r.data.forest.fingerprint);
      // 20 trees on the held-out digits: about 0.93–0.95 measured; 0.85 only rules out a broken forest
      assert.ok(r.data.forest.accuracy > 0.85, `accuracy ${r.data.forest.accuracy}`);
      break;
    }
    case "speedup":
      assert.equal(r.data.points.length, 2);
      assert.ok(r.data.points.every((p) => p.speedup > 0));
      break;
    case "load-balance":
      assert.ok(r.data.runs.length >= 2);
      for (const t of r.traces) assert.deepEqual(t.results, r.traces[0].results, `${t.path}`);
      break;
    default:
      // A lesson this file does not know yet: it ran, on the right engine, and showed no error.
      break;
  }
}

for (const name of BROWSERS) {
  describe(name, { skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}` }, () => {
    const want = EXPECTED[name];
    let browser;
    const servers = [];
    const serveDist = async (isolation) => {
      const s = await serve({ root: join(ROOT, "dist"), isolation, dev: false });
      servers.push(s);
      return s;
    };

    before(async () => {
      browser = await openBrowser(name);
    });
    after(async () => {
      await browser?.close();
      for (const s of servers) await s.close();
    });

    test(`isolated page: every card runs on ${want.page}, results checked; bad input, cancel; no console error`, async () => {
      const s = await serve();
      servers.push(s);
      const { driver } = browser;
      await driver.get(`${s.url}/`);
      await watchConsole(driver);
      // before any Run: nothing started, the line says which engine the first Run will boot
      const info = await pageReady(driver);
      assert.equal(info.ready, "idle", info.text);
      assert.match(info.text, /starts on the first Run/);
      assert.equal(info.engine, want.page, info.text);
      assert.equal(info.coi, true, "the page is cross-origin isolated");
      if (name === "webkit") {
        assert.match(info.text, /Cross-origin isolated, but this browser has no shared memory \(SharedArrayBuffer\)/);
      }
      assert.match(info.text, /cores \(as the browser reports\)/);

      const ids = await driver.executeScript(() =>
        [...document.querySelectorAll("speedup-lab")].map((el) => el.getAttribute("experiment")),
      );
      assert.ok(ids.length >= 8, `${ids.length} cards`);
      // The python card runs on neither engine (Pyodide): tests/browser/python*.test.mjs.
      for (const id of ids.filter((x) => x !== "python")) {
        const attrs = QUICK_IN[name]?.[id] ?? QUICK[id] ?? {};
        const r = await runCard(driver, `speedup-lab[experiment="${id}"]`, attrs);
        checkCard(r, want.page, attrs, want);
      }
      await screenshotAt(driver, `${name}-page`);

      // bad input: a clear message in the card, an error event, a rejected run()
      for (const [attrs, message] of BAD) {
        const r = await inPage(driver, tryCardInPage, attrs);
        const label = JSON.stringify(attrs);
        assert.ok(r.rejected?.includes(message), `${label}: rejected with ${r.rejected}`);
        assert.ok(
          r.shown.some((x) => x.includes(message)),
          `${label}: shows ${JSON.stringify(r.shown)}`,
        );
        assert.ok(
          r.events.some((x) => x.includes(message)),
          `${label}: events ${JSON.stringify(r.events)}`,
        );
      }

      // cancel: a long run stops, the card says so, and the next run works
      const c = await inPage(driver, async () => {
        const el = document.querySelector('speedup-lab[experiment="perfect"]');
        el.setAttribute("n", "100000");
        const running = el.run().then(
          () => "finished",
          (e) => e.name,
        );
        await new Promise((res) => setTimeout(res, 800));
        el.cancel();
        const outcome = await running;
        const status = el.shadowRoot.querySelector(".status-text").textContent;
        // N above the spawn-per-task cap: Firefox stalls after about 1000 Worker spawns in one
        // page (docs/browsers.md), and the cards above already spawned 499
        el.setAttribute("n", "3000");
        const again = await el.run();
        return { outcome, status, again: again.results };
      });
      assert.equal(c.outcome, "AbortError");
      assert.match(c.status, /Cancelled/);
      assert.deepEqual(c.again, PERFECT);

      assert.deepEqual(await consoleProblems(browser), []);
    });

    test(`header-less article on another origin: element on ${want.element}, iframe on ${want.iframe}`, async () => {
      const lab = await serveDist(true);
      const article = await articleServer(lab.url);
      servers.push(article);
      const { driver } = browser;
      await driver.get(`${article.url}/article.html`);
      await watchConsole(driver);
      await waitInPage(driver, () => customElements.get("speedup-lab") !== undefined, { what: "the widget's module" });
      const both = await inPage(driver, async () => {
        const [a, b] = await Promise.all([
          document.getElementById("widget-a").run(),
          document.getElementById("widget-b").run(),
        ]);
        return { a: { engine: a.engine, totalMs: a.totalMs }, b: { engine: b.engine, results: b.results } };
      });
      assert.equal(both.a.engine, want.element);
      assert.ok(both.a.totalMs / UNIT >= 15, `${both.a.totalMs / UNIT} units`);
      assert.equal(both.b.engine, want.element);
      assert.deepEqual(both.b.results, PERFECT);
      await screenshotAt(driver, `${name}-widget`, "#widget-b");

      // the iframe: scrolled to (Chromium pauses off-screen cross-origin frames), run by message
      await driver.executeScript(() => document.getElementById("lab-frame").scrollIntoView());
      await waitInPage(driver, () => document.getElementById("lab-frame").getBoundingClientRect().height > 300, {
        what: "the iframe to size itself",
      });
      await driver.executeScript(() =>
        document.getElementById("lab-frame").contentWindow.postMessage({ type: "speedup-lab:run" }, "*"),
      );
      const fromFrame = await waitInPage(driver, () => window.__events.find((e) => e.from === "iframe"), {
        timeout: 120_000,
        what: "the iframe's run",
      });
      assert.equal(fromFrame.type, "speedup-lab:done", JSON.stringify(fromFrame.message));
      assert.equal(fromFrame.trace.engine, want.iframe);
      assert.deepEqual(fromFrame.trace.results, PERFECT);
      await screenshotAt(driver, `${name}-iframe`, "#lab-frame");
      assert.deepEqual(await consoleProblems(browser), []);
    });

    test(`dist/ served with no headers (like GitHub Pages): ${want.dist}, first visit and reload`, async () => {
      const s = await serveDist(false);
      const { driver } = browser;
      for (const visit of ["first visit", "reload"]) {
        if (visit === "first visit") await driver.get(`${s.url}/index.html`);
        else {
          // A reader's reload, from the page (F5 reloads the same document). Not WebDriver's
          // Refresh command: issued a second or so after the service worker's own reload had
          // swapped the page's browsing context group (COOP), chromedriver's Refresh sometimes
          // left the tab on the first visit's unisolated document, never reloaded (seen in 3 of
          // 8 tries; from the page, 8 of 8 came back isolated at the same moment).
          await driver.executeScript(() => {
            window.__beforeReload = true;
            location.reload();
          });
        }
        // the service-worker fallback registers, then reloads the page once, isolated
        await waitInPage(driver, () => !window.__beforeReload && crossOriginIsolated, {
          what: `${visit}: isolation by the service worker`,
        });
        await watchConsole(driver);
        const info = await pageReady(driver);
        assert.equal(info.engine, want.dist, `${visit}: ${info.text}`);
        // speedup: sequential and pool runs of the perfect numbers (no worker per number: quick)
        const r = await runCard(driver, 'speedup-lab[experiment="speedup"]', { n: 1000, workers: 2 });
        for (const t of r.traces) {
          assert.equal(t.engine, want.dist, `${visit}: ${t.path}`);
          assert.deepEqual(t.results, PERFECT, `${visit}: ${t.path}`);
        }
        assert.deepEqual(await consoleProblems(browser), [], visit);
      }
    });
  });
}
