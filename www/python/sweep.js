/**
 * The python card's speedup sweep: the reader's own program rerun with every Pool and
 * ProcessPoolExecutor forced to k processes (and cpu_count() saying k), k = 1 … max, REPEATS runs
 * each. A run's time is the main program's own, from its start to its end (session.js's spans:
 * its interpreter's boot is the page's, the same at every k, so it is left out). Points as the
 * speedup card makes them (lessons/speedup.js: each run against the median one-process time, the
 * median and its min–max whisker), the Amdahl fit only when the spread is smaller than the
 * effect, and the Karp–Flatt serial fraction per point. Pure: tests/python-sweep.test.mjs.
 */
import { meaningfulFit, speedupPoints } from "../lessons/common.js";
import { ms, times } from "../ui/format.js";

/** Runs per pool size: the median of three, whiskers from min to max. */
export const REPEATS = 3;
/** The largest pool a sweep tries: each run starts that many interpreters, seconds each. */
export const MAX_SWEEP = 8;

/** The pool sizes to sweep: 1 … the larger of the cores and the program's own largest pool. */
export function sweepSizes(cores, programPool) {
  const top = Math.min(MAX_SWEEP, Math.max(2, cores || 1, programPool || 1));
  return Array.from({ length: top }, (_, i) => i + 1);
}

/** One run's time in seconds: the main program's start to its end. */
export function runSeconds(python) {
  const main = python.processes.find((p) => p.kind === "main");
  return (main?.ended ?? python.totalS) - (main?.started ?? 0);
}

/**
 * Karp–Flatt's experimentally determined serial fraction at p processes with speedup S:
 * e = (1/S − 1/p) / (1 − 1/p). Near-constant e says a serial part limits the program (Amdahl);
 * e growing with p says the parallel overhead does (start-up, hand-overs). Undefined at p = 1.
 */
export function karpFlatt(speedup, p) {
  if (p < 2 || !(speedup > 0)) return null;
  return (1 / speedup - 1 / p) / (1 - 1 / p);
}

/** `runs`: `[{ k, seconds }]` → points (speedupPoints' shape, with `e`), the fit or why not. */
export function sweepResult(runs, cores) {
  const one = runs.filter((r) => r.k === 1).map((r) => r.seconds * 1000);
  const byK = new Map();
  for (const r of runs) byK.set(r.k, [...(byK.get(r.k) ?? []), r.seconds * 1000]);
  const points = speedupPoints(one, byK)
    .sort((a, b) => a.k - b.k)
    .map((p) => ({ ...p, e: karpFlatt(p.speedup, p.k) }));
  return { points, cores, ...meaningfulFit(points, cores) };
}

/** The sweep's plain sentence: the best point, against the one-process time, and what limits it. */
export function sweepSentence({ points, cores, fit }) {
  const one = points.find((p) => p.k === 1);
  const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  if (!one || points.length < 2) return "The sweep needs at least two pool sizes.";
  const head =
    best.k === 1 || best.speedup <= 1
      ? `With 1 process the program took ${ms(one.ms)}; no larger pool made it faster (at best ${times(best.speedup)} with ${best.k}).`
      : `With 1 process the program took ${ms(one.ms)}; its best was ${ms(best.ms)} with ${best.k} processes, ${times(best.speedup)} faster (the ideal on ${cores} cores: ${Math.min(best.k, cores)}×).`;
  const es = points.filter((p) => p.e !== null && p.k <= cores);
  const serial =
    es.length === 0
      ? ""
      : es.some((p) => p.e > 1)
        ? ` Karp–Flatt's serial fraction is over 100 % (${es.map((p) => `${Math.round(p.e * 100)} % at ${p.k}`).join(", ")}): the pool's own costs outweigh the work it shares.`
        : ` Karp–Flatt's serial fraction: ${es.map((p) => `${Math.round(p.e * 100)} % at ${p.k}`).join(", ")} (the share that did not run in parallel).`;
  const amdahl = fit ? ` Amdahl's law fits with ${(fit.serial * 100).toFixed(0)} % serial.` : "";
  return `${head}${serial}${amdahl}`;
}
