/**
 * The guide's opening story: 1200 multiplications, one student against k friends — once with
 * *waiting* students (each multiplication a pause of one unit: waiting needs no core) and once
 * with *busy* students (each multiplication a fixed amount of CPU work, calibrated to about one
 * unit on one thread: past the core count, extra students only take turns on the cores).
 */
import { makespan } from "../core/core.js";
import { timeBars, timeline } from "../ui/charts.js";
import { int, ms, times } from "../ui/format.js";
import { busyPerWorker, WARM_UP } from "./common.js";
import { lessonResult } from "./contract.js";
import { LIMITS } from "./params.js";
import { asFast, count } from "./plain.js";

/** The guide's homework: 1200 multiplications (the core's HOMEWORK_TASKS) of 3 s each. */
export const HOMEWORK = { tasks: LIMITS.homeworkTasks, seconds: 3 };
/** Tasks per chunk handed to a student: 1200 / 30 = 40 chunks, an equal share for 1, 2, 4, 8. */
const CHUNK = 30;
/** Calibration: this many busy iterations per task, over this many tasks, run twice. */
const CAL = { iterations: 250_000, tasks: 40 };

/** The guide's story with the right arithmetic: 1200 ÷ k tasks each, and the time they take. */
export function story(k, seconds = HOMEWORK.seconds) {
  const each = Math.ceil(HOMEWORK.tasks / k);
  return { each, alone: HOMEWORK.tasks * seconds, together: each * seconds };
}

/** Milliseconds per busy iteration on one worker of this engine, measured once per page. */
const calibrated = new Map();

async function msPerIteration(ctx) {
  const key = ctx.env.engine;
  if (!calibrated.has(key)) {
    ctx.stage("calibrating the busy work (once per engine)");
    const spec = {
      workload: "homework",
      kind: "busy",
      iterations: CAL.iterations,
      multiplications: CAL.tasks,
      strategy: "sequential",
      students: 1,
    };
    await ctx.run(spec); // the first run tiers the code up; time the second
    const t = await ctx.run(spec);
    const each = t.spans.map((s) => (s.end - s.start) / (s.last - s.first + 1)).sort((a, b) => a - b);
    calibrated.set(key, Math.max(each[each.length >> 1], 1e-3) / CAL.iterations);
  }
  return calibrated.get(key);
}

/** Tasks done and busy time per student, from the trace. */
function perStudent(trace) {
  const count = new Array(trace.lanes ?? trace.workers).fill(0);
  for (const s of trace.spans) count[s.worker] = (count[s.worker] ?? 0) + (s.last - s.first + 1);
  return { count, busy: busyPerWorker(trace) };
}

/**
 * A note when a measured task strays far from the unit: other programs sharing the cores slow
 * busy work, and a loaded system wakes a waiting worker late — both change the gains shown.
 */
function drift(measured, unit, why) {
  const r = measured / unit;
  if (r > 1.5) return ` — ${r.toFixed(1)}× the unit: ${why}`;
  if (r < 0.67) return ` — ${r.toFixed(1)}× the unit: this machine ran faster than when it was calibrated`;
  return "";
}

/** Every multiplication done exactly once: the results are 1..1200, in order. */
function checkEveryTask(trace, label) {
  const ok = trace.results.length === HOMEWORK.tasks && trace.results.every((r, i) => r === i + 1);
  if (!ok) throw new Error(`${label}: ${trace.results.length} of ${HOMEWORK.tasks} multiplications came back.`);
}

export const homework = {
  id: "homework",
  section: "guide",
  // quick: 4 × 1200 multiplications of 1 ms, about 1.2 + 0.6 s waiting, 1.2 + 0.6 s busy on 2 cores
  quick: { "multiplication-ms": 1, students: 2 },
  small: { students: 2, "multiplication-ms": 1 },
  title: "Homework: 1200 multiplications, one student or k",
  lede: "The guide's opening story: 1200 multiplications done by one student, then shared among several working in parallel, once by students who wait and once by students who compute: you will see how much sooner the group is done.",
  params: ["students", "multiplicationMs"],
  code: {
    rust: `// waiting student: a pause per multiplication (needs no core)
fn wait(unit: f64) { std::thread::sleep(Duration::from_secs_f64(unit / 1e3)) }
// busy student: a FIXED amount of work per multiplication, calibrated to ≈ 1 unit
fn busy(iterations: u64, seed: u64) -> u64 {
    let mut x = seed;
    for _ in 0..iterations { x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9); /* … */ }
    x
}
// k students share the 1200 tasks from one queue, 30 at a time
pool_map(&tasks, k, 30);`,
    python: `def multiply(i):
    time.sleep(3)        # one multiplication by hand: 3 s

for i in range(1200): multiply(i)          # alone: 3600 s, an hour
with Pool(4) as p: p.map(multiply, range(1200))
# four students: 1200 / 4 = 300 each, 300 × 3 s = 900 s = 15 min
# (the guide writes 250 each and 750 s)`,
  },
  expect: (p, env) => {
    const unit = p.multiplicationMs;
    // The core's FIFO pool on paper, with the card's chunks: ≈ 1200 ÷ k units when 30-task chunks share out evenly.
    const together = makespan(new Array(HOMEWORK.tasks).fill(unit), p.students, CHUNK);
    return `Alone: 1200 × ${unit} ms = ${ms(HOMEWORK.tasks * unit)}. ${p.students} waiting students: ≈ ${ms(together)} (${times((HOMEWORK.tasks * unit) / together)} on any machine). ${p.students} busy students: ≈ ${Math.min(p.students, env.cores)}× at best on ${env.cores} cores — past the cores, extra students only take turns.`;
  },
  why: "A waiting student needs no core, so waits overlap without limit; a computing student needs a core, so k busy students go no faster than the number of cores.",
  warm: WARM_UP,
  async run(p, ctx) {
    const k = p.students;
    const iterations = Math.max(1, Math.round(p.multiplicationMs / (await msPerIteration(ctx))));
    const spec = (kind, students) => ({
      workload: "homework",
      kind,
      multiplicationMs: p.multiplicationMs,
      iterations: kind === "busy" ? iterations : undefined,
      strategy: students === 1 ? "sequential" : "pool-map",
      students,
      chunksize: students === 1 ? undefined : CHUNK,
    });
    const runs = {};
    for (const [key, kind, students] of [
      ["waiting1", "waiting", 1],
      ["waitingK", "waiting", k],
      ["busy1", "busy", 1],
      ["busyK", "busy", k],
    ]) {
      ctx.stage(`${kind} students: ${students === 1 ? "one student" : `${students} students`}`);
      runs[key] = await ctx.run(spec(kind, students));
      checkEveryTask(runs[key], `${kind}, ${students} student${students === 1 ? "" : "s"}`);
    }
    const labels = {
      busyK: `busy, ${k} students`,
      busy1: "busy, one student",
      waitingK: `waiting, ${k} students`,
      waiting1: "waiting, one student",
    };
    return lessonResult(
      Object.entries(labels).map(([key, label]) => [label, runs[key]]),
      { runs, k, iterations },
    );
  },
  render({ runs, k, iterations }, out, p) {
    const cores = runs.busyK.hardwareConcurrency;
    const waitGain = runs.waiting1.totalMs / runs.waitingK.totalMs;
    const busyGain = runs.busy1.totalMs / runs.busyK.totalMs;
    const perTask = runs.busy1.totalMs / HOMEWORK.tasks;
    const waitEach = runs.waiting1.totalMs / HOMEWORK.tasks;
    const guide = story(4);
    out.facts([
      ["checked", `every run did all ${HOMEWORK.tasks} multiplications, each exactly once ✓`],
      ["waiting students", `1: ${ms(runs.waiting1.totalMs)} · ${k}: ${ms(runs.waitingK.totalMs)} → ${times(waitGain)}`],
      [
        "busy students",
        `1: ${ms(runs.busy1.totalMs)} · ${k}: ${ms(runs.busyK.totalMs)} → ${times(busyGain)} (at most ${Math.min(k, cores)}× on ${cores} cores)`,
      ],
      [
        "busy work",
        `${int(iterations)} iterations per multiplication, calibrated to ≈ ${ms(p.multiplicationMs)} on one worker; in the one-student run each took ${ms(perTask)}${drift(perTask, p.multiplicationMs, "other programs are sharing this machine's cores")}`,
      ],
      [
        "one wait",
        `${ms(waitEach)} on average for ${ms(p.multiplicationMs)} asked${drift(waitEach, p.multiplicationMs, "a loaded system wakes waiting workers late")}`,
      ],
      ["engine", `${runs.busyK.engine}, ${cores} cores reported by the browser`],
      [
        "the guide's story",
        `1200 ÷ 4 = ${guide.each} tasks each; ${guide.each} × 3 s = ${guide.together} s = ${guide.together / 60} min. The guide writes 250 tasks and 750 s — a slip in its arithmetic.`,
      ],
    ]);
    if (k > cores) {
      out.note(
        `${k} busy students on ${cores} cores: the extra ${k - cores} take turns on the same cores, so the busy run cannot beat ${cores}× — while ${k} waiting students still give ${times(waitGain)}.`,
        "Why busy students gain less than waiting ones",
      );
    }
    timeBars(
      out.charts,
      [
        { label: "waiting, 1 student", value: runs.waiting1.totalMs, note: "baseline", color: "#8c8c8c" },
        { label: `waiting, ${k} students`, value: runs.waitingK.totalMs, note: times(waitGain), color: "#3b82c4" },
        { label: "busy, 1 student", value: runs.busy1.totalMs, note: "baseline", color: "#8c8c8c" },
        { label: `busy, ${k} students`, value: runs.busyK.totalMs, note: times(busyGain), color: "#e07b39" },
      ],
      { title: `1200 multiplications of ${p.multiplicationMs} ms (shorter is better)` },
    );
    const timelines = out.more("Timelines: which student did which multiplication when", "timelines");
    timeline(timelines, runs.waitingK, { title: `${k} waiting students: who did which multiplication when` });
    timeline(timelines, runs.busyK, { title: `${k} busy students on ${cores} cores` });
    const w = perStudent(runs.waitingK);
    const b = perStudent(runs.busyK);
    out.table(
      ["student", "waiting: tasks", "waiting: busy time", "busy: tasks", "busy: busy time"],
      w.count.map((c, i) => [i + 1, c, ms(w.busy[i] ?? 0), b.count[i] ?? 0, ms(b.busy[i] ?? 0)]),
      "Tasks done and time spent per student. Busy students past the core count take longer per task: they share cores.",
      "Per student: tasks done and time spent",
    );
  },
  answer({ runs, k }) {
    const cores = runs.busyK.hardwareConcurrency;
    return `Sharing the 1200 multiplications among ${count(k, "student")} working in parallel: waiting students ${asFast(runs.waiting1.totalMs / runs.waitingK.totalMs, "one alone")}; busy students, who each need one of this machine's ${count(cores, "core")}, ${asFast(runs.busy1.totalMs / runs.busyK.totalMs, "one alone")}.`;
  },
};
