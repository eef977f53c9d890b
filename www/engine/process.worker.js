/**
 * One "process": a Web Worker with its own, non-shared wasm instance (the plain build).
 *
 * It talks only by messages, like a Python `multiprocessing` child: the pool sends
 * `speedup-lab:init` with the compiled module, then batches of task positions `[from, to)` of a
 * run. The task list itself is the core's (`TaskList`, built from the run's spec once per run):
 * this file only waits where a task says so (a timer, never a busy loop) and times each task.
 * Each batch's records come back as one `speedup-lab:done` message, four numbers per task
 * (position, start, end, output or NaN), times `performance.timeOrigin + performance.now()` so
 * they compare across Workers.
 */
import init, { TaskList } from "../pkg/plain/speedup_lab.js";

const now = () => performance.timeOrigin + performance.now();
/**
 * A timer set from a timer's callback is clamped to ≥ 4 ms after five levels of nesting (HTML's
 * timer rules), which would stretch the homework's 3 ms waits; setting each timer from a fresh
 * message task keeps the nesting level at zero.
 */
const sleep = (ms) =>
  new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      setTimeout(resolve, ms);
    };
    port2.postMessage(null);
  });

let ready = null;
/** The current run's tasks: `{ run, list }`. */
let current = null;

function tasksOf(run, spec, maxWorkers) {
  if (current?.run !== run) {
    current?.list.free();
    current = { run, list: new TaskList(spec, maxWorkers) };
  }
  return current.list;
}

self.addEventListener("message", async ({ data }) => {
  if (data?.type === "speedup-lab:init") {
    ready = init({ module_or_path: data.module });
    await ready;
    self.postMessage({ type: "speedup-lab:ready" });
    return;
  }
  if (data?.type !== "speedup-lab:tasks") return;
  try {
    await ready;
    const list = tasksOf(data.run, data.spec, data.maxWorkers);
    const records = new Float64Array((data.to - data.from) * 4);
    for (let p = data.from, i = 0; p < data.to; p++, i += 4) {
      const start = now();
      const wait = list.waitMs(p);
      if (wait > 0) await sleep(wait);
      const output = list.compute(p); // the `fault` task traps here: reported below
      records.set([p, start, now(), output], i);
    }
    self.postMessage({ type: "speedup-lab:done", batch: data.batch, records }, [records.buffer]);
  } catch (error) {
    const message = `A worker failed (${error?.message ?? error}); run again to start fresh workers.`;
    self.postMessage({ type: "speedup-lab:failed", batch: data.batch, message });
  }
});
