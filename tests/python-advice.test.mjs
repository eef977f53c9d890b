// The python card's advice (www/python/advice.js) on runs whose shape is known: each shape gets
// its own advice and none of the others', and a well-balanced CPU pool gets none. The runs are
// made here by a small FIFO pool simulation with the same records session.js keeps (spawn, boot,
// each chunk's hand-over, start, end and return), so every number the advice quotes is known;
// tests/browser/python-advice.test.mjs runs the same shapes as real programs in the browsers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { advice, measuresOf, peakWorking } from "../www/python/advice.js";

/**
 * A run of one pool of `workers` processes on `cores` cores: each boots in `boot` s, then takes
 * the next chunk first in, first out; a chunk's hand-over costs `hand` s each way. `chunks`:
 * `{ work, sleep = 0, size = 1, bytes = 100 }` each.
 */
function poolRun({ workers, cores = 2, boot = 0.3, hand = 0.001, chunks }) {
  const free = Array.from({ length: workers }, () => boot);
  const tasks = Array.from({ length: workers }, () => []);
  let first = 0;
  chunks.forEach((c, i) => {
    const w = free.indexOf(Math.min(...free));
    const sent = free[w];
    const start = sent + hand;
    const end = start + c.work;
    const received = end + hand;
    const size = c.size ?? 1;
    tasks[w].push({
      task: i + 1,
      size,
      first,
      start,
      end,
      sent,
      received,
      ok: true,
      slept: c.sleep ?? 0,
      argBytes: c.bytes ?? 100,
      resultBytes: 20,
    });
    first += size;
    free[w] = received;
  });
  const last = Math.max(...free);
  const pool = tasks.map((list, k) => ({
    name: `SpawnPoolWorker-${k + 1}`,
    kind: "pool",
    spawned: 0,
    booted: boot,
    started: boot,
    ended: last + 0.01,
    exitcode: 0,
    tasks: list,
  }));
  return {
    blocking: { rung: "jspi", parallel: true },
    cores,
    totalS: last + 0.05,
    processes: [
      { name: "MainProcess", kind: "main", spawned: 0, booted: 0, started: 0, ended: last + 0.05, tasks: [] },
      ...pool,
    ],
  };
}
const ids = (run) => advice(run).map((a) => a.id);
const times = (n, c) => Array.from({ length: n }, () => ({ ...c }));

const SHAPES = {
  "tiny tasks (transfer-dominated)": {
    run: poolRun({ workers: 2, boot: 0.2, hand: 0.0005, chunks: times(3000, { work: 0.00001 }) }),
    want: ["transfer"],
  },
  "one task ten times the others (imbalance)": {
    run: poolRun({ workers: 2, chunks: [...times(7, { work: 0.1 }), { work: 1.0 }] }),
    want: ["imbalance"],
  },
  "pure sleeps (no core needed)": {
    run: poolRun({ workers: 2, chunks: times(8, { work: 0.5, sleep: 0.5 }) }),
    want: ["sleeping"],
  },
  "start-up-dominated": {
    run: poolRun({ workers: 2, chunks: times(4, { work: 0.0001 }) }),
    want: ["start-up"],
  },
  "a well-balanced CPU pool": {
    run: poolRun({ workers: 2, chunks: times(8, { work: 0.3 }) }),
    want: [],
  },
  "more processes than cores, computing": {
    run: poolRun({ workers: 4, chunks: times(8, { work: 0.6 }) }),
    want: ["oversubscribed"],
  },
};

for (const [shape, { run, want }] of Object.entries(SHAPES)) {
  test(`${shape}: ${want.length ? want.join(", ") : "no advice"}, and nothing else`, () => {
    assert.deepEqual(
      ids(run),
      want,
      JSON.stringify(measuresOf({ ...run }), (k, v) => (k === "chunks" ? v.length : v)),
    );
  });
}

test("the transfer advice names the chunksize that would amortise the hand-over", () => {
  const [a] = advice(SHAPES["tiny tasks (transfer-dominated)"].run);
  // 1 ms of hand-over per chunk against 0.01 ms of work per item: 10 % → 1000 items a chunk,
  // capped at one chunk per process (1500).
  assert.match(a.text, /chunksize=1000\b/);
  assert.match(a.text, /3 hand-overs instead of 3000/);
});

test("the imbalance advice names the long chunk's items and the idle time", () => {
  const [a] = advice(SHAPES["one task ten times the others (imbalance)"].run);
  assert.match(a.text, /item 7\b/);
  assert.match(a.text, /10× the median chunk/);
  assert.match(a.text, /longest first/, "a chunk of one task: order, not chunksize");
});

test("sleeping processes past the cores: said as why they helped", () => {
  const run = poolRun({ workers: 4, chunks: times(8, { work: 0.5, sleep: 0.5 }) });
  const [a] = advice(run);
  assert.equal(a.id, "sleeping");
  assert.match(a.text, /that is why 4 processes at once on 2 cores helped/);
});

test("the peak counts processes working at the same moment, an end before a start", () => {
  const p = (spans) => ({ kind: "pool", tasks: spans.map(([start, end]) => ({ start, end })) });
  assert.equal(
    peakWorking(
      [
        p([
          [0, 1],
          [1, 2],
        ]),
        p([[0.5, 1]]),
      ],
      2,
    ),
    2,
  );
});

test("no advice on the one-at-a-time rung, nor for a program that started no process", () => {
  const run = SHAPES["start-up-dominated"].run;
  assert.deepEqual(advice({ ...run, blocking: { rung: "one-at-a-time", parallel: false } }), []);
  assert.deepEqual(advice({ ...run, processes: run.processes.slice(0, 1) }), []);
});
