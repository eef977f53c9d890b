/**
 * One "process": a Web Worker with its own, non-shared wasm instance (the plain build).
 *
 * It talks only by messages, like a Python `multiprocessing` child: the coordinator sends
 * `speedup-lab:init` with the compiled module, then batches of tasks; each task's result and
 * timing come back in a `speedup-lab:done` message. Sleeping uses a timer, never a busy loop.
 * Times are `performance.timeOrigin + performance.now()` so they compare across Workers.
 */
import init, { busyWork, fault, isPerfect, isPerfectLanes } from "../pkg/plain/speedup_lab.js";

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
    const records = [];
    for (const task of data.tasks) {
      const start = now();
      let output = null;
      if (task.kind === "perfect") {
        output = isPerfect(task.n) ? task.n : null;
      } else if (task.kind === "perfect-lanes") {
        output = isPerfectLanes(task.n) ? task.n : null;
      } else if (task.kind === "busy") {
        output = busyWork(task.iterations, task.index);
      } else if (task.kind === "fault") {
        fault(); // traps: the catch below reports it, and the pool replaces this process
      } else {
        await sleep(task.ms);
        output = task.index;
      }
      records.push([task.position, start, now(), output]);
    }
    self.postMessage({ type: "speedup-lab:done", batch: data.batch, records });
  } catch (error) {
    const message = `A worker failed (${error?.message ?? error}); run again to start fresh workers.`;
    self.postMessage({ type: "speedup-lab:failed", batch: data.batch, message });
  }
});
