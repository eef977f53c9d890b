// The hosted page, threads engine: isolated, shared memory, the perfect card correct and
// parallel, the main thread responsive during a run.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { useLabPage } from "./lab.mjs";

const lab = useLabPage({ before, after });

test("the page is cross-origin isolated, says what it will use before a Run, and the pool's memory is a SharedArrayBuffer", async () => {
  const { page, problems } = lab.tab;
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const status = () => page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  // before any Run: the engine it will use and its pool, said without starting anything
  const before = await status();
  assert.equal(before.ready, "idle", before.text);
  assert.equal(before.engine, "threads");
  assert.ok(Number(before.poolSize) >= 10, `pool of ${before.poolSize}`);
  assert.match(before.text, /threads engine.*The engine starts on the first Run/);
  // the first Run boots the engine; the line then says what started
  await page.locator("speedup-lab#sleep-seq").evaluate((el) => {
    el.setAttribute("unit-ms", "20");
    return el.run();
  });
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready === "true");
  const line = await status();
  assert.equal(line.engine, "threads");
  assert.equal(line.sharedMemory, "true", "wasm memory must be shared (rust-lang/rust#147225)");
  assert.equal(line.poolSize, before.poolSize, "the pool that started is the one announced");
  assert.match(line.text, /started in \d+ ms/);
  assert.deepEqual(problems, []);
});

test("perfect numbers below 10 000: every strategy finds 6, 28, 496, 8128, the pool on >1 worker", async () => {
  const { page, problems } = lab.tab;
  const out = await page.locator("speedup-lab#perfect").evaluate(async (el) => {
    el.setAttribute("n", "10000");
    el.setAttribute("workers", "2");
    await el.run();
    const { traces } = el.result.summary;
    return Object.fromEntries(
      Object.entries(traces).map(([k, t]) => [
        k,
        {
          results: t.results,
          workers: new Set(t.spans.map((s) => s.worker)).size,
          spans: t.spans.length,
          engine: t.engine,
          hc: t.hardwareConcurrency,
          total: t.totalMs,
        },
      ]),
    );
  });
  for (const s of ["sequential", "pool-map", "work-stealing"]) {
    assert.deepEqual(out[s].results, [6, 28, 496, 8128], s);
    assert.equal(out[s].engine, "threads");
    assert.ok(out[s].total > 0);
  }
  assert.equal(out.sequential.workers, 1);
  assert.ok(out["pool-map"].workers > 1, `pool-map used ${out["pool-map"].workers} worker(s)`);
  // Python's chunking: ceil(9 999 / (4 × 2)) = 1 250 → 8 chunks. Each is one span unless the OS
  // paused its thread for over a millisecond mid-chunk; thousands would mean tasks not merged.
  assert.ok(out["pool-map"].spans <= 32, `pool-map trace has ${out["pool-map"].spans} spans for 8 chunks`);
  assert.ok(out.sequential.spans <= 4, `a sequential run is ${out.sequential.spans} spans`);
  assert.ok(out["work-stealing"].workers > 1, `work-stealing used ${out["work-stealing"].workers} worker(s)`);
  const shown = await page
    .locator("speedup-lab#perfect")
    .evaluate((el) => el.shadowRoot.querySelector(".facts").textContent);
  assert.match(shown, /6, 28, 496, 8128/);
  assert.deepEqual(problems, []);
});

test("the main thread keeps ticking while a long run is going", async () => {
  const { page, problems } = lab.tab;
  const r = await page.locator("speedup-lab#perfect").evaluate(async (el) => {
    el.setAttribute("n", "40000");
    el.setAttribute("workers", "2");
    const gaps = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      gaps.push(t - last);
      last = t;
    }, 10);
    const t0 = performance.now();
    await el.run();
    clearInterval(timer);
    return { ticks: gaps.length, maxGap: Math.max(...gaps), ms: performance.now() - t0 };
  });
  assert.ok(r.ms > 500, `the run should take a while (${r.ms} ms)`);
  // Generous, for a loaded machine, and still a real test: the plain loop alone at N = 40 000
  // takes about 1.3 s in wasm (335 ms at 20 000, O(N²)), so any strategy run on the main
  // thread would stall it longer than this.
  assert.ok(r.maxGap < 1_000, `the main thread stalled for ${r.maxGap} ms`);
  assert.ok(r.ticks > r.ms / 40, `only ${r.ticks} ticks in ${r.ms} ms`);
  assert.deepEqual(problems, []);
});
