// The random-forest card on both engines: the digits are fetched only when it runs, every
// n_jobs grows the same forest — the very forest native Rust grows (tests/forest-expected.json,
// written by tests/forest.rs) — the accuracy is shown, cancel rejects with AbortError and the
// card runs again, and bad tree counts or depths get a clear message and an error event.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openPage } from "./browser.mjs";
import { useLabPage } from "./lab.mjs";
import { articleServer, ROOT } from "./server.mjs";
import { tryCardInPage } from "./try-card.mjs";

const EXPECTED = JSON.parse(readFileSync(join(ROOT, "tests", "forest-expected.json"), "utf8"));
const DATA = "/www/data/digits.bin";
const lab = useLabPage({ before, after });

/** A fresh random-forest card with `attrs`, run to the end; what the reader would see. */
function runForestCard(page, attrs) {
  return page.evaluate(async (attrs) => {
    const el = document.createElement("speedup-lab");
    el.setAttribute("experiment", "random-forest");
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    document.body.append(el);
    try {
      const trace = await el.run();
      const { points } = el.result.summary;
      return {
        trace: JSON.parse(JSON.stringify({ ...trace, forest: { ...trace.forest, predictions: [] } })),
        points: points.map((p) => ({ k: p.k, fingerprint: p.trace.forest.fingerprint, workers: p.trace.workers })),
        predictions: points.map((p) => Array.from(p.trace.forest.predictions).join("")),
        facts: el.shadowRoot.querySelector(".facts").textContent,
        // the notes: warnings under the chart, the rest in labelled disclosures
        notes: el.shadowRoot.querySelector(".results").textContent,
        charts: el.shadowRoot.querySelectorAll("canvas").length,
      };
    } finally {
      el.remove();
    }
  }, attrs);
}

test("the digits are not fetched before a forest card runs", () => {
  assert.ok(!lab.tab.requests.some((u) => u.includes(DATA)), "digits.bin was fetched at page load");
});

for (const engine of ["threads", "processes"]) {
  test(`${engine}: n_jobs 1 and 2 grow the native forest (same fingerprint), accuracy shown`, async () => {
    const { trees, depth } = EXPECTED.settings;
    const r = await runForestCard(lab.tab.page, { engine, trees, depth, workers: 2 });
    assert.equal(r.trace.engine, engine);
    assert.deepEqual(
      r.points.map((p) => [p.k, p.workers, p.fingerprint]),
      [
        [1, 1, EXPECTED.fingerprint],
        [2, 2, EXPECTED.fingerprint],
      ],
      "every n_jobs, and wasm, must grow the forest native Rust grew",
    );
    assert.equal(r.predictions[0], r.predictions[1]);
    assert.equal(r.predictions[0].length, EXPECTED.testRows);
    const f = r.trace.forest;
    assert.deepEqual([f.correct, f.testRows, f.trees, f.depth], [EXPECTED.correct, EXPECTED.testRows, trees, depth]);
    // the trace of n_jobs = 2: one span per tree, each tree once, only workers 0 and 1
    assert.deepEqual(
      r.trace.spans.map((s) => s.first).sort((a, b) => a - b),
      Array.from({ length: trees }, (_, i) => i + 1),
    );
    assert.ok(r.trace.spans.every((s) => s.worker === 0 || s.worker === 1));
    const pct = `${((EXPECTED.correct / EXPECTED.testRows) * 100).toFixed(1)} %`;
    assert.ok(r.facts.includes(pct), `accuracy ${pct} shown: ${r.facts}`);
    assert.ok(r.facts.includes(`one fingerprint: ${EXPECTED.fingerprint}`), r.facts);
    assert.match(r.notes, /prefer="threads"/);
    assert.equal(r.charts, 2, "speedup chart and timeline");
    assert.ok(
      lab.tab.requests.some((u) => u.includes(DATA)),
      "the digits were fetched for the run",
    );
  });

  test(`${engine}: a long fit is cancelled with AbortError, and the card runs again`, async () => {
    const r = await lab.tab.page.evaluate(async (engine) => {
      const el = document.createElement("speedup-lab");
      el.setAttribute("experiment", "random-forest");
      el.setAttribute("engine", engine);
      el.setAttribute("trees", "1000");
      el.setAttribute("workers", "2");
      document.body.append(el);
      // Cancel once the timed fits have begun (past the warm-up) and some trees are grown.
      const growing = new Promise((resolve) =>
        el.addEventListener("speedup-lab:progress", (e) => {
          if (e.detail.stage.startsWith("n_jobs") && e.detail.done > 0) resolve();
        }),
      );
      const running = el.run().then(
        () => "finished",
        (e) => e.name,
      );
      await growing;
      const status = el.shadowRoot.querySelector(".status-text").textContent;
      el.cancel();
      const outcome = await running;
      el.setAttribute("trees", "8");
      const again = await el.run();
      el.remove();
      return { outcome, again: again.forest.trees, engine: again.engine, status };
    }, engine);
    assert.equal(r.outcome, "AbortError");
    assert.equal(r.again, 8);
    assert.equal(r.engine, engine);
    assert.match(r.status, /^n_jobs = 1, run 1 of 3: \d+ of 1\u2009000 trees · /, r.status);
  });
}

const BAD = [
  [{ trees: "0" }, 'Trees must be a whole number from 1 to 1000, got "0".'],
  [{ trees: "1001" }, 'got "1001"'],
  [{ trees: "abc" }, 'got "abc"'],
  [{ trees: "2.5" }, 'got "2.5"'],
  [{ depth: "0" }, 'Max depth must be a whole number from 1 to 30, got "0".'],
  [{ depth: "31" }, 'got "31"'],
  [{ depth: "<b>1</b>" }, 'got "<b>1</b>"'],
  [{ workers: "0" }, "Workers must be a whole number from 1 to"],
];

test("bad tree counts and depths: a clear message, an error event, nothing run", async () => {
  for (const [attrs, want] of BAD) {
    const r = await lab.tab.page.evaluate(tryCardInPage, { experiment: "random-forest", ...attrs });
    assert.ok(r.rejected?.includes(want), `${JSON.stringify(attrs)}: ${r.rejected}`);
    assert.deepEqual(r.events, [r.rejected]);
    assert.deepEqual(r.shown, [r.rejected]);
    assert.equal(r.markup, 0);
    assert.equal(r.results, 0, "no results drawn");
  }
});

test("the engine itself refuses a bad forest spec with the core's message", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const { getEngine } = await import("/www/engine/client.js");
    const tried = [];
    for (const spec of [
      { workload: "forest", trees: 0 },
      { workload: "forest", depth: 99 },
      { workload: "forest", workers: 1000 },
    ]) {
      try {
        await getEngine("threads").run(spec);
        tried.push("ran");
      } catch (e) {
        tried.push(e.message);
      }
    }
    return tried;
  });
  assert.match(r[0], /^Trees must be a whole number from 1 to 1000, got 0\.$/);
  assert.match(r[1], /^Max depth must be a whole number from 1 to 30, got 99\.$/);
  assert.match(r[2], /^n_jobs must be a whole number from 1 to \d+, got 1000\.$/);
});

test("an article on another origin: the element (processes) and the iframe (threads) grow one forest", async () => {
  const article = await articleServer(lab.server.url, "forest-article.html");
  const tab = await openPage(lab.browser, `${article.url}/forest-article.html`);
  try {
    const element = await tab.page.evaluate(async () => {
      const t = await document.getElementById("forest-element").run();
      return { engine: t.engine, fingerprint: t.forest.fingerprint, trees: t.forest.trees };
    });
    await tab.page.locator("#forest-frame").scrollIntoViewIfNeeded();
    // the frame's card is there once it has reported its height (a run message before would be lost)
    await tab.page.waitForFunction(() => window.__frameLoaded === true, null, { timeout: 30_000 });
    await tab.page.evaluate(() =>
      document.getElementById("forest-frame").contentWindow.postMessage({ type: "speedup-lab:run" }, "*"),
    );
    await tab.page.waitForFunction(() => window.__events.length > 0, null, { timeout: 120_000 });
    const framed = await tab.page.evaluate(() => window.__events[0]);
    assert.equal(framed.type, "speedup-lab:done", JSON.stringify(framed));
    assert.deepEqual(element, { engine: "processes", fingerprint: framed.trace.forest.fingerprint, trees: 8 });
    assert.equal(framed.trace.engine, "threads");
    assert.ok(
      tab.requests.some((u) => u.startsWith(lab.server.url) && u.includes(DATA)),
      "digits from the lab's host",
    );
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.context.close();
    await article.close();
  }
});

test("no console errors or page errors", () => {
  assert.deepEqual(lab.tab.problems, []);
});
