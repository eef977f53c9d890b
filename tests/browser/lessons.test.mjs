// Every lesson card, run at a small time unit: the numbers the card shows come from the trace,
// and the trace agrees with the lesson (totals in units, FIFO order, results, workers).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MANY_SLEEPERS_UNITS, POOL_MAP_SLEEP_UNITS, within } from "./claims.mjs";
import { useLabPage } from "./lab.mjs";

// ms: long against timer noise. The checks are structure (order, overlap, which worker) and
// lower bounds (a sleep cannot end early); a loaded machine can make any sleep end late, so the
// only upper bounds are 5× the expected total: they catch a unit mix-up or a lost wake-up, not
// lateness.
const UNIT = 100;
const lab = useLabPage({ before, after });

/** Run card `id` with `attrs`; return the trace, the lesson data and the card's visible text. */
async function runCard(id, attrs) {
  return lab.tab.page.locator(`speedup-lab#${id}`).evaluate(async (el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    const trace = await el.run();
    const { ms } = await import("/www/ui/format.js");
    return {
      trace,
      data: JSON.parse(JSON.stringify({ ...el.result.summary, trace: undefined })),
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
  const [a, b] = r.trace.spans;
  assert.equal(r.trace.spans.length, 2);
  assert.equal(a.worker, b.worker, "one worker");
  assert.ok(b.start >= a.end, "the second sleep starts when the first has ended");
  assert.ok(units(r.trace) >= 2 && units(r.trace) < 10, `${units(r.trace)} units`);
  assert.ok(r.facts.includes(r.totalShown), `card shows ${r.facts}, trace says ${r.totalShown}`);
  assert.equal(r.trace.strategy, "sequential");
  assert.equal(r.charts, 1);
});

test("start-no-join: the timer stops at ≈0 while the tasks run on for 1 unit", async () => {
  const r = await runCard("start-no-join", { "unit-ms": UNIT });
  const firstEnd = Math.min(...r.trace.spans.map((s) => s.end));
  assert.ok(r.data.timerMs < firstEnd, `timer ${r.data.timerMs} ms, first task ended at ${firstEnd} ms`);
  assert.ok(units(r.trace) >= 1 && units(r.trace) < 5, `${units(r.trace)} units`);
  assert.match(r.live, /Timer stopped at/);
  assert.deepEqual(r.trace.results, [1, 2]);
});

test("start-join: two joined sleeps take 1 unit", async () => {
  const r = await runCard("start-join", { "unit-ms": UNIT });
  const [a, b] = r.trace.spans;
  assert.equal(new Set(r.trace.spans.map((s) => s.worker)).size, 2);
  assert.ok(a.start < b.end && b.start < a.end, "the two sleeps overlap");
  assert.ok(units(r.trace) >= 1 && units(r.trace) < 5, `${units(r.trace)} units`);
});

test("many-sleepers: ten sleepers take 2 units on any number of cores", async () => {
  const r = await runCard("many-sleepers", { "unit-ms": UNIT, workers: 10 });
  const spans = r.trace.spans;
  assert.equal(new Set(spans.map((s) => s.worker)).size, 10);
  assert.ok(Math.max(...spans.map((s) => s.start)) < Math.min(...spans.map((s) => s.end)), "all ten sleep at once");
  assert.ok(
    within(units(r.trace), MANY_SLEEPERS_UNITS),
    `${units(r.trace)} units on ${r.trace.hardwareConcurrency} cores`,
  );
  assert.ok(r.trace.workers > r.trace.hardwareConcurrency || r.trace.hardwareConcurrency >= 10);
});

test("pool-map-sleep: 5 workers over 1..10 units end at 15, in FIFO order", async () => {
  const r = await runCard("pool-map-sleep", { "unit-ms": UNIT, workers: 5 });
  const span = (task) => r.trace.spans.find((s) => s.first === task);
  const firstEnd = span(1).end;
  for (const t of [1, 2, 3, 4, 5]) assert.ok(span(t).start < firstEnd, `task ${t} started at once`);
  for (const t of [6, 7, 8, 9, 10]) {
    // FIFO: task t goes to the worker freed first, the one that ran task t − 5, once it ended
    assert.equal(span(t).worker, span(t - 5).worker, `task ${t} on the worker of task ${t - 5}`);
    assert.ok(span(t).start >= span(t - 5).end, `task ${t} started after task ${t - 5} ended`);
  }
  const total = units(r.trace);
  assert.ok(within(total, POOL_MAP_SLEEP_UNITS), `${total} units`);
  // the table shows the trace's own numbers
  assert.ok(r.text.includes((span(6).start / UNIT).toFixed(2)), "measured start of task 6 in the table");
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

test("perfect: a run of N = 100 000 can be cancelled, says so, sends nothing more, and the next run works", async () => {
  // Order and signals, not a time window: the cancel rejects the run with AbortError, no `done`
  // event comes, no progress follows the rejection, and the card says Cancelled at once.
  const r = await lab.tab.page.locator("speedup-lab#perfect").evaluate(async (el) => {
    el.setAttribute("n", "100000");
    const log = [];
    const onProgress = () => log.push("progress");
    const onDone = () => log.push("done");
    el.addEventListener("speedup-lab:progress", onProgress);
    el.addEventListener("speedup-lab:done", onDone);
    const running = el.run().then(
      () => log.push("finished"),
      (e) => log.push(e.name),
    );
    await new Promise((res) => setTimeout(res, 800));
    log.push("cancel");
    el.cancel();
    await running;
    const status = el.shadowRoot.querySelector(".status-text").textContent;
    await new Promise((res) => setTimeout(res, 1_000)); // room for anything the run still sends
    el.removeEventListener("speedup-lab:progress", onProgress);
    el.removeEventListener("speedup-lab:done", onDone);
    el.setAttribute("n", "1000");
    const again = await el.run();
    return { log, status, again: again.results };
  });
  const [cancelled, rejected] = [r.log.indexOf("cancel"), r.log.indexOf("AbortError")];
  assert.ok(cancelled >= 0 && rejected > cancelled, r.log.join(", "));
  assert.deepEqual(r.log.slice(rejected + 1), [], "nothing of the cancelled run after its rejection");
  assert.ok(!r.log.includes("done") && !r.log.includes("finished"), "the cancelled run never ended by itself");
  assert.match(r.status, /Cancelled/);
  assert.deepEqual(r.again, [6, 28, 496]);
});

test("speedup: a sweep over 1..3 workers, each checked, with an Amdahl fit", async () => {
  const r = await runCard("speedup", { n: 6000, workers: 3 });
  assert.deepEqual(
    r.data.points.map((p) => p.k),
    [1, 2, 3],
  );
  for (const p of r.data.points) {
    // each point is the run it claims: k workers (no more); its trace is its median run (3 runs:
    // the middle one), its speedup the median sequential run's time over that run's
    assert.equal(p.trace.workers, p.k);
    assert.equal(p.trace.strategy, r.data.strategy);
    assert.ok(
      p.trace.spans.every((s) => s.worker < p.k),
      `k=${p.k}: workers ${[...new Set(p.trace.spans.map((s) => s.worker))]}`,
    );
    assert.equal(p.ms, p.trace.totalMs);
    assert.ok(Math.abs(p.speedup - r.data.seq.totalMs / p.trace.totalMs) < 1e-9, `k=${p.k}: ${p.speedup}`);
    assert.ok(p.min <= p.speedup && p.speedup <= p.max, `k=${p.k}: ${p.min} ≤ ${p.speedup} ≤ ${p.max}`);
  }
  assert.match(r.facts, /Amdahl fit/); // fitted, or why not (a spread larger than the effect)
  assert.equal(r.charts, 1);
  // the measured line is drawn in the colour of the strategy that ran; no global chart default
  const colors = await lab.tab.page.locator("speedup-lab#speedup").evaluate(async (el) => {
    const { Chart } = await import("/www/vendor/chart.js");
    const { STRATEGY_COLORS } = await import("/www/ui/charts.js");
    const chart = Chart.getChart(el.shadowRoot.querySelector("canvas"));
    return {
      line: chart.data.datasets[0].borderColor,
      want: STRATEGY_COLORS[el.result.summary.strategy],
      defaults: Chart.defaults.color,
    };
  });
  assert.equal(colors.line, colors.want);
  assert.equal(colors.defaults, "#666", "Chart.defaults.color is Chart.js's own");
});

test("the form follows the core's table: each input's range and message come from Rust", async () => {
  const r = await lab.tab.page.locator("speedup-lab#perfect").evaluate(async (el) => {
    const { limitsFor } = await import("/www/core/core.js");
    const poolSize = Number(document.getElementById("isolation").dataset.poolSize);
    const table = Object.fromEntries(limitsFor(poolSize, navigator.hardwareConcurrency).params.map((p) => [p.key, p]));
    const inputs = [...el.shadowRoot.querySelectorAll("input[name]")].map((i) => ({
      name: i.name,
      min: Number(i.dataset.min),
      max: Number(i.dataset.max),
    }));
    const n = table.n;
    el.setAttribute("n", String(n.max + 1));
    const rejected = await el.run().then(
      () => null,
      (e) => e.message,
    );
    el.setAttribute("n", "500");
    return {
      table,
      inputs,
      rejected,
      want: `${n.label} must be a whole number from ${n.min} to ${n.max}, got "${n.max + 1}".`,
    };
  });
  assert.deepEqual(
    r.inputs.map((i) => i.name),
    ["n", "workers", "chunksize"],
  );
  for (const i of r.inputs) {
    assert.equal(i.min, r.table[i.name].min, `${i.name} min`);
    assert.equal(i.max, r.table[i.name].max, `${i.name} max`);
  }
  assert.equal(
    r.table.workers.max,
    Number(await lab.tab.page.evaluate(() => document.getElementById("isolation").dataset.poolSize)),
  );
  assert.equal(r.rejected, r.want);
});

for (const kind of ["threads", "processes"]) {
  test(`${kind}: a cancelled run rejects with a DOMException named AbortError, from the engine and from the card`, async () => {
    const r = await lab.tab.page.evaluate(async (kind) => {
      const outcome = (p) =>
        p.then(
          () => "finished",
          (e) => ({ name: e.name, dom: e instanceof DOMException }),
        );
      const { getEngine } = await import("/www/engine/client.js");
      const engine = getEngine(kind);
      await engine.boot();
      // cancelled once its tasks are handed out (a signal, not a delay): 2 × 5 s of sleep
      const controller = new AbortController();
      const fromEngine = await outcome(
        engine.run(
          { workload: "sleep", units: [50, 50], unitMs: 100, strategy: "pool-map", workers: 2 },
          { signal: controller.signal, onEvent: (e) => e.type === "dispatched" && controller.abort() },
        ),
      );
      // the card: ten sleepers of 2 × 2 s, cancelled whenever it is (the run cannot be over)
      const el = document.createElement("speedup-lab");
      for (const [k, v] of Object.entries({ experiment: "many-sleepers", engine: kind, "unit-ms": "2000" })) {
        el.setAttribute(k, v);
      }
      document.body.append(el);
      const running = outcome(el.run());
      await new Promise((res) => setTimeout(res, 300));
      el.cancel();
      const fromCard = await running;
      el.remove();
      return { fromEngine, fromCard };
    }, kind);
    assert.deepEqual(r.fromEngine, { name: "AbortError", dom: true });
    assert.deepEqual(r.fromCard, { name: "AbortError", dom: true });
  });
}

// The work each worker got, from the spans' task ranges (a number's test costs about the number:
// Σ first..last), not its wall time: on a loaded machine a worker's wall time stretches with the
// waiting for a core, and the static run once measured 1.02× instead of ~1.5× (a flaky check).
test("load-balance: static chunks give one worker far more work; small chunks are many", async () => {
  const r = await runCard("load-balance", { n: 12000, workers: 2 });
  const workOf = (trace) => {
    const work = new Map();
    for (const s of trace.spans) {
      work.set(s.worker, (work.get(s.worker) ?? 0) + ((s.first + s.last) * (s.last - s.first + 1)) / 2);
    }
    return [...work.values()];
  };
  const imbalance = (w) => Math.max(...w) / (w.reduce((a, b) => a + b, 0) / 2); // over the 2 workers
  const [stat, dyn] = r.data.runs;
  assert.ok(
    imbalance(workOf(stat.trace)) > 1.2,
    `static: the busiest worker had ${imbalance(workOf(stat.trace))}× the mean work`,
  );
  assert.equal(stat.trace.chunksize, 6000, "one chunk per worker");
  assert.ok(dyn.trace.spans.length > 2 * 2, "small chunks: many pieces, handed out as workers free up");
  assert.equal(stat.busy.length, 2, "the card's busy time per worker is there for both workers");
});

test("a trace that ran with the parking fallback gets a note in its card", async () => {
  const card = lab.tab.page.locator("speedup-lab#sleep-seq");
  const notes = await card.evaluate((el) => {
    const traces = el.result.traces.map(({ label, trace }) => ({ label, trace: { ...trace, parkingFallback: true } }));
    el.result = { ...el.result, traces };
    el.setAttribute("theme", "light"); // re-renders the card with the kept result
    return [...el.shadowRoot.querySelectorAll(".note")].map((n) => n.textContent);
  });
  assert.equal(notes.filter((n) => /more threads than the workers asked for/.test(n)).length, 1);
});

test("no console error or page error in all of that", () => {
  assert.deepEqual(lab.tab.problems, []);
});
