// The perfect lesson's crossover (www/lessons/perfect.js `crossoverOf`): k, the processes that ran
// at once, is the reader's `workers` at most the cores — not the trace's lanes, which for
// spawn-per-task are one per number. Issue 24 found it read the lanes (then called `workers`):
// with workers = 1 on two cores it assumed two processes ran at once and halved the loop's share.
import assert from "node:assert/strict";
import { test } from "node:test";
import { crossoverN, crossoverOf, divisorTests } from "../www/lessons/perfect.js";

const N = 30_000;
const SPAWN_N = 500;
const sequential = { hardwareConcurrency: 2, totalMs: 400, workers: 1, lanes: 1 };
const loop = { totalMs: 2, workers: 1, lanes: 1 };
/** A spawn-per-task trace below SPAWN_N: 499 processes (lanes), `workers` at once. */
const spawned = (workers) => ({ totalMs: 1500, workers, lanes: SPAWN_N - 1 });

test("one process at a time on two cores: k = 1, and spawning never pays", () => {
  const c = crossoverOf(sequential, loop, spawned(1), N, SPAWN_N);
  assert.equal(c.k, 1);
  assert.equal(c.n, null, "with one at a time a worker per number never beats the loop");
  assert.equal(c.overheadMs, (1500 - 2) / (SPAWN_N - 1));
});

test("workers below the cores: k is the workers; above: the cores", () => {
  const four = { ...sequential, hardwareConcurrency: 4 };
  assert.equal(crossoverOf(four, loop, spawned(2), N, SPAWN_N).k, 2);
  assert.equal(crossoverOf(sequential, loop, spawned(8), N, SPAWN_N).k, 2);
});

test("the crossover is where a worker per number starts to pay, from the run's own figures", () => {
  const c = crossoverOf(sequential, loop, spawned(2), N, SPAWN_N);
  const nsPerTest = (400 * 1e6) / divisorTests(N);
  assert.equal(c.nsPerTest, nsPerTest);
  assert.equal(c.n, crossoverN(c.overheadMs, nsPerTest, 2));
  assert.ok(c.n > SPAWN_N, "at these costs spawning pays only far above the sub-range");
});
