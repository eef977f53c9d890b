// The python card's sweep (www/python/sweep.js): the pool sizes it tries, Karp–Flatt's serial
// fraction, and points whose medians and whiskers are those of the runs themselves.
import assert from "node:assert/strict";
import { test } from "node:test";
import { karpFlatt, REPEATS, runSeconds, sweepResult, sweepSentence, sweepSizes } from "../www/python/sweep.js";

const close = (a, b) => Math.abs(a - b) < 1e-9;

test("sizes: 1 … the larger of the cores and the program's pool, at least 2, at most 8", () => {
  assert.deepEqual(sweepSizes(2, 2), [1, 2]);
  assert.deepEqual(sweepSizes(4, 2), [1, 2, 3, 4]);
  assert.deepEqual(sweepSizes(2, 6), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(sweepSizes(1, 1), [1, 2]);
  assert.equal(sweepSizes(64, 2).length, 8);
});

test("Karp–Flatt: 0 at the ideal speedup, 1 at none, undefined for one process", () => {
  assert.ok(close(karpFlatt(4, 4), 0));
  assert.ok(close(karpFlatt(1, 4), 1));
  assert.ok(close(karpFlatt(1 / (0.1 + 0.9 / 4), 4), 0.1), "an Amdahl program with 10 % serial gives e = 0.1");
  assert.equal(karpFlatt(2, 1), null);
});

test("a run's time is the main program's own span", () => {
  const python = { totalS: 5, processes: [{ kind: "main", started: 1.25, ended: 4.5 }] };
  assert.equal(runSeconds(python), 3.25);
});

test("points: medians and min–max whiskers of the runs, each against the median one-process time", () => {
  const runs = [
    [1, 2.0],
    [1, 2.2],
    [1, 1.8],
    [2, 1.0],
    [2, 1.25],
    [2, 1.1],
  ].map(([k, seconds]) => ({ k, seconds }));
  assert.equal(runs.length, 2 * REPEATS);
  const { points, fit } = sweepResult(runs, 2);
  assert.deepEqual(
    points.map((p) => p.k),
    [1, 2],
  );
  assert.ok(close(points[1].ms, 1100));
  assert.ok(close(points[1].speedup, 2 / 1.1));
  assert.ok(close(points[1].min, 2 / 1.25));
  assert.ok(close(points[1].max, 2 / 1.0));
  assert.ok(close(points[1].e, karpFlatt(2 / 1.1, 2)));
  assert.ok(fit, "the spread (0.4×) is smaller than the effect (0.82×): Amdahl is fitted");
  assert.ok(Math.abs(fit.serial - points[1].e) < 0.002, "on two points the fit's s is Karp–Flatt's e");
  const text = sweepSentence({ points, cores: 2, fit });
  assert.match(text, /With 1 process the program took 2\.00 s; its best was 1\.10 s with 2 processes, 1\.82× faster/);
  assert.match(text, /10 % at 2/);
});

test("no Amdahl fit when the runs spread more than the effect", () => {
  const runs = [
    [1, 2.0],
    [1, 3.0],
    [1, 1.5],
    [2, 1.9],
    [2, 1.2],
    [2, 2.6],
  ].map(([k, seconds]) => ({ k, seconds }));
  const { fit, why } = sweepResult(runs, 2);
  assert.equal(fit, null);
  assert.match(why, /spread/);
});
