// The homework card on both engines: every multiplication done once, waiting students gain
// with k on any machine, busy students never beat the core count, the guide's arithmetic
// corrected, bad input refused by the core, cancel rejects with AbortError.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { useLabPage } from "./lab.mjs";
import { tryCardInPage } from "./try-card.mjs";

const lab = useLabPage({ before, after });

/** Run the homework card with `attrs`; return what the tests read. */
function runHomework(attrs) {
  return lab.tab.page.locator("speedup-lab#homework").evaluate(async (el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    await el.run();
    const { runs, k, iterations } = el.result.summary;
    const per = (t) => {
      const count = new Array(t.workers).fill(0);
      for (const s of t.spans) count[s.worker] += s.last - s.first + 1;
      return count;
    };
    return {
      k,
      iterations,
      totals: Object.fromEntries(Object.entries(runs).map(([key, t]) => [key, t.totalMs])),
      results: Object.fromEntries(Object.entries(runs).map(([key, t]) => [key, t.results])),
      engines: Object.values(runs).map((t) => t.engine),
      perStudent: per(runs.waitingK),
      cores: runs.busyK.hardwareConcurrency,
      text: el.shadowRoot.querySelector(".results").textContent,
      charts: el.shadowRoot.querySelectorAll("canvas").length,
    };
  }, attrs);
}

const ALL = Array.from({ length: 1200 }, (_, i) => i + 1);

for (const engine of ["threads", "processes"]) {
  test(`${engine}: 1200 multiplications, each once; waiting students gain, busy ones stop at the cores`, async () => {
    const r = await runHomework({ engine, students: 4, "multiplication-ms": 2 });
    assert.deepEqual(new Set(r.engines), new Set([engine]));
    for (const [key, results] of Object.entries(r.results)) assert.deepEqual(results, ALL, key);
    assert.equal(r.perStudent.length, 4);
    assert.equal(
      r.perStudent.reduce((a, b) => a + b, 0),
      1200,
    );
    assert.ok(
      r.perStudent.every((c) => c > 0),
      `every student worked: ${r.perStudent}`,
    );
    // Waiting needs no core: 4 waiting students are ~4× one. 2.5× leaves room for timer
    // overshoot on a loaded 2-core machine while still failing if the waits did not overlap.
    const waitGain = r.totals.waiting1 / r.totals.waitingK;
    assert.ok(waitGain > 2.5, `waiting gain ${waitGain}`);
    // Busy students need cores: a gain above the core count is impossible (fixed work per task);
    // 25 % over it is allowed for timing noise.
    const busyGain = r.totals.busy1 / r.totals.busyK;
    assert.ok(busyGain < Math.min(4, r.cores) * 1.25, `busy gain ${busyGain} on ${r.cores} cores`);
    assert.ok(r.iterations >= 1);
    // the guide's story, with its slip named
    assert.match(r.text, /1200 ÷ 4 = 300 tasks each; 300 × 3 s = 900 s = 15 min/);
    assert.match(r.text, /250 tasks and 750 s/);
    assert.equal(r.charts, 3);
  });
}

test("bad input: the core's table refuses a unit past its limit; the card says so and fires an error event", async () => {
  const r = await lab.tab.page.evaluate(tryCardInPage, {
    experiment: "homework",
    engine: "threads",
    "multiplication-ms": "60",
  });
  assert.match(r.rejected, /Unit per multiplication \(ms\) must be a whole number from 1 to 50, got "60"/);
  assert.deepEqual(r.events, [r.rejected]);
  assert.deepEqual(r.shown, [r.rejected]);
});

test("bad input: more than 8 students is refused with a clear message", async () => {
  const r = await lab.tab.page.locator("speedup-lab#homework").evaluate(async (el) => {
    el.setAttribute("students", "9");
    const error = await el.run().then(
      () => null,
      (e) => e.message,
    );
    el.setAttribute("students", "4");
    return error;
  });
  assert.match(r, /Students \(k\) must be a whole number from 1 to 8, got "9"/);
});

test("cancel rejects with AbortError and the next run works", async () => {
  const r = await lab.tab.page.locator("speedup-lab#homework").evaluate(async (el) => {
    el.setAttribute("multiplication-ms", "20");
    el.setAttribute("students", "2");
    const running = el.run().then(
      () => "finished",
      (e) => e.name,
    );
    await new Promise((res) => setTimeout(res, 1500));
    el.cancel();
    const outcome = await running;
    el.setAttribute("multiplication-ms", "1");
    const next = await el.run();
    return { outcome, next: next.results.length };
  });
  assert.equal(r.outcome, "AbortError");
  assert.equal(r.next, 1200);
});

test("no console error or page error in all of that", () => {
  assert.deepEqual(lab.tab.problems, []);
});
