/**
 * The sleep lessons of the guide: tasks that block a worker without using a core. Each runs on
 * real workers (threads engine: rayon threads blocked in `memory.atomic.wait`; processes
 * engine: Worker timers), and its timeline comes from the trace.
 */

import { fifo, makespan } from "../core/core.js";
import { timeline } from "../ui/charts.js";
import { ms, units } from "../ui/format.js";
import { lessonResult } from "./contract.js";
import { count } from "./plain.js";

const SLEEP_RUST = `/// The task: block this worker for \`ms\` (no busy-waiting).
fn task(ms: f64) { std::thread::sleep(Duration::from_secs_f64(ms / 1e3)) }`;

/** The guide's task lengths, in units: ten sleepers of 2, and Pool.map over 1..10. */
const TEN_SLEEPS = new Array(10).fill(2);
const ONE_TO_TEN = Array.from({ length: 10 }, (_, i) => i + 1);

function sleepSpec(p, units, strategy, workers) {
  return { workload: "sleep", units, unitMs: p.unitMs, strategy, workers, chunksize: 1 };
}

/** "2.02 units (202 ms)": a run's total in the card's unit, for an answer sentence. */
const inUnits = (trace, p) => `${(trace.totalMs / p.unitMs).toFixed(2)} units (${ms(trace.totalMs)})`;

function totalFacts(out, trace, p, expectedUnits) {
  const measured = trace.totalMs / p.unitMs;
  out.facts([
    ["total", `${ms(trace.totalMs)} = ${units(trace.totalMs, p.unitMs)}`],
    ["expected", `≈ ${expectedUnits} units`],
    ["off by", `${(((measured - expectedUnits) / expectedUnits) * 100).toFixed(1)} %`],
    ["workers", `${trace.workers} on ${trace.hardwareConcurrency} cores (${trace.engine} engine)`],
  ]);
}

/**
 * `run` and `render` of a sleep lesson that is one run of `lengths` (in units) checked against
 * its expected total: sleep-seq, start-join and many-sleepers differ only in these settings.
 */
function oneSleepRun({ lengths, strategy, workers, expected, chart }) {
  return {
    async run(p, ctx) {
      const trace = await ctx.run(sleepSpec(p, lengths, strategy, workers(p)));
      return lessonResult([[strategy, trace]], { trace });
    },
    render({ trace }, out, p) {
      totalFacts(out, trace, p, expected(trace));
      timeline(out.charts, trace, { title: chart, unitMs: p.unitMs });
    },
  };
}

export const sleepSeq = {
  id: "sleep-seq",
  section: "guide",
  quick: { "unit-ms": 40 },
  small: { "unit-ms": 40 },
  title: "Sleeping twice, in a row",
  lede: "One worker runs a task that sleeps for one unit, twice in a row: you will see how long the two sleeps take together.",
  params: ["unitMs"],
  code: {
    rust: `${SLEEP_RUST}

task(unit);
task(unit); // starts only when the first one is over`,
    python: `def task():
    time.sleep(1)

start = time.time()
task()
task()
print(time.time() - start)  # ≈ 2 s`,
  },
  expect: () => "About 2 units: the second sleep starts when the first ends.",
  why: "One worker does one thing at a time, so the waits add up.",
  answer: ({ trace: t }, p) =>
    `One worker slept twice in a row, so the two sleeps took ${inUnits(t, p)}: the waits added up.`,
  ...oneSleepRun({
    lengths: [1, 1],
    strategy: "sequential",
    workers: () => 1,
    expected: () => 2,
    chart: "Who slept when",
  }),
};

export const startNoJoin = {
  id: "start-no-join",
  section: "guide",
  quick: { "unit-ms": 40 },
  small: { "unit-ms": 40 },
  title: "Starting workers and forgetting to join",
  lede: "Two workers (processes) start sleeping, and the timer is read at once without waiting for them (no join): you will see what the timer misses.",
  params: ["unitMs"],
  code: {
    rust: `${SLEEP_RUST}

let start = now();
rayon::spawn(|| task(unit));
rayon::spawn(|| task(unit));
let elapsed = now() - start; // nobody waited: ≈ 0`,
    python: `start = time.time()
p1 = Process(target=task); p2 = Process(target=task)
p1.start(); p2.start()
print(time.time() - start)  # ≈ 0 s: no join()`,
  },
  expect: () => "The timer says ≈ 0 while both tasks are still running; they finish about 1 unit later.",
  why: "start() only launches the work; without join() the timer measures the launch, not the work.",
  async run(p, ctx) {
    let timerMs = null;
    const trace = await ctx.run(sleepSpec(p, [1, 1], "pool-map", 2), (event) => {
      if (event.type === "dispatched") {
        timerMs = event.ms;
        ctx.live(`Timer stopped at ${ms(timerMs)} — but the tasks are still running…`);
      } else if (event.type === "progress" && timerMs !== null) {
        ctx.live(
          `Timer stopped at ${ms(timerMs)}. Meanwhile: ${event.done} of 2 tasks finished, ${ms(event.ms)} since start.`,
        );
      }
    });
    return lessonResult([["pool-map", trace]], { trace, timerMs });
  },
  render({ trace, timerMs }, out, p) {
    timeline(out.charts, trace, { title: "The tasks kept running after the timer stopped", unitMs: p.unitMs });
    out.facts([
      ["timer (no join)", ms(timerMs)],
      ["tasks really ended", `${ms(trace.totalMs)} = ${units(trace.totalMs, p.unitMs)}`],
      ["workers", `${trace.workers} (${trace.engine} engine)`],
    ]);
    out.note(
      `The timer was read ${ms(timerMs)} after start; the work went on for ${units(trace.totalMs, p.unitMs)}.`,
      "All the figures",
    );
  },
  answer: ({ trace, timerMs }, p) =>
    `The timer stopped after ${ms(timerMs)}, but the two workers slept on until ${inUnits(trace, p)}: without join, nobody waited for them.`,
};

export const startJoin = {
  id: "start-join",
  section: "guide",
  quick: { "unit-ms": 40 },
  small: { "unit-ms": 40 },
  title: "Starting two workers and joining them",
  lede: "The same two sleeping workers, and this time the timer waits for both (join): you will see how long the pair takes.",
  params: ["unitMs"],
  code: {
    rust: `${SLEEP_RUST}

let start = now();
rayon::scope(|s| {
    s.spawn(|_| task(unit));
    s.spawn(|_| task(unit));
}); // the scope joins both
let elapsed = now() - start; // ≈ 1 unit`,
    python: `p1.start(); p2.start()
p1.join(); p2.join()
print(time.time() - start)  # ≈ 1 s`,
  },
  expect: () => "About 1 unit: both sleeps happen at the same time.",
  why: "Two workers wait side by side, so two 1-unit waits take 1 unit.",
  answer: ({ trace: t }, p) =>
    `Two workers slept one unit each in parallel, so the pair took ${inUnits(t, p)}, not 2 units: the waits overlapped.`,
  ...oneSleepRun({
    lengths: [1, 1],
    strategy: "pool-map",
    workers: () => 2,
    expected: () => 1,
    chart: "Both sleep at once",
  }),
};

export const manySleepers = {
  id: "many-sleepers",
  section: "guide",
  quick: { "unit-ms": 40, workers: 10 },
  small: { "unit-ms": 40, workers: 10 },
  title: "More sleepers than cores",
  lede: "Ten workers each sleep for 2 units, more workers than this machine has cores: you will see whether they can all sleep at once.",
  params: ["unitMs", "workers"],
  defaults: { workers: 10 },
  code: {
    rust: `${SLEEP_RUST}

rayon::scope(|s| for _ in 0..10 { s.spawn(|_| task(2.0 * unit)) });`,
    python: `ps = [Process(target=task, args=(2,)) for _ in range(10)]
for p in ps: p.start()
for p in ps: p.join()  # ≈ 2 s, even on 2 cores`,
  },
  expect: (p) =>
    `About ${makespan(TEN_SLEEPS, p.workers)} units with ${p.workers} workers, whatever the number of cores.`,
  why: "A sleeping worker needs no core: waiting is free, so waits overlap beyond the core count.",
  answer: ({ trace: t }, p) =>
    `${count(t.workers, "worker")} slept 2 units each in parallel on ${count(t.hardwareConcurrency, "core")}, and all were done after ${inUnits(t, p)}: a sleeping worker needs no core.`,
  ...oneSleepRun({
    lengths: TEN_SLEEPS,
    strategy: "pool-map",
    workers: (p) => p.workers,
    expected: (trace) => makespan(TEN_SLEEPS, trace.workers),
    chart: "Ten sleepers, side by side",
  }),
};

export const poolMapSleep = {
  id: "pool-map-sleep",
  section: "guide",
  quick: { "unit-ms": 40, workers: 5 },
  small: { "unit-ms": 20, workers: 5 },
  title: "Pool.map: five workers, ten tasks, first in first out",
  lede: "A pool of workers shares ten sleeping tasks of 1, 2, … 10 units, each free worker taking the next task in line: you will see who ran which task, and when.",
  params: ["unitMs", "workers"],
  defaults: { workers: 5 },
  code: {
    rust: `// k workers pull the next task from one FIFO queue
let next = AtomicUsize::new(0);
rayon::scope(|s| for _ in 0..k { s.spawn(|_| {
    while let Some(u) = lengths.get(next.fetch_add(1, Relaxed)) { task(u * unit) }
})});`,
    python: `with Pool(5) as p:
    p.map(task, range(1, 11))  # ≈ 15 s`,
  },
  expect: (p) => {
    return `${makespan(ONE_TO_TEN, p.workers)} units in all with ${p.workers} workers. With 5: tasks 1–5 start at 0, task 6 at 1, task 7 at 2, …, task 10 ends at 15.`;
  },
  why: "The first worker to finish takes the next task, so the long tasks at the end decide the total.",
  async run(p, ctx) {
    const trace = await ctx.run(sleepSpec(p, ONE_TO_TEN, "pool-map", p.workers));
    return lessonResult([["pool-map", trace]], { trace });
  },
  render({ trace }, out, p) {
    const plan = fifo(ONE_TO_TEN, trace.workers);
    timeline(out.charts, trace, { title: "Who took which task when", unitMs: p.unitMs });
    totalFacts(out, trace, p, makespan(ONE_TO_TEN, trace.workers));
    const byTask = new Map(trace.spans.map((s) => [s.first, s]));
    out.table(
      ["task", "expected start", "measured start", "expected end", "measured end"],
      plan.map((s) => {
        const m = byTask.get(s.task);
        return [
          s.task,
          s.start,
          m ? (m.start / p.unitMs).toFixed(2) : "–",
          s.end,
          m ? (m.end / p.unitMs).toFixed(2) : "–",
        ];
      }),
      "Times in units. Expected = a FIFO (first in, first out) queue on paper.",
      "Each task's start and end: expected and measured",
    );
  },
  answer: ({ trace }, p) =>
    `A pool of ${count(trace.workers, "worker")} took the ten tasks in turn, first come first served, and finished after ${inUnits(trace, p)}, against ${makespan(ONE_TO_TEN, trace.workers)} units on paper: the long tasks at the end decide the total.`,
};
