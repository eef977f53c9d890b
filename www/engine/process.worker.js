/**
 * One "process": a Web Worker with its own, non-shared wasm instance (the plain build).
 *
 * It talks only by messages, like a Python `multiprocessing` child — through the process
 * bridge (bridge.js): `init` with the compiled module, then `tasks`, batches of task positions
 * `[from, to)` of a run. The task list itself is the core's (`TaskList`, built from the run's
 * spec once per run): this file only waits where a task says so (a timer, never a busy loop)
 * and times each task. Each batch answers with its records, four numbers per task (position,
 * start, end, output or NaN), times `performance.timeOrigin + performance.now()` so they
 * compare across Workers.
 */
import init, { TaskList } from "../pkg/plain/speedup_lab.js";
import { serve, transferring } from "./bridge-worker.js";
import { now, sleep } from "./clock.js";

/** The current run's tasks: `{ run, list }`. */
let current = null;

function tasksOf(run, spec, maxWorkers) {
  if (current?.run !== run) {
    current?.list.free();
    current = { run, list: new TaskList(spec, maxWorkers) };
  }
  return current.list;
}

serve({
  async init(module) {
    await init({ module_or_path: module });
    return {};
  },
  /** Positions `[from, to)` of run `run`: four numbers per task (position, start, end, output). */
  async tasks({ run, spec, maxWorkers, from, to }) {
    const list = tasksOf(run, spec, maxWorkers);
    const records = new Float64Array((to - from) * 4);
    for (let p = from, i = 0; p < to; p++, i += 4) {
      const start = now();
      const wait = list.waitMs(p);
      if (wait > 0) await sleep(wait);
      const output = list.compute(p); // the `fault` task traps here: the bridge reports it
      records.set([p, start, now(), output], i);
    }
    return transferring(records, [records.buffer]);
  },
});
