/**
 * Beyond the guide: speedup against worker count, from a sweep the reader starts — with the
 * ideal line, an Amdahl's-law fit and the core count marked, so oversubscription (more
 * CPU-bound workers than cores) is seen to gain nothing.
 *
 * One run per point is not enough on a real machine (one noisy run once made 3 workers "beat" 2
 * on 2 cores): every point is the median of REPEATS runs, taken round-robin over the worker
 * counts so that drift (another tab, the CPU clock) lands on every point alike, and drawn with
 * its min–max whisker. The fit is only offered when the spread is smaller than the effect.
 */
import { speedupChart } from "../ui/charts.js";
import { int, ms, times } from "../ui/format.js";
import { busyMachineNote } from "./busy.js";
import { checkResults, meaningfulFit, median, perfectBelow, speedupPoints, WARM_UP } from "./common.js";
import { lessonResult } from "./contract.js";
import { asFast, count } from "./plain.js";

/** Runs per point: the least that has a median robust to one disturbed run. */
export const REPEATS = 3;

/** The run with the median time (REPEATS is odd, so it is one of the runs, not an average). */
function medianRun(runs) {
  return [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)];
}

export const speedup = {
  id: "speedup",
  section: "beyond",
  quick: { n: 3000, workers: 2 },
  small: { n: 3000, workers: 3 },
  title: "Speedup against workers, and what more workers than cores buy",
  lede: "The perfect-number search run by 1, 2, … workers in parallel, each timed against the plain loop: you will see how the speed grows with workers, and where it stops.",
  params: ["n", "workers"],
  // N = 20 000: one sequential run takes ~0.3 s in wasm, long against timer and scheduling noise;
  // up to 2 × cores (at least 4) workers shows the flat part without running 10 sweeps.
  defaults: { n: 20_000, workers: (env) => Math.min(env.poolSize, Math.max(4, 2 * env.cores)) },
  labels: { workers: "Up to workers" },
  code: {
    rust: `for k in 1..=max_workers {
    let t = time(|| with_workers(k, || (1..n).into_par_iter().filter(is_perfect).count()));
    speedup[k] = t_sequential / t;
}`,
    python: `for k in range(1, max_workers + 1):
    with Pool(k) as p: t = timeit(lambda: p.map(is_perfect, range(1, N)))
    print(k, t_loop / t)`,
  },
  expect: (p, env) =>
    `Close to k× up to ${env.cores} workers (the cores — what the browser reports), then flat: past the cores, CPU-bound workers only take turns. Each point is the median of ${REPEATS} runs (${REPEATS * (p.workers + 1)} runs in all, round-robin over the worker counts), drawn with its min–max whisker.`,
  why: "A core runs one worker at a time; more busy workers than cores share them and finish no sooner.",
  warm: WARM_UP,
  async run(p, ctx) {
    const strategy = ctx.env.engine === "threads" ? "work-stealing" : "pool-map";
    const seqs = [];
    const byK = new Map(Array.from({ length: p.workers }, (_, i) => [i + 1, []]));
    const total = REPEATS * (p.workers + 1);
    let done = 0;
    for (let rep = 1; rep <= REPEATS; rep++) {
      ctx.stage(`run ${++done} of ${total}: sequential (round ${rep} of ${REPEATS})`);
      const s = await ctx.run({ workload: "perfect", n: p.n, strategy: "sequential", workers: 1 });
      checkResults(s, perfectBelow(p.n), "the known list");
      seqs.push(s);
      for (let k = 1; k <= p.workers; k++) {
        ctx.stage(`run ${++done} of ${total}: ${k} workers (round ${rep} of ${REPEATS})`);
        const t = await ctx.run({
          workload: "perfect",
          n: p.n,
          strategy,
          workers: k,
          chunksize: strategy === "pool-map" ? 64 : undefined,
        });
        checkResults(t, s.results, `${strategy} with ${k} workers`);
        byK.get(k).push(t);
      }
    }
    const seq = medianRun(seqs);
    const cores = seq.hardwareConcurrency;
    const seqMs = seqs.map((t) => t.totalMs);
    const msByK = new Map([...byK].map(([k, runs]) => [k, runs.map((t) => t.totalMs)]));
    // Each point keeps its median run's trace: the point is that run (its time, its workers).
    const points = speedupPoints(seqMs, msByK).map((x) => ({ ...x, trace: medianRun(byK.get(x.k)) }));
    const { fit, why } = meaningfulFit(points, cores);
    const summary = { seq, seqMs, points, cores, fit, fitNote: why, strategy, repeats: REPEATS };
    return lessonResult(
      [
        ...[...points].reverse().map((x) => [`${strategy}, ${x.k} workers (median run)`, x.trace]),
        ["sequential (median run)", seq],
      ],
      summary,
    );
  },
  render({ seqMs, points, cores, fit, fitNote, strategy, repeats }, out, p) {
    const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const atCores = points.find((x) => x.k === cores);
    const beyond = points.filter((x) => x.k > cores);
    const range = (x) => `${times(x.min)}–${times(x.max)}`;
    out.facts(
      [
        ["median of", `${repeats} runs per point, round-robin over the worker counts; whiskers: min–max`],
        ["sequential", `${ms(median(seqMs))} (${ms(Math.min(...seqMs))}–${ms(Math.max(...seqMs))})`],
        ["best", `${times(best.speedup)} with ${best.k} worker${best.k === 1 ? "" : "s"} (${range(best)})`],
        atCores && [
          "at the core count",
          `${times(atCores.speedup)} with ${cores} workers (${range(atCores)}; ideal ${cores}×)`,
        ],
        beyond.length && [
          "past the cores",
          `${times(Math.max(...beyond.map((x) => x.speedup)))} at best with up to ${beyond.at(-1).k} workers: ${
            // Past the cores a median above the core count's whole range is not the lesson:
            // the cores were shared with other programs, and more workers won a larger share.
            atCores && Math.max(...beyond.map((x) => x.speedup)) > atCores.max
              ? "above the core count's range, so the cores were shared with other programs during the run"
              : "no gain"
          }`,
        ],
        fit
          ? ["Amdahl fit", `serial fraction ${(fit.serial * 100).toFixed(1)} % (fitted on 1–${cores} workers only)`]
          : ["Amdahl fit", fitNote],
      ].filter(Boolean),
    );
    const busy = atCores && busyMachineNote(atCores.speedup, cores, median(seqMs));
    if (busy) out.note(busy);
    speedupChart(out.charts, {
      points,
      cores,
      fit,
      strategy,
      range: (x) => [x.min, x.max],
      title: `Speedup, perfect numbers below ${int(p.n)} (${strategy}), median of ${repeats}`,
    });
    out.table(
      ["workers", "median time", "speedup (median)", "min – max", "ideal"],
      points.map((x) => [x.k, ms(x.ms), times(x.speedup), range(x), times(Math.min(x.k, cores))]),
      `Each row: the median of ${repeats} runs; speedup = median sequential time ÷ each run.`,
      "Each number of workers: time and speedup",
    );
  },
  answer({ points, cores }) {
    const atCores = points.find((x) => x.k === cores) ?? points.at(-1);
    const beyond = points.filter((x) => x.k > atCores.k);
    const best = beyond.reduce((a, b) => (b.speedup > a.speedup ? b : a), beyond[0]);
    const more = best
      ? `, and ${count(best.k, "worker")}, more than the cores, ${asFast(best.speedup, "the loop")}`
      : "";
    return `${count(atCores.k, "worker")} on ${count(cores, "core")} ${asFast(atCores.speedup, "the plain loop")}${more}.`;
  },
};
