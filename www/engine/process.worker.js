/**
 * One "process": a Web Worker with its own, non-shared wasm instance (the plain build).
 *
 * It talks only by messages, like a Python `multiprocessing` child — through the process
 * bridge (bridge.js): `init` with the compiled module, then `tasks`, batches of a run's tasks:
 * positions `[from, from + n)` with the tasks themselves as the coordinator's validated plan
 * wrote them (`RunPlan.taskWire`). A process never sees the run's spec and validates nothing:
 * the core's `TaskList` only reads the batch back, and this file waits where a task says so (a
 * timer, never a busy loop) and times each task. Each batch answers with its records, four
 * numbers per task (position, start, end, output or NaN), times `performance.timeOrigin +
 * performance.now()` so they compare across Workers.
 */
import init, { TaskList } from "../pkg/plain/speedup_lab.js";
import { serve, transferring } from "./bridge-worker.js";
import { now, sleep } from "./clock.js";

serve({
  async init(module) {
    await init({ module_or_path: module });
    return {};
  },
  /** The tasks in `wire`, at positions from `from`: four numbers per task (position, start, end, output). */
  async tasks({ from, wire }) {
    const list = new TaskList(wire);
    try {
      const records = new Float64Array(list.length * 4);
      for (let i = 0; i < list.length; i++) {
        const start = now();
        const wait = list.waitMs(i);
        if (wait > 0) await sleep(wait);
        const output = list.compute(i); // the `fault` task traps here: the bridge reports it
        records.set([from + i, start, now(), output], i * 4);
      }
      return transferring(records, [records.buffer]);
    } finally {
      list.free();
    }
  },
});
