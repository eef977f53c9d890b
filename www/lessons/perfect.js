/**
 * The guide's CPU-bound lesson: perfect numbers below N with the naive divisor loop, run every
 * way the engine can, each checked against the sequential result and the known list.
 */
import { makespan, planFor } from "../core/core.js";
import { timeBars, timeline } from "../ui/charts.js";
import { int, ms, reduction, times } from "../ui/format.js";
import { busyMachineNote } from "./busy.js";
import { busyPerWorker, checkResults, perfectBelow, WARM_UP, workersUsed } from "./common.js";
import { lessonResult } from "./contract.js";
import { LIMITS, PARAMS } from "./params.js";
import { asFast, count, list } from "./plain.js";

/** The guide's figures: CPython on its author's machine, N = 100 000 (seconds). */
export const GUIDE = { n: 100_000, sequential: 258.9, "spawn-per-task": 143.6, "pool-map": 74.2 };

/**
 * CPython on a 2-core machine of the kind the lab is developed on, from `npm run bench`
 * (BENCHMARKS.md): one divisor test of the guide's loop (loop time ÷ divisor tests at N = 30 000)
 * and the wall time one `Process` per number added (fork start method, N = 2 000). Used only to
 * explain the crossover; this page's own figures are measured in each run.
 */
export const CPYTHON = { nsPerTest: 25.1, msPerProcess: 1.13 };

const LABELS = {
  sequential: "sequential (plain loop)",
  "spawn-per-task": "spawn-per-task (a worker per number)",
  "pool-map": "pool-map (Pool.map)",
  "work-stealing": "work-stealing (par_iter)",
  lanes: ["beyond the guide:", "+ SIMD lanes"],
  "spawn-loop": "plain loop, same numbers",
};

/** Divisor tests of the naive loop over 1..n-1: Σ (k − 1) for k < n. */
export const divisorTests = (n) => ((n - 1) * (n - 2)) / 2;

/**
 * The N past which one worker per number starts to pay, from two measured costs: `overheadMs`,
 * the wall time spawning added per number, and `nsPerTest`, one divisor test. With k busy cores,
 * a worker per number takes ≈ (N − 1)·overhead + loop/k, against the loop's
 * c·(N − 1)(N − 2)/2; it wins once N − 2 > 2·overhead / (c·(1 − 1/k)). Null when k = 1: then it
 * never pays.
 */
export function crossoverN(overheadMs, nsPerTest, k) {
  if (k < 2 || !(overheadMs > 0) || !(nsPerTest > 0)) return null;
  return (2 * overheadMs * 1e6) / (nsPerTest * (1 - 1 / k)) + 2;
}

/**
 * The crossover from one run's figures: `sequential` at N (the cost of one divisor test), `loop`
 * and `spawned` over the spawn sub-range below `spawnN`. k is how many processes ran at once:
 * the reader's workers (`Trace.workers`, not its lanes: one process per number), at most the
 * cores.
 */
export function crossoverOf(sequential, loop, spawned, n, spawnN) {
  const k = Math.min(spawned.workers, sequential.hardwareConcurrency);
  const nsPerTest = (sequential.totalMs * 1e6) / divisorTests(n);
  const overheadMs = (spawned.totalMs - loop.totalMs / k) / (spawnN - 1);
  return {
    spawnN,
    k,
    nsPerTest,
    overheadMs,
    n: crossoverN(overheadMs, nsPerTest, k),
    cpythonN: crossoverN(CPYTHON.msPerProcess, CPYTHON.nsPerTest, k),
  };
}

/** Per-worker busy time and the tail (the time at the end when not every worker was busy). */
export function busyAndTail(trace) {
  const busy = busyPerWorker(trace).filter((b) => b > 0);
  const lastEnd = new Map();
  for (const s of trace.spans) lastEnd.set(s.worker, Math.max(lastEnd.get(s.worker) ?? 0, s.end));
  const ends = [...lastEnd.values()];
  const last = trace.spans.reduce((a, b) => (b.end > a.end ? b : a));
  return { busy, tail: Math.max(...ends) - Math.min(...ends), last };
}

/**
 * What pool-map can reach at best, on paper: `chunks` of the chunk size the core chose (the
 * `chunksize` asked, or Python's default when blank: src/spec.rs), handed out first come first
 * served by the core's FIFO schedule, each costing its divisor tests (the naive test of n costs
 * n − 1), on `workers` workers of which at most `cores` run at once. Null when the core refuses
 * the settings (the run will say why).
 */
export function poolMapBound(n, workers, chunksize, cores, poolSize) {
  const plan = planFor({ workload: "perfect", n, strategy: "pool-map", workers, chunksize }, poolSize);
  if (!plan) return null;
  const costs = [];
  for (let a = 1; a < n; a += plan.chunksize) {
    const b = Math.min(n - 1, a + plan.chunksize - 1);
    costs.push(((a + b) / 2 - 1) * (b - a + 1));
  }
  const total = costs.reduce((x, y) => x + y, 0);
  const end = makespan(costs, workers);
  return { bound: Math.min(total / end, cores, workers), chunks: costs.length, chunksize: plan.chunksize };
}

/** "1.93×", or "169 611× slower" where a speedup would need many zeros after the point. */
const speedupText = (x) => (x >= 0.1 ? times(x) : `${int(1 / x)}× slower`);

/**
 * Beyond the lesson, labelled as such: the same naive test two divisors at a time in SIMD lanes
 * (data parallelism), on the best parallel strategy the engine has — lanes × threads. Never part
 * of the guide's comparison; shown after it, checked against it.
 */
const lanesRun = (env) => (env.engine === "threads" ? "work-stealing" : "pool-map");

/**
 * `spawn-per-task` starts a Worker and a wasm instance per number (~10–25 ms each, and CPU the
 * page's main thread competes for): up to SPAWN_WHOLE_N it runs on every number; past it on the
 * numbers below SPAWN_SAMPLE_N only — 40 spawns, enough to measure the spawn cost per number,
 * short enough to wait for, and light enough that ten cards on one page do not starve it.
 * A lesson's choice, well inside the core's own limit for spawn-per-task (`LIMITS.maxSpawnN`,
 * src/limits.rs), which every run spec is still checked against.
 */
export const SPAWN_WHOLE_N = Math.min(501, LIMITS.maxSpawnN);
export const SPAWN_SAMPLE_N = 41;

/**
 * Which strategies run, and why the others do not, for this N and engine. `spawn-per-task`
 * always runs: past SPAWN_WHOLE_N on the sub-range below SPAWN_SAMPLE_N, beside its own loop
 * on the same sub-range (so the guide's three ways are always measured, and compared fairly).
 */
export function perfectPlan(p, env) {
  const run = ["sequential", "spawn-per-task", "pool-map"];
  const skipped = [];
  const spawnN = p.n <= SPAWN_WHOLE_N ? p.n : SPAWN_SAMPLE_N;
  if (env.engine === "threads") run.push("work-stealing");
  else
    skipped.push(
      `work-stealing skipped: it needs shared memory, which only the threads engine has (${env.threadsUnavailable ?? "this card runs the processes engine"}).`,
    );
  return { run, skipped, spawnN };
}

export const perfect = {
  id: "perfect",
  section: "guide",
  // quick: 499 spawns, so spawn-per-task runs too
  quick: { n: 500, workers: 2, chunksize: "" },
  small: { n: 3000, workers: 2, chunksize: "" },
  title: "Perfect numbers: loop, a worker per number, a pool",
  lede: "Find the perfect numbers below N three ways, with a plain loop, with a new worker (process) for each number and with a pool of workers: you will see how long each way takes.",
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
    const { run, spawnN } = perfectPlan(p, env);
    // ~335 ms for N = 20 000 on one wasm thread (toolchain notes); the loop is O(N²).
    const loopMs = 335 * (p.n / 20_000) ** 2;
    const slow =
      loopMs > 10_000 ? ` That is long: the loop alone should take about ${ms(loopMs)} here, and you can cancel.` : "";
    const k = Math.min(p.workers, env.cores);
    const pool = poolMapBound(p.n, p.workers, p.chunksize ?? undefined, env.cores, env.poolSize);
    const spawn =
      spawnN < p.n
        ? `spawn-per-task on numbers below ${int(spawnN)} only (a worker per number), against its own loop there — far slower: a worker costs milliseconds, a number microseconds`
        : "spawn-per-task far slower than the loop (a worker costs milliseconds, a number microseconds)";
    const steal = run.includes("work-stealing") ? `; work-stealing close to ${k}× (small pieces, no tail)` : "";
    return `Found: ${perfectBelow(p.n).join(", ") || "none"}. Runs: ${run.join(", ")}. Expect ${spawn}; ${pool ? `pool-map at most ${times(pool.bound)}: ${int(pool.chunks)} chunks of ${int(pool.chunksize)} numbers, each costlier than the last, handed out first come first served, so one worker ends alone on the last big chunk (the tail)` : "pool-map"}${steal}. Then, beyond the guide and labelled so, the same test in SIMD lanes.${slow}`;
  },
  why: "The work splits into independent numbers, so k cores can test k numbers at once — but only up to the number of cores, and starting a worker per number costs more than it saves.",
  warm: WARM_UP,
  async run(p, ctx) {
    const { run, skipped, spawnN } = perfectPlan(p, ctx.env);
    const traces = {};
    const steps = run.length + (spawnN < p.n ? 2 : 1);
    let step = 0;
    // Runs at N go in `traces`; spawn-per-task on its sub-range (with its own loop) goes in
    // `spawn` only, so `traces` always holds one N.
    let spawnLoop = null;
    let spawnSub = null;
    for (const strategy of run) {
      const sub = strategy === "spawn-per-task" && spawnN < p.n;
      if (sub) {
        ctx.stage(`run ${++step} of ${steps}: sequential below ${int(spawnN)} (for spawn-per-task)`);
        spawnLoop = await ctx.run({ workload: "perfect", n: spawnN, strategy: "sequential", workers: 1 });
      }
      ctx.stage(`run ${++step} of ${steps}: ${strategy}${sub ? ` below ${int(spawnN)}` : ""}`);
      const workers = strategy === "sequential" ? 1 : p.workers;
      const trace = await ctx.run({
        workload: "perfect",
        n: sub ? spawnN : p.n,
        strategy,
        workers,
        chunksize: strategy === "pool-map" ? (p.chunksize ?? undefined) : undefined,
      });
      if (sub) spawnSub = trace;
      else traces[strategy] = trace;
    }
    ctx.stage(`run ${++step} of ${steps}: beyond the guide, ${lanesRun(ctx.env)} + SIMD lanes`);
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
    for (const s of Object.keys(traces)) checkResults(traces[s], traces.sequential.results, s);
    if (spawnSub) {
      checkResults(spawnLoop, perfectBelow(spawnN), "the known list below the sub-range");
      checkResults(spawnSub, spawnLoop.results, "spawn-per-task below the sub-range");
    }
    checkResults(lanes, traces.sequential.results, "the SIMD-lanes kernel");
    // The crossover, from this run's own figures.
    const loop = spawnLoop ?? traces.sequential;
    const spawned = spawnSub ?? traces["spawn-per-task"];
    const crossover = crossoverOf(traces.sequential, loop, spawned, p.n, spawnN);
    const summary = { traces, run, skipped, lanes, spawn: { n: spawnN, loop, trace: spawned }, crossover };
    return lessonResult(
      [
        ["pool-map", traces["pool-map"]], // the headline
        ...Object.entries(traces).filter(([s]) => s !== "pool-map"),
        [`spawn-per-task below ${spawnN}`, spawnSub],
        [`sequential below ${spawnN}`, spawnLoop],
        ["SIMD lanes", lanes],
      ],
      summary,
    );
  },
  render({ traces, run, skipped, lanes, spawn, crossover }, out, p) {
    const seq = traces.sequential.totalMs;
    const sub = spawn && spawn.n < p.n;
    const atN = run.filter((s) => traces[s]);
    const traceOf = (s) => traces[s] ?? spawn.trace;
    const base = (s) => (s === "spawn-per-task" && sub ? spawn.loop.totalMs : seq);
    const shape = (s) => {
      if (s === "spawn-per-task") return `a fresh worker for each of its ${int(workersUsed(traceOf(s)))} numbers`;
      const { busy, tail, last } = busyAndTail(traces[s]);
      const span =
        last.first === last.last ? `number ${int(last.first)}` : `numbers ${int(last.first)}–${int(last.last)}`;
      return `busy per worker ${busy.map((b) => ms(b)).join(" / ")}; tail ${ms(tail)} (the last piece: ${span})`;
    };
    out.facts([
      ["found", `${traces.sequential.results.join(", ")} — the same with every strategy ✓`],
      ...run
        .filter((s) => s !== "sequential")
        .map((s) => [
          `${s} speedup`,
          `${speedupText(base(s) / traceOf(s).totalMs)}${s === "spawn-per-task" && sub ? ` against the loop below ${int(spawn.n)}` : ""} — ${shape(s)}`,
        ]),
      [
        "engine",
        `${traces.sequential.engine}, ${traces.sequential.hardwareConcurrency} cores (as the browser reports)`,
      ],
    ]);
    for (const s of skipped) out.note(s, "What did not run, and why");
    const parallel = atN.filter((s) => s === "work-stealing" || s === "pool-map");
    const bestPool = Math.max(...parallel.map((s) => seq / traces[s].totalMs));
    const busyNote = busyMachineNote(bestPool, Math.min(p.workers, traces.sequential.hardwareConcurrency), seq);
    if (busyNote) out.note(busyNote);
    if (crossover) {
      const c = crossover;
      const here =
        c.n === null
          ? "With one core busy a worker per number never pays."
          : `A worker per number pays only once N − 2 > 2 · overhead ÷ (cost of a test · (1 − 1/${c.k})), i.e. from N ≈ ${int(c.n)}${c.n > PARAMS.n.max ? `, far beyond this lab's largest N (${int(PARAMS.n.max)})` : ""}.`;
      const py =
        c.cpythonN === null
          ? ""
          : ` In CPython a divisor test costs ~${CPYTHON.nsPerTest} ns (${times(CPYTHON.nsPerTest / c.nsPerTest)} this page's) and a forked Process ~${CPYTHON.msPerProcess} ms (measured by npm run bench), so its crossover on ${c.k} cores is N ≈ ${int(c.cpythonN)} — lower still with more cores, which is why the guide's Process beat its loop at N = 100 000 and loses here.`;
      out.note(
        `Why spawn-per-task loses here, from this run: spawning added ${ms(c.overheadMs)} per number (the sub-range run minus its loop's share), while one divisor test costs ${c.nsPerTest.toFixed(2)} ns (the loop: ${ms(seq)} for ${int(divisorTests(p.n))} tests). ${here}${py}`,
        "Why a worker per number loses: the arithmetic",
      );
    }
    if (lanes) {
      out.note(
        `Beyond the guide: the same naive test, four divisors at a time in f32x4 SIMD lanes (exact for every n ≤ 2^24), on ${lanes.strategy} with ${lanes.workers} workers — lanes × threads: ${ms(lanes.totalMs)}, ${times(seq / lanes.totalMs)} the plain loop. Same numbers found; not part of the guide's comparison.`,
        "Beyond the guide: the same test in SIMD lanes",
      );
    }
    const rows = atN.map((s) => ({
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
    if (sub) {
      timeBars(
        out.more(`A worker per number against its own loop, below ${int(spawn.n)}`, "spawn-sub-range"),
        [
          // No second label line here: two short rows have no room for it (the table has it).
          { key: "sequential", label: LABELS["spawn-loop"], value: spawn.loop.totalMs },
          { key: "spawn-per-task", label: "a worker per number", value: spawn.trace.totalMs },
        ],
        { title: `The same, below ${int(spawn.n)} only: a worker per number against its own loop` },
      );
    }
    out.table(
      ["strategy", "N", "time", ...atN.map((s) => `vs ${s}`)],
      [
        ...atN.map((a) => [
          a,
          int(p.n),
          ms(traces[a].totalMs),
          ...atN.map((b) => (a === b ? "–" : reduction(traces[a].totalMs, traces[b].totalMs))),
        ]),
        ...(sub
          ? [
              ["sequential (sub-range)", int(spawn.n), ms(spawn.loop.totalMs), "–", ...atN.slice(1).map(() => "")],
              [
                "spawn-per-task",
                int(spawn.n),
                ms(spawn.trace.totalMs),
                `${reduction(spawn.trace.totalMs, spawn.loop.totalMs)} (vs its own loop)`,
                ...atN.slice(1).map(() => ""),
              ],
            ]
          : []),
      ],
      "% reduction of each row's time against each column's, the way the guide reports it (negative = faster); spawn-per-task runs below its own N, against the loop on that same range.",
      "Each way against the others, in % (the guide's way)",
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
      "The guide's own figures (CPython, N = 100 000)",
    );
    const shown = atN.filter((s) => workersUsed(traces[s]) <= 64);
    for (const s of shown.filter((x) => x !== "sequential")) {
      timeline(out.more("Timelines: which worker tested which numbers when", "timelines"), traces[s], {
        title: `${LABELS[s]}: who tested which numbers when`,
      });
    }
  },
  answer({ traces, spawn }, p) {
    const seq = traces.sequential.totalMs;
    const pool = traces["pool-map"];
    // Below SPAWN_SAMPLE_N the loop takes microseconds (0 on a coarse timer): say both times
    // rather than a ratio of thousands, or of nothing.
    const loopMs = spawn.loop.totalMs < 0.01 ? "under 0.01 ms" : ms(spawn.loop.totalMs);
    const spawned =
      spawn.n < p.n
        ? `was far slower (${ms(spawn.trace.totalMs)} for the numbers below ${int(spawn.n)}, against ${loopMs} for the loop)`
        : asFast(spawn.loop.totalMs / spawn.trace.totalMs, "the loop");
    return `All ways found the same perfect numbers (${list(traces.sequential.results.map(int))}). A pool of ${count(pool.workers, "worker")} ${asFast(seq / pool.totalMs, "the plain loop")}; a new worker per number ${spawned}.`;
  },
};
