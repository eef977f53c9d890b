// Measurements a reader can trust, at the cards' default settings: the speedup card's points
// are medians of repeated, interleaved runs drawn with whiskers; the perfect card measures the
// guide's three ways (spawn-per-task on a labelled sub-range, against its own loop) and explains
// the crossover from this run's figures. Nothing here judges a speed against a tight window:
// the asserts are on structure, counts and the consistency of what the card says with its data.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { useLabPage } from "./lab.mjs";

const lab = useLabPage({ before, after });

/** Run card `id` at its defaults (attributes removed); return its data, text and charts. */
function runDefault(id) {
  return lab.tab.page.locator(`speedup-lab#${id}`).evaluate(async (el) => {
    for (const a of ["n", "workers", "chunksize"]) el.removeAttribute(a);
    await el.run();
    const { Chart } = await import("/www/vendor/chart.js");
    const canvases = [...el.shadowRoot.querySelectorAll("canvas")];
    const fit = el.result.summary.fit;
    return {
      data: JSON.parse(JSON.stringify({ ...el.result.summary, fit: undefined })),
      fitted: Boolean(fit),
      params: el.result.params,
      facts: el.shadowRoot.querySelector(".facts").textContent,
      text: el.shadowRoot.querySelector(".results").textContent,
      expect: el.shadowRoot.querySelector(".expect").textContent,
      plugins: canvases.map((c) => (Chart.getChart(c)?.config.plugins ?? []).map((p) => p.id)),
    };
  });
}

test("speedup at defaults: medians of 3 interleaved runs, whiskers, 'median of N', a fit only when meaningful", async () => {
  const r = await runDefault("speedup");
  const { points, repeats, seqMs, cores } = r.data;
  assert.equal(repeats, 3);
  assert.equal(r.params.n, 20_000, "a default size where one run lasts long enough to measure");
  assert.equal(seqMs.length, repeats);
  assert.equal(points.length, r.params.workers);
  assert.ok(r.params.workers > cores || cores >= 4, "the default sweep goes past the cores");
  for (const p of points) {
    assert.equal(p.runs.length, repeats, `k = ${p.k}`);
    assert.ok(p.min <= p.speedup && p.speedup <= p.max, `k = ${p.k}: ${p.min} ≤ ${p.speedup} ≤ ${p.max}`);
    const sorted = [...p.runs].sort((a, b) => a - b);
    assert.equal(p.ms, sorted[1], `k = ${p.k}: the median of its 3 runs`);
  }
  assert.match(r.facts, /median of3 runs per point/);
  assert.match(r.text, /min – max/);
  assert.deepEqual(r.plugins, [["whiskers"]], "one chart, drawn with min–max whiskers");
  // The fit: on 1..cores only, or a sentence saying why there is none.
  if (r.fitted) assert.match(r.facts, new RegExp(`fitted on 1–${cores} workers only`));
  else assert.match(r.facts, /Amdahl fit(not meaningful|needs at least)/);
});

test("the fit is refused when the spread is larger than the effect, and given when it is not", async () => {
  const out = await lab.tab.page.evaluate(async () => {
    const { meaningfulFit, speedupPoints } = await import("/www/lessons/common.js");
    const clean = speedupPoints(
      [100, 100, 100],
      new Map([
        [1, [100, 101, 99]],
        [2, [52, 53, 51]],
      ]),
    );
    const noisy = speedupPoints(
      [100, 100, 100],
      new Map([
        [1, [100, 60, 140]],
        [2, [80, 95, 50]],
      ]),
    );
    const c = meaningfulFit(clean, 2);
    const n = meaningfulFit(noisy, 2);
    return { clean: c.fit?.serial ?? null, noisy: n.fit, why: n.why, median: clean[1].speedup };
  });
  assert.equal(out.median, 100 / 52);
  assert.ok(out.clean !== null && out.clean >= 0 && out.clean < 0.1, `serial fraction ${out.clean}`);
  assert.equal(out.noisy, null);
  assert.match(out.why, /not meaningful/);
});

test("perfect at defaults: the guide's three ways measured, spawn-per-task on a labelled sub-range, the crossover", async () => {
  const r = await runDefault("perfect");
  const { traces, spawn, crossover } = r.data;
  assert.equal(r.params.n, 20_000);
  // every run at N is in `traces`; spawn-per-task, on its sub-range, is in `spawn` only
  assert.ok(traces.sequential && traces["pool-map"] && !traces["spawn-per-task"], Object.keys(traces).join());
  assert.equal(spawn.trace.strategy, "spawn-per-task");
  // spawn-per-task below its own N, one worker per number, beside its own loop on that range
  assert.ok(spawn.n < r.params.n);
  assert.equal(spawn.trace.tasks, spawn.n - 1);
  assert.equal(spawn.loop.tasks, spawn.n - 1);
  assert.equal(new Set(spawn.trace.spans.map((s) => s.worker)).size, spawn.n - 1);
  assert.deepEqual(spawn.trace.results, spawn.loop.results);
  assert.match(r.text, new RegExp(`below ${spawn.n}`.replace(/\d{3}$/, "\\s?$&")));
  assert.match(r.facts, /spawn-per-task speedup/);
  // A worker per number costs milliseconds and a number microseconds: it loses on the sub-range
  // by far (not a timing window: hundreds of Worker starts against a loop of well under 1 s).
  assert.ok(spawn.trace.totalMs > spawn.loop.totalMs, `${spawn.trace.totalMs} vs ${spawn.loop.totalMs}`);
  // The crossover comes from this run's figures and agrees with what the sub-range showed.
  assert.ok(crossover.overheadMs > 0 && crossover.nsPerTest > 0, JSON.stringify(crossover));
  if (crossover.k >= 2) assert.ok(crossover.n > spawn.n, `crossover N ${crossover.n}`);
  assert.match(r.text, /Why spawn-per-task loses here/);
  assert.match(r.text, /guide's Process beat its loop at N = 100 000/);
  // Expectations say what the trace shows: pool-map's bound from its chunks, and the tail.
  assert.match(r.expect, /pool-map at most \d\.\d\d×: \d+ chunks/);
  assert.match(r.facts, /pool-map speedup.*busy per worker .* tail /);
});
