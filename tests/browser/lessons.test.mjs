// Every lesson card, run at a small time unit: the numbers the card shows come from the trace,
// and the trace agrees with the lesson (totals in units, FIFO order, results, workers).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { useLabPage } from "./lab.mjs";

const UNIT = 40; // ms: short, yet long against timer and scheduling noise
const lab = useLabPage({ before, after });

/** Run card `id` with `attrs`; return the trace, the lesson data and the card's visible text. */
async function runCard(id, attrs) {
  return lab.tab.page.locator(`speedup-lab#${id}`).evaluate(async (el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    const trace = await el.run();
    const { ms } = await import("/www/ui/format.js");
    return {
      trace,
      data: JSON.parse(JSON.stringify({ ...el.result.data, trace: undefined })),
      facts: el.shadowRoot.querySelector(".facts")?.textContent ?? "",
      text: el.shadowRoot.querySelector(".results").textContent,
      live: el.shadowRoot.querySelector(".live").textContent,
      charts: el.shadowRoot.querySelectorAll("canvas").length,
      totalShown: ms(trace.totalMs),
    };
  }, attrs);
}

const units = (t) => t.totalMs / UNIT;

test("sleep-seq: two sleeps in a row take 2 units", async () => {
  const r = await runCard("sleep-seq", { "unit-ms": UNIT });
  assert.ok(units(r.trace) >= 2 && units(r.trace) < 2.3, `${units(r.trace)} units`);
  assert.ok(r.facts.includes(r.totalShown), `card shows ${r.facts}, trace says ${r.totalShown}`);
  assert.equal(r.trace.strategy, "sequential");
  assert.equal(r.charts, 1);
});

test("start-no-join: the timer stops at ≈0 while the tasks run on for 1 unit", async () => {
  const r = await runCard("start-no-join", { "unit-ms": UNIT });
  assert.ok(r.data.timerMs < 0.25 * UNIT, `timer ${r.data.timerMs} ms`);
  assert.ok(units(r.trace) >= 1 && units(r.trace) < 1.3, `${units(r.trace)} units`);
  assert.match(r.live, /Timer stopped at/);
  assert.deepEqual(r.trace.results, [1, 2]);
});

test("start-join: two joined sleeps take 1 unit", async () => {
  const r = await runCard("start-join", { "unit-ms": UNIT });
  assert.ok(units(r.trace) >= 1 && units(r.trace) < 1.3, `${units(r.trace)} units`);
  assert.equal(new Set(r.trace.spans.map((s) => s.worker)).size, 2);
});

test("many-sleepers: ten sleepers take 2 units on any number of cores", async () => {
  const r = await runCard("many-sleepers", { "unit-ms": UNIT, workers: 10 });
  assert.ok(
    units(r.trace) >= 2 && units(r.trace) < 2.4,
    `${units(r.trace)} units on ${r.trace.hardwareConcurrency} cores`,
  );
  assert.equal(new Set(r.trace.spans.map((s) => s.worker)).size, 10);
  assert.ok(r.trace.workers > r.trace.hardwareConcurrency || r.trace.hardwareConcurrency >= 10);
});

test("pool-map-sleep: 5 workers over 1..10 units end at 15, in FIFO order", async () => {
  const r = await runCard("pool-map-sleep", { "unit-ms": UNIT, workers: 5 });
  const total = units(r.trace);
  assert.ok(total >= 15 && total < 15 * 1.03, `${total} units, want 15 within 3 %`);
  const start = (task) => r.trace.spans.find((s) => s.first === task).start / UNIT;
  for (const t of [1, 2, 3, 4, 5]) assert.ok(start(t) < 0.25, `task ${t} started at ${start(t)}`);
  for (const t of [6, 7, 8, 9, 10]) assert.ok(Math.abs(start(t) - (t - 5)) < 0.25, `task ${t} started at ${start(t)}`);
  const end10 = r.trace.spans.find((s) => s.first === 10).end / UNIT;
  assert.ok(Math.abs(end10 - 15) < 0.45, `task 10 ended at ${end10}`);
  // the table shows the trace's own numbers
  assert.ok(r.text.includes(start(6).toFixed(2)), "measured start of task 6 in the table");
});

test("perfect: four strategies agree, spawn-per-task spawns one worker per number", async () => {
  const r = await runCard("perfect", { n: 500, workers: 2, chunksize: "" });
  const traces = r.data.traces;
  assert.deepEqual(Object.keys(traces).sort(), ["pool-map", "sequential", "spawn-per-task", "work-stealing"]);
  for (const t of Object.values(traces)) assert.deepEqual(t.results, [6, 28, 496]);
  // beyond the guide, separately labelled: the SIMD-lanes kernel finds the same numbers
  assert.deepEqual(r.data.lanes.results, [6, 28, 496]);
  assert.equal(r.data.lanes.strategy, "work-stealing");
  assert.match(r.text, /SIMD lanes/);
  assert.equal(new Set(traces["spawn-per-task"].spans.map((s) => s.worker)).size, 499);
  assert.ok(r.facts.includes("6, 28, 496"));
  assert.match(r.text, /guide's reference/);
});

test("perfect: a run of N = 100 000 can be cancelled, shows it within 200 ms, and the next run works", async () => {
  const r = await lab.tab.page.locator("speedup-lab#perfect").evaluate(async (el) => {
    el.setAttribute("n", "100000");
    const running = el.run().then(
      () => "finished",
      (e) => e.name,
    );
    await new Promise((res) => setTimeout(res, 800));
    const t0 = performance.now();
    el.cancel();
    const outcome = await running;
    const shownAfter = performance.now() - t0;
    const status = el.shadowRoot.querySelector(".status-text").textContent;
    el.setAttribute("n", "1000");
    const again = await el.run();
    return { outcome, shownAfter, status, again: again.results };
  });
  assert.equal(r.outcome, "AbortError");
  assert.ok(r.shownAfter < 200, `cancel took ${r.shownAfter} ms to show`);
  assert.match(r.status, /Cancelled/);
  assert.deepEqual(r.again, [6, 28, 496]);
});

test("speedup: a sweep over 1..3 workers, each checked, with an Amdahl fit", async () => {
  const r = await runCard("speedup", { n: 6000, workers: 3 });
  assert.equal(r.data.points.length, 3);
  assert.ok(r.data.points.every((p) => p.speedup > 0));
  assert.match(r.facts, /Amdahl fit/); // fitted, or why not (a spread larger than the effect)
  assert.equal(r.charts, 1);
});

test("load-balance: static chunks are less balanced than small chunks", async () => {
  const r = await runCard("load-balance", { n: 12000, workers: 2 });
  const imbalance = (busy) => Math.max(...busy) / (busy.reduce((a, b) => a + b, 0) / busy.length);
  const [stat, dyn] = r.data.runs;
  assert.ok(imbalance(stat.busy) > imbalance(dyn.busy), `${imbalance(stat.busy)} vs ${imbalance(dyn.busy)}`);
  assert.ok(imbalance(stat.busy) > 1.2, `static imbalance ${imbalance(stat.busy)}`);
});

test("no console error or page error in all of that", () => {
  assert.deepEqual(lab.tab.problems, []);
});
