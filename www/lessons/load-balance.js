/**
 * Beyond the guide: load balance. Testing n costs n divisions, so equal-sized static chunks give
 * the last worker far more work; small chunks from a FIFO queue, or work stealing, even it out.
 */
import { busyChart, STRATEGY_COLORS, timeline } from "../ui/charts.js";
import { int, ms } from "../ui/format.js";
import { busyPerWorker, checkResults, perfectBelow, WARM_UP } from "./common.js";
import { lessonResult } from "./contract.js";
import { count } from "./plain.js";

export const loadBalance = {
  id: "load-balance",
  section: "beyond",
  quick: { n: 4000, workers: 2 },
  small: { n: 6000, workers: 2 },
  title: "Load balance: static chunks against work stealing",
  lede: "The same work shared among workers in different ways, one big piece each or small pieces from a queue: you will see how busy each worker was.",
  params: ["n", "workers"],
  code: {
    rust: `// static: worker i gets numbers [i*n/k, (i+1)*n/k) — the last chunk costs the most
pool_map(&numbers, k, /* chunksize */ n.div_ceil(k));
// dynamic: small chunks from a FIFO queue
pool_map(&numbers, k, 64);
// work stealing: idle threads steal halves of others' ranges
numbers.par_iter().filter(is_perfect)`,
    python: `p.map(is_perfect, range(1, N), chunksize=N // k)  # static
p.map(is_perfect, range(1, N), chunksize=64)       # dynamic`,
  },
  expect: (p) =>
    `Static chunks leave the first workers idle while the last one tests the biggest numbers; the other two keep all ${p.workers} workers busy about equally.`,
  why: "Testing n costs about n steps, so equal-sized ranges are not equal work; handing out work in small pieces balances it.",
  warm: WARM_UP,
  async run(p, ctx) {
    const n = p.n;
    const runs = [
      {
        key: "static",
        label: "static chunks (one per worker)",
        strategy: "pool-map",
        chunksize: Math.ceil((n - 1) / p.workers),
      },
      { key: "dynamic", label: "pool-map, chunks of 64", strategy: "pool-map", chunksize: Math.min(64, n - 1) },
    ];
    if (ctx.env.engine === "threads") runs.push({ key: "stealing", label: "work-stealing", strategy: "work-stealing" });
    const ref = perfectBelow(n);
    for (const [i, r] of runs.entries()) {
      ctx.stage(`run ${i + 1} of ${runs.length}: ${r.label}`);
      r.trace = await ctx.run({
        workload: "perfect",
        n,
        strategy: r.strategy,
        workers: p.workers,
        chunksize: r.chunksize,
      });
      checkResults(r.trace, ref, r.label);
      r.busy = busyPerWorker(r.trace);
    }
    return lessonResult(
      runs.map((r) => [r.label, r.trace]),
      { runs },
    );
  },
  render({ runs }, out, p) {
    const colors = {
      static: "#c4493b",
      dynamic: STRATEGY_COLORS["pool-map"],
      stealing: STRATEGY_COLORS["work-stealing"],
    };
    const imbalance = (busy) => Math.max(...busy) / (busy.reduce((a, b) => a + b, 0) / busy.length);
    out.facts(
      runs.map((r) => [r.label, `${ms(r.trace.totalMs)}; busiest worker ${imbalance(r.busy).toFixed(2)}× the average`]),
    );
    busyChart(out.charts, {
      title: `Busy time per worker, perfect numbers below ${int(p.n)}`,
      series: runs.map((r) => ({ label: r.label, busy: r.busy, color: colors[r.key] })),
    });
    timeline(out.more("Timeline of the big pieces: who worked when", "timeline"), runs[0].trace, {
      title: "Static chunks: who worked when",
    });
  },
  answer({ runs }) {
    const [big, small] = runs;
    const idle = (r) => Math.max(...r.busy) / (r.busy.reduce((a, b) => a + b, 0) / r.busy.length);
    return `With one big piece each, the busiest of ${count(big.trace.workers, "worker")} had ${idle(big).toFixed(1)} times the average work and the run took ${ms(big.trace.totalMs)}; with small pieces from a queue, ${idle(small).toFixed(1)} times and ${ms(small.trace.totalMs)}.`;
  },
};
