/**
 * Beyond the guide: speedup against worker count, from a sweep the reader starts — with the
 * ideal line, an Amdahl's-law fit and the core count marked, so oversubscription (more
 * CPU-bound workers than cores) is seen to gain nothing.
 */
import { speedupChart } from "../ui/charts.js";
import { int, ms, times } from "../ui/format.js";
import { amdahlFit, checkResults, perfectBelow } from "./common.js";

export const speedup = {
  id: "speedup",
  title: "Speedup against workers, and what more workers than cores buy",
  lede: "Perfect numbers below N with 1, 2, … workers, each timed against the plain loop.",
  params: ["n", "workers"],
  defaults: { n: 10_000, workers: (env) => env.poolSize },
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
    `Close to k× up to ${env.cores} workers (the cores), then flat: past the cores, CPU-bound workers only take turns. Runs ${p.workers + 1} times.`,
  why: "A core runs one worker at a time; more busy workers than cores share them and finish no sooner.",
  warm: true,
  async run(p, ctx) {
    const strategy = ctx.env.engine === "threads" ? "work-stealing" : "pool-map";
    ctx.stage("baseline: sequential");
    const seq = await ctx.run({ workload: "perfect", n: p.n, strategy: "sequential", workers: 1 });
    checkResults(seq, perfectBelow(p.n), "the known list");
    const points = [];
    for (let k = 1; k <= p.workers; k++) {
      ctx.stage(`${k} of ${p.workers} workers`);
      const t = await ctx.run({
        workload: "perfect",
        n: p.n,
        strategy,
        workers: k,
        chunksize: strategy === "pool-map" ? 64 : undefined,
      });
      checkResults(t, seq.results, `${strategy} with ${k} workers`);
      points.push({ k, ms: t.totalMs, speedup: seq.totalMs / t.totalMs, trace: t });
    }
    const cores = seq.hardwareConcurrency;
    return { trace: points.at(-1).trace, seq, points, cores, fit: amdahlFit(points, cores), strategy };
  },
  render({ seq, points, cores, fit, strategy }, out, p) {
    const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const atCores = points.find((x) => x.k === cores);
    const beyond = points.filter((x) => x.k > cores);
    out.facts(
      [
        ["sequential", ms(seq.totalMs)],
        ["best", `${times(best.speedup)} with ${best.k} workers`],
        atCores && ["at the core count", `${times(atCores.speedup)} with ${cores} workers (ideal ${cores}×)`],
        beyond.length && [
          "past the cores",
          `${times(Math.max(...beyond.map((x) => x.speedup)))} at best with up to ${beyond.at(-1).k} workers: no gain`,
        ],
        fit && ["Amdahl fit", `serial fraction ${(fit.serial * 100).toFixed(1)} % (fitted on 1–${cores} workers)`],
      ].filter(Boolean),
    );
    speedupChart(out.charts, {
      points,
      cores,
      fit,
      strategy,
      title: `Speedup, perfect numbers below ${int(p.n)} (${strategy})`,
    });
    out.table(
      ["workers", "time", "speedup", "ideal"],
      points.map((x) => [x.k, ms(x.ms), times(x.speedup), times(Math.min(x.k, cores))]),
    );
  },
};
