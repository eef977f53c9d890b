/**
 * The guide's CPU-bound lesson: perfect numbers below N with the naive divisor loop, run every
 * way the engine can, each checked against the sequential result and the known list.
 */
import { threadsUnavailableReason } from "../engine/client.js";
import { timeBars, timeline } from "../ui/charts.js";
import { int, ms, reduction, times } from "../ui/format.js";
import { checkResults, perfectBelow, workersUsed } from "./common.js";
import { LIMITS } from "./params.js";

/** The guide's figures: CPython on its author's machine, N = 100 000 (seconds). */
export const GUIDE = { n: 100_000, sequential: 258.9, "spawn-per-task": 143.6, "pool-map": 74.2 };

const LABELS = {
  sequential: "sequential (plain loop)",
  "spawn-per-task": "spawn-per-task (a worker per number)",
  "pool-map": "pool-map (Pool.map)",
  "work-stealing": "work-stealing (par_iter)",
  lanes: "beyond the guide: + SIMD lanes",
};

/**
 * Beyond the lesson, labelled as such: the same naive test two divisors at a time in SIMD lanes
 * (data parallelism), on the best parallel strategy the engine has — lanes × threads. Never part
 * of the guide's comparison; shown after it, checked against it.
 */
const lanesRun = (env) => (env.engine === "threads" ? "work-stealing" : "pool-map");

/** Which strategies run, and why the others do not, for this N and engine. */
export function perfectPlan(p, env) {
  const run = ["sequential"];
  const skipped = [];
  if (p.n <= LIMITS.maxSpawnN) run.push("spawn-per-task");
  else {
    skipped.push(
      `spawn-per-task skipped: it starts a fresh worker (and wasm instance) for each of the ${int(p.n - 1)} numbers; past N = ${int(LIMITS.maxSpawnN)} that measures spawning, not computing. Try N = 500 to see its cost.`,
    );
  }
  run.push("pool-map");
  if (env.engine === "threads") run.push("work-stealing");
  else
    skipped.push(
      `work-stealing skipped: it needs shared memory, which only the threads engine has (${threadsUnavailableReason() ?? "this card runs the processes engine"}).`,
    );
  return { run, skipped };
}

export const perfect = {
  id: "perfect",
  title: "Perfect numbers: loop, a worker per number, a pool",
  lede: "Find the perfect numbers below N with the guide's naive divisor loop — every way at once.",
  params: ["n", "workers", "chunksize"],
  code: {
    rust: `fn is_perfect(n: u64) -> bool {
    let mut sum = 0;
    for d in 1..n { if n % d == 0 { sum += d } }
    sum == n
}
// sequential:     (1..n).filter(|&k| is_perfect(k))
// work-stealing:  (1..n).into_par_iter().filter(|&k| is_perfect(k))
// pool-map:       k workers take chunks from a FIFO queue`,
    python: `def is_perfect(n):
    return sum(d for d in range(1, n) if n % d == 0) == n

for n in range(1, N): is_perfect(n)                 # loop
for n in range(1, N): Process(target=..).start()    # process each
with Pool() as p: p.map(is_perfect, range(1, N))    # Pool`,
  },
  expect: (p, env) => {
    const { run } = perfectPlan(p, env);
    // ~335 ms for N = 20 000 on one wasm thread (toolchain.md); the loop is O(N²).
    const loopMs = 335 * (p.n / 20_000) ** 2;
    const slow =
      loopMs > 10_000 ? ` That is long: the loop alone should take about ${ms(loopMs)} here, and you can cancel.` : "";
    return `Found: ${perfectBelow(p.n).join(", ") || "none"}. The pool should be close to ${Math.min(p.workers, env.cores)}× faster than the loop (${p.workers} workers, ${env.cores} cores); runs: ${run.join(", ")}; then, beyond the guide and labelled so, the same test in SIMD lanes.${slow}`;
  },
  why: "The work splits into independent numbers, so k cores can test k numbers at once — but only up to the number of cores, and starting a worker per number costs more than it saves.",
  warm: true,
  async run(p, ctx) {
    const { run, skipped } = perfectPlan(p, ctx.env);
    const traces = {};
    for (const [i, strategy] of run.entries()) {
      ctx.stage(`run ${i + 1} of ${run.length}: ${strategy}`);
      const workers = strategy === "sequential" ? 1 : p.workers;
      traces[strategy] = await ctx.run({
        workload: "perfect",
        n: p.n,
        strategy,
        workers,
        chunksize: p.chunksize ?? undefined,
      });
    }
    ctx.stage(`beyond the guide: ${lanesRun(ctx.env)} + SIMD lanes`);
    const lanes = await ctx.run({
      workload: "perfect",
      n: p.n,
      kernel: "lanes",
      strategy: lanesRun(ctx.env),
      workers: p.workers,
      chunksize: lanesRun(ctx.env) === "pool-map" ? (p.chunksize ?? undefined) : undefined,
    });
    const expected = perfectBelow(p.n);
    checkResults(traces.sequential, expected, "the known list (OEIS A000396)");
    for (const s of run) checkResults(traces[s], traces.sequential.results, s);
    checkResults(lanes, traces.sequential.results, "the SIMD-lanes kernel");
    return { trace: traces["pool-map"], traces, run, skipped, lanes };
  },
  render({ traces, run, skipped, lanes }, out, p) {
    const seq = traces.sequential.totalMs;
    out.facts([
      ["found", `${traces.sequential.results.join(", ")} — the same with every strategy ✓`],
      ...run
        .filter((s) => s !== "sequential")
        .map((s) => [`${s} speedup`, `${times(seq / traces[s].totalMs)} (${workersUsed(traces[s])} workers used)`]),
      ["engine", `${traces.sequential.engine}, ${traces.sequential.hardwareConcurrency} cores`],
    ]);
    for (const s of skipped) out.note(s);
    if (lanes) {
      out.note(
        `Beyond the guide: the same naive test, two divisors at a time in SIMD lanes, on ${lanes.strategy} with ${lanes.workers} workers — lanes × threads: ${ms(lanes.totalMs)}, ${times(seq / lanes.totalMs)} the plain loop. Same numbers found; not part of the guide's comparison.`,
      );
    }
    const rows = run.map((s) => ({
      key: s,
      label: LABELS[s],
      value: traces[s].totalMs,
      note: s === "sequential" ? "baseline" : reduction(traces[s].totalMs, seq),
    }));
    if (lanes) {
      rows.push({
        key: "lanes",
        label: LABELS.lanes,
        value: lanes.totalMs,
        note: reduction(lanes.totalMs, seq),
        color: "#b58cd9",
      });
    }
    timeBars(out.charts, rows, { title: `Time to find perfect numbers below ${int(p.n)} (shorter is better)` });
    out.table(
      ["strategy", "time", ...run.map((s) => `vs ${s}`)],
      run.map((a) => [
        a,
        ms(traces[a].totalMs),
        ...run.map((b) => (a === b ? "–" : reduction(traces[a].totalMs, traces[b].totalMs))),
      ]),
      "% reduction of each row's time against each column's, the way the guide reports it (negative = faster).",
    );
    const g = GUIDE;
    out.table(
      ["guide's reference (CPython, N = 100 000)", "time", "vs loop", "vs processes"],
      [
        ["loop", `${g.sequential} s`, "–", "–"],
        ["one process per number", `${g["spawn-per-task"]} s`, reduction(g["spawn-per-task"], g.sequential), "–"],
        [
          "Pool()",
          `${g["pool-map"]} s`,
          reduction(g["pool-map"], g.sequential),
          reduction(g["pool-map"], g["spawn-per-task"]),
        ],
      ],
      "The guide's own figures, on its author's machine — a reference, not a measurement of this page.",
    );
    const shown = run.filter((s) => s !== "spawn-per-task" || traces[s].workers <= 64);
    for (const s of shown.filter((x) => x !== "sequential")) {
      timeline(out.charts, traces[s], { title: `${LABELS[s]}: who tested which numbers when` });
    }
  },
};
