/** Helpers the lessons share: checks against known answers, medians, fits. (The FIFO schedule on paper is the core's: core/core.js `fifo`.) */

import { times } from "../ui/format.js";

/**
 * The untimed first run of a lesson that times wasm runs (its `warm`): the engine's first wasm
 * runs are ~20 % slower (tier-up), so the card runs this once per engine and page before them.
 */
export const WARM_UP = Object.freeze({ workload: "perfect", n: 4000, strategy: "sequential", workers: 1 });

/** Perfect numbers (OEIS A000396) below any N the lab accepts. */
export const KNOWN_PERFECT = [6, 28, 496, 8128, 33550336];

export function perfectBelow(n) {
  return KNOWN_PERFECT.filter((p) => p < n);
}

/**
 * Check a trace's results against the sequential ones (and, for perfect numbers, the known
 * list). Throws a clear error on a mismatch: a wrong answer is never shown as a speedup.
 */
export function checkResults(trace, reference, label) {
  const a = JSON.stringify(trace.results);
  const b = JSON.stringify(reference);
  if (a !== b) {
    throw new Error(
      `Results differ: ${label} found [${trace.results.join(", ")}] but sequential found [${reference.join(", ")}].`,
    );
  }
}

/**
 * The median of a list of numbers: the middle one, or the mean of the middle two for an even
 * count; NaN for an empty list. Every lesson that repeats its runs (speedup, random-forest,
 * parallel-writes, python's process starts) and the benchmark (bench/stats.mjs) show medians,
 * robust to one run disturbed by something else on the machine: one definition, so they agree.
 */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Amdahl's law fit: the serial fraction s minimising the squared error of
 * S(k) = 1 / (s + (1 - s) / k) over points with k <= cores (past the cores, oversubscription,
 * not the serial part, is what limits the speedup).
 */
export function amdahlFit(points, cores) {
  const usable = points.filter((p) => p.k <= cores);
  if (usable.length < 2) return null;
  const model = (s, k) => 1 / (s + (1 - s) / k);
  let best = { s: 0, err: Infinity };
  for (let i = 0; i <= 1000; i++) {
    const s = i / 1000;
    const err = usable.reduce((sum, p) => sum + (model(s, p.k) - p.speedup) ** 2, 0);
    if (err < best.err) best = { s, err };
  }
  return { serial: best.s, at: (k) => model(best.s, k) };
}

/** Busy time per lane of a trace (sum of its spans), indexed 0..lanes-1 (a worker, or for
 * spawn-per-task a process per task: see the core's `Trace.lanes`). */
export function busyPerWorker(trace) {
  const busy = new Array(trace.lanes ?? trace.workers).fill(0);
  for (const s of trace.spans) busy[s.worker] = (busy[s.worker] ?? 0) + (s.end - s.start);
  return busy;
}

/** Distinct workers that ran at least one task. */
export function workersUsed(trace) {
  return new Set(trace.spans.map((s) => s.worker)).size;
}

/**
 * Points from the runs: `seqMs` (the sequential runs) and `byK` (k → runs in ms). Each point's
 * speedups divide the *median* sequential time by each run, so a point's whisker is its own
 * spread, not the baseline's.
 */
export function speedupPoints(seqMs, byK) {
  const base = median(seqMs);
  return [...byK.entries()].map(([k, runs]) => {
    const s = runs.map((t) => base / t);
    return { k, ms: median(runs), runs, speedup: median(s), min: Math.min(...s), max: Math.max(...s) };
  });
}

/**
 * The Amdahl fit, only when it means something: on 1..cores points, and only if no point's
 * spread (max − min) is larger than the effect being fitted (the speedup at the core count
 * minus 1). Returns `{ fit }` or `{ fit: null, why }`.
 */
export function meaningfulFit(points, cores) {
  const usable = points.filter((p) => p.k <= cores);
  if (cores < 2 || usable.length < 2) return { fit: null, why: `needs at least 2 cores and 2 points up to them` };
  const top = usable.at(-1);
  const effect = top.speedup - 1;
  const spread = Math.max(...usable.map((p) => p.max - p.min));
  if (!(effect > spread)) {
    return {
      fit: null,
      why: `not meaningful here: the runs spread by up to ${spread.toFixed(2)}×, more than the effect (${times(top.speedup)} at ${top.k} workers)`,
    };
  }
  return { fit: amdahlFit(usable, cores) };
}
