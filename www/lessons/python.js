/**
 * The guide's own Python, run for real: the program in the editor runs in CPython compiled to
 * wasm (Pyodide, vendored), its `multiprocessing` starting one Web Worker with its own
 * interpreter per process (www/python/). Every print streams to the card's console, tagged with
 * the process and the time; the processes' timeline is drawn after the run; and for the
 * perfect-number programs the lab's Rust runs the same lesson on the same machine, so the card
 * says how the two compare here. Nothing Python starts before Run.
 */

import { adviceView } from "../python/advice-view.js";
import { blockingRung, RUNGS, rungSentence } from "../python/blocking.js";
import { bytesText } from "../python/memory.js";
import { MAX_LINE_CHARS, MAX_LINES as MAX_SENT } from "../python/output.js";
import { processTimeline } from "../python/process-chart.js";
import { consoleLine, MAX_LINES, mountProgram } from "../python/program-view.js";
import { perfectN, SNIPPETS } from "../python/snippets.js";
import { sweepResult, sweepSentence, sweepSizes } from "../python/sweep.js";
import { sweepButton, sweepView } from "../python/sweep-view.js";
import { taskView } from "../python/task-view.js";
import { timeSpentView } from "../python/time-spent-view.js";
import { spanRows, traceEvents } from "../python/trace-events.js";
import { int, ms, times } from "../ui/format.js";
import { median } from "./common.js";
import { lessonResult } from "./contract.js";
import { LIMITS } from "./params.js";
import { GUIDE } from "./perfect.js";
import { asFast, list } from "./plain.js";

/** Lines kept in the run's result (and its JSON export). */
const MAX_KEPT = 20_000;
/** …and the run's last lines, after them. */
const TAIL_KEPT = 200;
/** The lab's Rust beside a perfect-number program: its N is the program's, up to this (and up to
 * the core's own cap for spawn-per-task, `LIMITS.maxSpawnN` from src/limits.rs). */
const RUST_MAX_N = 100_000;

const seconds = (s) => `${s.toFixed(2)} s`;
/** "1 process", "2 processes". */
const processes = (n) => `${n} process${n === 1 ? "" : "es"}`;
const sum = (xs) => xs.reduce((a, x) => a + x, 0);

/** The perfect numbers a program printed ("28 is a Perfect number"), in order. */
export function perfectsIn(lines) {
  return lines.flatMap((l) => /^(\d+) is a perfect number/i.exec(l.text)?.[1] ?? []).map(Number);
}

/** "Done in 1.2345 seconds", as the guide's programs print it: the program's own timer. */
export function doneIn(lines) {
  for (const l of [...lines].reverse()) {
    const m = l.process === "MainProcess" && /Done in ([\d.]+) seconds/.exec(l.text);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The median boot of the child interpreters (the spawn cost of one process here), seconds. */
export function spawnCost(processes) {
  return median(processes.filter((p) => p.kind !== "main" && p.bootMs).map((p) => p.bootMs / 1000));
}

/**
 * When a pool pays off, from its own run: its tasks took `busyS` of interpreter time in all
 * (≈ the loop's time at `n`), it started in `startS`, and it ran on `k` cores. The loop's time
 * grows as N², so the pool (start-up + loop ÷ k) beats the loop once
 * busy·(N/n)²·(1 − 1/k) > start-up.
 */
export function poolPaysFrom(n, busyS, startS, k) {
  if (k < 2 || !(busyS > 0) || !(startS > 0)) return null;
  return Math.ceil(n * Math.sqrt(startS / (busyS * (1 - 1 / k))));
}

/** A python run as the lab's trace (one lane per process; a pool worker's chunks its spans). */
function traceOf(python, snippet, cores) {
  const spans = [];
  python.processes.forEach((p, worker) => {
    if (p.kind === "pool") {
      for (const t of p.tasks)
        spans.push({ worker, first: t.task, last: t.task, start: t.start * 1000, end: t.end * 1000 });
    } else if (p.started !== null) {
      spans.push({
        worker,
        first: worker,
        last: worker,
        start: p.started * 1000,
        end: (p.ended ?? python.totalS) * 1000,
      });
    }
  });
  return {
    lesson: "python",
    engine: "pyodide",
    strategy: snippet?.id ?? "own",
    workers: python.processes.length,
    hardwareConcurrency: cores,
    totalMs: python.totalS * 1000,
    spans,
  };
}

/**
 * The sweep (www/python/sweep.js) the reader asked for after a run: the program rerun at each
 * pool size; the result is the last run's, with the sweep's runs beside it (render draws it first).
 */
async function sweepRun(ctx, { source, snippet, sizes }) {
  const { runPython } = await import("../python/session.js");
  const { runSweep } = await import("../python/sweep-run.js");
  const { runs, last } = await runSweep(ctx, { source, sizes, runPython });
  const trace = traceOf(last, snippet, sizes.at(-1));
  const sweep = { runs, cores: ctx.env.cores, sizes };
  return lessonResult([["Python: the sweep's last run", trace]], {
    trace,
    python: last,
    lines: [],
    snippet: snippet?.id ?? null,
    n: null,
    doneIn: null,
    rust: null,
    sweep,
  });
}

export const python = {
  id: "python",
  section: "guide",
  quick: {},
  small: {},
  title: "The guide's Python, running for real",
  lede: "Pick one of the guide's Python programs and press Run: it runs here for real, every process starting its own Python, and you will see when each process ran.",
  params: [],
  // Python runs in Workers of its own (www/python/), not on the lab's engine; the Rust beside a
  // perfect-number program runs on the engine afterwards (ctx.run boots it then).
  needsEngine: false,
  ownWorkers: "Python's own Workers",
  /** The footer: how this page's Python blocks (its rung of the ladder, blocking.js), and why. */
  engineNote: () =>
    `Python runs on its own Workers, one interpreter per process. ${rungSentence()} The lab's Rust beside it starts on the first Run.`,
  code: {
    rust: "// For the perfect-number programs the lab's Rust runs the same lesson after the Python:\n// sequential, spawn-per-task or pool-map (see the perfect card's code).",
    python: SNIPPETS.map((s) => `# ${s.label}\n${s.code}`).join("\n"),
  },
  expect: () =>
    "Pick one of the guide's programs (or write your own) and press Run. Python starts in this page only then: about 12 MB (gzipped) to fetch once, then the first interpreter in about a second (restored from a snapshot made when the lab was built; ~2.5 s where the page blocks on JSPI, which boots CPython); after that each process restores its own interpreter in a fraction of a second on a quiet machine — the price of a process here, which the card measures.",
  why: "A process is a whole interpreter of its own: starting one costs far more than a thread, so processes pay off only when each gets a lot of work (a Pool, not one per number) — and sleeping processes overlap on any number of cores, because a sleep uses none.",

  /** The editor and the console (www/python/program-view.js). */
  mount: mountProgram,

  async run(_p, ctx) {
    const ui = ctx.mounted;
    const source = ui.source();
    const snippet = ui.snippet();
    const sizes = ui.takeSweep?.();
    ui.clear();
    if (sizes) return sweepRun(ctx, { source, snippet, sizes });
    const lines = [];
    const tail = [];
    const { runPython } = await import("../python/session.js");
    const cores = ctx.env.cores;
    let seen = 0;
    // In the page's run queue (ctx.exclusive): no other card's run shares the machine with it.
    const python = await ctx
      .exclusive(() => {
        const { rung } = blockingRung();
        ctx.stage(
          `Starting Python (each process boots its own interpreter${RUNGS[rung].parallel ? "" : "; this browser runs them one at a time"})`,
        );
        return runPython(source, {
          signal: ctx.signal,
          cores,
          onLine: (l) => {
            // The result keeps the first MAX_KEPT lines and the last TAIL_KEPT (its "Done in").
            if (lines.length < MAX_KEPT) lines.push(l);
            else {
              tail.push(l);
              if (tail.length > TAIL_KEPT) tail.shift();
            }
            ui.line(l);
          },
          onEvent: (e) => {
            if (e.type === "booted" && e.process === "MainProcess") ctx.stage("Running the program");
            if (e.type === "started" && e.process !== "MainProcess") seen++;
            if (e.type === "ended" && e.process !== "MainProcess")
              ctx.live(`${e.process} ended; ${seen} processes started in this run so far.`);
          },
        });
      })
      .catch((error) => {
        if (!ctx.signal.aborted) ui.failed();
        throw error;
      })
      .finally(() => ui.flush());
    lines.push(...tail);
    const n = snippet?.rust ? perfectN(source) : null;
    let rust = null;
    const rustMax = snippet?.rust === "spawn-per-task" ? Math.min(RUST_MAX_N, LIMITS.maxSpawnN) : RUST_MAX_N;
    if (python.exitcode === 0 && snippet?.rust && n && n <= rustMax) {
      ctx.stage(`The lab's Rust, the same lesson (${snippet.rust}, N = ${int(n)})`);
      rust = await ctx.run({
        workload: "perfect",
        n,
        strategy: snippet.rust,
        workers: snippet.rust === "sequential" ? 1 : cores,
      });
    }
    const trace = traceOf(python, snippet, cores);
    return lessonResult(
      [
        ["Python: the program's processes", trace],
        [`the lab's Rust (${snippet?.rust}, N = ${n})`, rust],
      ],
      { trace, python, lines, snippet: snippet?.id ?? null, n, doneIn: doneIn(lines), rust },
    );
  },

  /** One plain sentence with this run's numbers, from what the processes did (any program). */
  answer(data) {
    if (data.sweep) return sweepSentence(sweepResult(data.sweep.runs, data.sweep.cores));
    const { python: summary, rust, n, lines } = data;
    const kids = summary.processes.filter((p) => p.kind !== "main");
    const done = data.doneIn ?? summary.totalS;
    if (summary.exitcode !== 0) {
      return `The program stopped with an error (exit code ${summary.exitcode}) after ${seconds(summary.totalS)}, with ${processes(kids.length)} besides the main one: its output, with what went wrong, is just below.`;
    }
    const perfect = perfectsIn(lines);
    const found = n && perfect.length ? `found the perfect numbers below ${int(n)} (${list(perfect)})` : null;
    if (kids.length && summary.blocking?.parallel === false) {
      return `This browser can make no Worker wait for another here (no shared memory on this page, no JSPI), so the program's ${processes(kids.length)} ran one after another in one interpreter: done in ${seconds(done)}, with no speedup — the output is what CPython prints, the timing is not.`;
    }
    const pool = kids.filter((p) => p.kind === "pool");
    if (pool.length) {
      const tasks = pool.flatMap((p) => p.tasks);
      const alone = sum(tasks.map((t) => t.end - t.start));
      return `A pool of ${processes(pool.length)} ${found ?? `did ${int(tasks.length)} tasks`} in ${seconds(done)}, its start-up included: it ${asFast(alone / done, "one process alone would")}.`;
    }
    if (kids.length) {
      const doneLine = lines.findLast((l) => l.process === "MainProcess" && /Done in/.test(l.text));
      const lastEnd = Math.max(...kids.map((p) => p.ended ?? summary.totalS));
      if (doneLine && doneLine.t < Math.min(...kids.map((p) => p.ended ?? summary.totalS))) {
        return `The timer said ${seconds(done)} because the program did not wait for its ${processes(kids.length)} (no join()): they went on running until ${seconds(lastEnd)} after Run.`;
      }
      const work = sum(kids.map((p) => (p.ended ?? summary.totalS) - (p.started ?? p.ended ?? summary.totalS)));
      const start = kids.every((p) => p.warm)
        ? `each process's own Python took about ${seconds(spawnCost(summary.processes))} to start, booted ahead while the program ran`
        : `each process first spent about ${seconds(spawnCost(summary.processes))} starting its own Python`;
      return `${processes(kids.length)} ran in parallel: the program was done in ${seconds(done)}, where their work one after another would take ${seconds(work)} — but ${start}.`;
    }
    if (found) {
      return `One process ${found} in ${seconds(done)}${rust ? `; the lab's Rust did the same in ${ms(rust.totalMs)}` : ""}.`;
    }
    return `One process (the main program alone) ran it in ${seconds(done)}: its steps ran one after another, nothing in parallel.`;
  },

  /** Every span of the run (start-ups, tasks, transfers) as CSV rows, beside the trace. */
  csv: (data) => spanRows(data.python),
  /** The run as a Chrome trace-event JSON object, for Perfetto and Chrome's tracing page. */
  traceEvents: (data) => traceEvents(data.python),

  render(data, out) {
    const { python: summary, rust, n } = data;
    const children = summary.processes.filter((p) => p.kind !== "main");
    const main = summary.processes.find((p) => p.kind === "main");
    const cost = spawnCost(summary.processes);
    if (data.sweep) sweepView(out, data.sweep);
    processTimeline(out.charts, summary.processes, {
      title: "Processes: starting (grey), then running",
      totalS: summary.totalS,
    });
    const pooled = children.filter((p) => p.kind === "pool").length; // its pools' processes
    if (pooled && summary.exitcode === 0 && summary.blocking?.parallel && out.mounted?.requestSweep) {
      sweepButton(out, data.sweep?.sizes ?? sweepSizes(summary.cores, pooled), out.mounted.requestSweep);
    }
    timeSpentView(out, summary);
    adviceView(out, summary);
    taskView(out, summary);
    const parts = out.mounted ?? {}; // what mount() built in this card: the program and the console
    // The card re-rendered (a theme or engine change): its editor is new, and folds as after a Run.
    if (parts.program && !parts.program.dataset.folded) {
      parts.program.open = false;
      parts.program.dataset.folded = "true";
    }
    // The output: after the chart, one click away — except a failed run's traceback, which stays
    // in view above the chart. A re-rendered card's console is new and empty: refilled from the result.
    if (parts.console && !parts.console.childElementCount) {
      parts.console.append(...data.lines.slice(-MAX_LINES).map(consoleLine));
    }
    if (parts.console && summary.exitcode === 0) {
      if (data.lines.length) {
        out.more(`What the program printed: ${int(data.lines.length)} lines`, "printed").append(parts.console);
      } else out.note("The program printed nothing.", "What the program printed");
    }
    const facts = [
      [
        "the program says",
        data.doneIn === null
          ? "no “Done in … seconds” line"
          : `Done in ${data.doneIn.toFixed(4)} seconds (its own timer, tic → toc)`,
      ],
      [
        "exit code",
        summary.exitcode === 0 ? "0 (ended normally)" : `${summary.exitcode} (the traceback is in the console)`,
      ],
      [
        "whole run",
        `${seconds(summary.totalS)}, the main interpreter's start (${seconds(main.bootMs / 1000)}) included`,
      ],
      [
        "processes",
        `${children.length} besides the main program${children.length ? `; one interpreter start (the spawn cost): ${seconds(cost)} (median)` : ""}`,
      ],
    ];
    const warm = children.filter((p) => p.warm && Number.isFinite(p.waitedMs));
    if (warm.length) {
      facts.push([
        "start-up overlapped",
        `${warm.length} of them got an interpreter booted ahead, while the program ran, so start() waited ${ms(median(warm.map((p) => p.waitedMs)))} (median) instead of the whole start above — as a forked process on Linux starts at once; CPython's spawn pays the whole start each time`,
      ]);
    }
    if (summary.queued) {
      facts.push([
        "at once",
        `${summary.queued} of them waited for a free slot: the lab runs at most ${summary.liveCap} interpreters at once here (from the cores and the memory budget); more queue, as a Pool's tasks do`,
      ]);
    }
    if (rust && data.doneIn !== null) {
      facts.push([
        "CPython here · the lab's Rust",
        `${seconds(data.doneIn)} · ${ms(rust.totalMs)} (${rust.strategy}, N = ${int(n)}): Rust ${times((data.doneIn * 1000) / rust.totalMs)} faster`,
      ]);
    }
    if (summary.blocking) {
      facts.push(["how Python waited", `${summary.blocking.label} (${summary.blocking.why})`]);
    }
    if (summary.memory?.peakBytes) {
      facts.push([
        "memory",
        `at most ${bytesText(summary.memory.peakBytes)} held by the run's interpreters at once; the lab's budget is ${bytesText(summary.memory.budgetBytes)} for a run, ${bytesText(summary.memory.perInterpreterBytes)} for one interpreter`,
      ]);
    }
    if (summary.droppedLines > 0) {
      facts.push([
        "output",
        `${int(summary.droppedLines)} more lines were printed than shown: each process sends the page at most ${int(MAX_SENT)} lines (and cuts a line past ${int(MAX_LINE_CHARS)} characters), so no program can flood the page`,
      ]);
    }
    out.facts(facts);
    if (data.snippet === "perfect-process" && children.length) {
      const cores = data.trace.hardwareConcurrency;
      const days = ((GUIDE.n - 1) * cost) / cores / 86_400;
      out.note(
        `Why one Process per number stops at ${int(children.length)} numbers here: each process boots its own interpreter, ${seconds(cost)} in this run, so the guide's ${int(GUIDE.n - 1)} processes would take about ${days >= 1 ? `${days.toFixed(1)} days` : `${(days * 24) | 0 || "<1"} hours`} on ${cores} cores just to start — where CPython forks one in about a millisecond. The lab caps a run at 100 processes.`,
        "Why one process per number stops at ten",
      );
    }
    const pool = children.filter((p) => p.kind === "pool");
    if (pool.length && n) {
      const busy = pool.flatMap((p) => p.tasks).reduce((a, t) => a + (t.end - t.start), 0);
      const firstTask = Math.min(...pool.flatMap((p) => p.tasks.map((t) => t.start)));
      const lastTask = Math.max(...pool.flatMap((p) => p.tasks.map((t) => t.end)));
      const start = firstTask - Math.min(...pool.map((p) => p.spawned));
      const k = Math.min(pool.length, summary.processes.length && data.trace.hardwareConcurrency);
      const from = poolPaysFrom(n, busy, start, k);
      out.note(
        `The pool apart from its start-up: its ${pool.length} processes took ${seconds(start)} to start, then mapped in ${seconds(lastTask - firstTask)} what one interpreter would do in ≈ ${seconds(busy)} (the sum of its tasks) — ${times(busy / (lastTask - firstTask))} while mapping. ${from === null ? "" : `Start-up included, a pool of ${k} pays off from N ≈ ${int(from)} here.`}`,
        "The pool's start-up, and when a pool pays off",
      );
    }
    if (!rust && !data.snippet?.startsWith("perfect")) {
      out.note(
        "A sleep costs no core in any language, so the lab's Rust sleeps just as long: see the sleep cards for it.",
        "And in the lab's Rust?",
      );
    }
    if (data.snippet?.startsWith("perfect")) {
      out.note(
        `The guide's reference, CPython on its author's machine at N = ${int(GUIDE.n)}: loop ${GUIDE.sequential} s, one process per number ${GUIDE["spawn-per-task"]} s, Pool() ${GUIDE["pool-map"]} s — not a measurement of this page.`,
        "The guide's own figures",
      );
    }
  },
};
