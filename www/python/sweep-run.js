/**
 * Running a sweep (sweep.js): the reader's program REPEATS times at each pool size, one run
 * after another in the page's run queue, with progress; Cancel stops it (the signal aborts the
 * run in progress, and no other starts). A run that fails stops the sweep with its message.
 */
import { REPEATS, runSeconds } from "./sweep.js";

export async function runSweep(ctx, { source, sizes, runPython }) {
  const runs = [];
  const total = sizes.length * REPEATS;
  let last = null;
  for (const k of sizes) {
    for (let r = 1; r <= REPEATS; r++) {
      ctx.signal.throwIfAborted();
      ctx.stage(`Sweep: ${k} ${k === 1 ? "process" : "processes"}, run ${r} of ${REPEATS}`);
      ctx.progress(runs.length, total, "runs");
      last = await ctx.exclusive(() => runPython(source, { signal: ctx.signal, cores: k, poolSize: k }));
      if (last.exitcode !== 0) {
        throw new Error(
          `The sweep stopped: with ${k} ${k === 1 ? "process" : "processes"} the program ended with exit code ${last.exitcode}. Run it on its own to see its output.`,
        );
      }
      const main = last.processes.find((p) => p.kind === "main");
      runs.push({ k, run: r, seconds: runSeconds(last), main: { started: main.started, ended: main.ended } });
    }
  }
  ctx.progress(total, total, "runs");
  return { runs, last };
}
