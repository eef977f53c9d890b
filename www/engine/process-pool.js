/**
 * The "processes" half of the runtime: Web Workers with separate wasm instances that talk only
 * by messages (the faithful model of Python's multiprocessing), used by the processes engine
 * for `pool-map` and by both engines for `spawn-per-task`.
 *
 * Every function here runs in a coordinator Worker, never on the page's main thread.
 */
import { startWorker } from "./start-worker.js";

const WORKER_URL = new URL("./process-worker.js", import.meta.url);
const WASM_URL = new URL("../pkg/plain/speedup_lab_bg.wasm", import.meta.url);

export const now = () => performance.timeOrigin + performance.now();

/** Compile the plain (non-shared) module once; each process instantiates it on its own. */
let compiled = null;
export function plainModule() {
  compiled ??= fetch(WASM_URL)
    .then((r) => {
      if (!r.ok) throw new Error(`Could not load ${WASM_URL.pathname} (HTTP ${r.status}).`);
      return r.arrayBuffer();
    })
    .then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

function waitFor(worker, type) {
  return new Promise((resolve, reject) => {
    const onMessage = ({ data }) => {
      if (data?.type !== type) return;
      cleanup();
      resolve(data);
    };
    const onError = (event) => {
      cleanup();
      reject(new Error(`A worker failed to start: ${event.message ?? "unknown error"}`));
    };
    const cleanup = () => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
  });
}

/** Start one process: a fresh Worker with its own wasm instance. Resolves once it is ready. */
export async function spawnProcess() {
  const module = await plainModule();
  const worker = startWorker(WORKER_URL, "speedup-lab process");
  worker.postMessage({ type: "speedup-lab:init", module });
  await waitFor(worker, "speedup-lab:ready");
  return worker;
}

let batchIds = 0;
/** Send tasks to a process and wait for their records: `[position, start, end, output]`. */
function runBatch(worker, tasks, cancelled) {
  const batch = ++batchIds;
  return new Promise((resolve, reject) => {
    const onMessage = ({ data }) => {
      if (data?.batch !== batch) return;
      cleanup();
      if (data.type === "speedup-lab:done") resolve(data.records);
      else reject(new Error(data.message));
    };
    const onCancel = () => {
      cleanup();
      reject(new Error("Cancelled."));
    };
    const cleanup = () => {
      worker.removeEventListener("message", onMessage);
      cancelled.removeEventListener("abort", onCancel);
    };
    worker.addEventListener("message", onMessage);
    cancelled.addEventListener("abort", onCancel);
    worker.postMessage({ type: "speedup-lab:tasks", batch, tasks });
  });
}

/**
 * A pool of long-lived processes, like a `multiprocessing.Pool` kept open between runs.
 * Cancelling terminates the busy processes (a message cannot interrupt a wasm loop) and the
 * pool respawns them before the next run.
 */
export class ProcessPool {
  constructor(size) {
    this.size = size;
    this.workers = [];
  }

  async ensure(k) {
    while (this.workers.length < k) this.workers.push(await spawnProcess());
  }

  /** Drop processes that may still be busy after a cancel. */
  reset() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  /**
   * `pool-map`: chunks of `chunksize` tasks leave one FIFO queue, each to the next free process.
   * Returns records `[position, worker, start, end, output]`, times absolute.
   */
  async map(tasks, k, chunksize, { signal, onTaskDone }) {
    await this.ensure(k);
    let next = 0;
    const records = [];
    const loop = async (w) => {
      while (!signal.aborted && next < tasks.length) {
        const chunk = tasks.slice(next, next + chunksize);
        next += chunksize;
        const got = await runBatch(this.workers[w], chunk, signal);
        for (const [position, start, end, output] of got) records.push([position, w, start, end, output]);
        onTaskDone(got.length);
      }
    };
    try {
      await Promise.all(Array.from({ length: k }, (_, w) => loop(w)));
    } catch (error) {
      // Cancelled (processes may be mid-task) or failed (a trapped instance is not to be
      // trusted): either way, the next run starts from fresh processes.
      this.reset();
      throw error;
    }
    if (signal.aborted) throw new Error("Cancelled.");
    return records;
  }
}

/**
 * `spawn-per-task`: a fresh process per task, its start-up included — the `Process` lesson.
 * At most `k` are alive at once (a browser would not start thousands of Workers at once);
 * each task's span runs from `new Worker` to its result, so the spawn cost is in the picture.
 */
export async function spawnPerTask(tasks, k, { signal, onTaskDone }) {
  let next = 0;
  const records = [];
  const alive = new Set();
  const loop = async () => {
    while (!signal.aborted && next < tasks.length) {
      const task = tasks[next++];
      const start = now();
      const worker = await spawnProcess();
      alive.add(worker);
      try {
        const [[position, , end, output]] = await runBatch(worker, [task], signal);
        records.push([position, position, start, end, output]);
      } finally {
        worker.terminate();
        alive.delete(worker);
      }
      onTaskDone(1);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(k, tasks.length) }, loop));
  } finally {
    for (const w of alive) w.terminate();
  }
  if (signal.aborted) throw new Error("Cancelled.");
  return records;
}
