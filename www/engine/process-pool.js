/**
 * The "processes" of the runtime: Web Workers with separate wasm instances that talk only by
 * messages (the faithful model of Python's multiprocessing). `runInProcesses` runs a validated
 * plan on them: a long-lived `ProcessPool` for `pool-map` and `sequential` (the processes
 * engine), a fresh process per task for `spawn-per-task` (both engines: spawning is that
 * lesson). Each batch carries its tasks from the coordinator's plan (`RunPlan.taskWire`).
 *
 * Both write the run's records straight into one flat `Float64Array`, five numbers per task
 * (position, worker, start, end, output or NaN; times in ms from the run's start `t0`), which
 * is the layout the core's `assembleTrace` reads: the trace is assembled once, in Rust.
 *
 * Every function here runs in a coordinator Worker, never on the page's main thread.
 */
import { abortError } from "./abort.js";
import { spawnProcess as bridgeSpawn, ProcessError } from "./bridge.js";
import { now } from "./clock.js";
import { compiledOnce } from "./wasm-module.js";

const WORKER_URL = new URL("./process.worker.js", import.meta.url);
const WASM_URL = new URL("../pkg/plain/speedup_lab_bg.wasm", import.meta.url);

/** The compiled plain (non-shared) module: each process instantiates it on its own. */
export const plainModule = compiledOnce(WASM_URL);

/**
 * Start one process: a fresh Worker with its own wasm instance, through the process bridge
 * (its spawn deadline included). Resolves once it is ready.
 */
export async function spawnProcess(signal) {
  const init = await plainModule();
  return bridgeSpawn(WORKER_URL, { what: "worker process", name: "speedup-lab process", init, signal });
}

/**
 * One run as the processes see it: its validated plan (the coordinator's `RunPlan`, whose tasks
 * each batch carries: a process never sees the spec), where records go, and the abort signal.
 */
export function processJob(plan, t0, signal) {
  const tasks = plan.tasks;
  return { plan, tasks, t0, signal, records: new Float64Array(tasks * 5) };
}

/** Run positions `[from, to)` of `job` on `process` as worker `w`; records land in `job.records`. */
async function runBatch(process, w, job, from, to) {
  const { plan, signal } = job;
  if (signal.aborted) throw abortError(); // the run has ended: its plan may be freed
  const wire = plan.taskWire(from, to);
  const got = await process.request("tasks", { from, wire }, { signal, transfer: [wire.buffer] }).catch((error) => {
    // a task that failed in its process (a trap): the run cannot finish; its process is not to be trusted
    throw error instanceof ProcessError
      ? new Error(`A worker failed (${error.message}); run again to start fresh workers.`)
      : error;
  });
  for (let i = 0; i < got.length; i += 4) {
    const p = got[i];
    job.records.set([p, w, got[i + 1] - job.t0, got[i + 2] - job.t0, got[i + 3]], p * 5);
  }
  return got.length / 4;
}

/**
 * A pool of long-lived processes, like a `multiprocessing.Pool` kept open between runs.
 * Cancelling terminates the busy processes (a message cannot interrupt a wasm loop) and the
 * pool respawns them before the next run.
 */
export class ProcessPool {
  constructor() {
    this.workers = [];
  }

  async ensure(k) {
    this.workers = this.workers.filter((w) => !w.ended); // a cancel terminated them
    while (this.workers.length < k) this.workers.push(await spawnProcess());
  }

  /** Drop processes that may still be busy after a cancel. */
  reset() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  /**
   * `pool-map`: chunks of `chunksize` positions leave one FIFO queue, each to the next free
   * process of the first `k`. Resolves with `job.records` once every task is done.
   */
  async map(job, k, chunksize, onTaskDone) {
    await this.ensure(k);
    let next = 0;
    const loop = async (w) => {
      while (!job.signal.aborted && next < job.tasks) {
        const from = next;
        next = Math.min(job.tasks, next + chunksize);
        onTaskDone(await runBatch(this.workers[w], w, job, from, next));
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
    if (job.signal.aborted) throw abortError();
    return job.records;
  }
}

/**
 * `spawn-per-task`: a fresh process per task, its start-up included — the `Process` lesson.
 * At most `k` are alive at once (a browser would not start thousands of Workers at once);
 * each task's span runs from `new Worker` to its result, so the spawn cost is in the picture.
 * The first failure (a process that never started, say) ends the run: the other loops stop,
 * their processes are terminated, and the run rejects with that failure.
 */
export async function spawnPerTask(job, k, onTaskDone) {
  let next = 0;
  const alive = new Set();
  const stop = new AbortController();
  // the loops see the reader's cancel and the run's own failure alike
  const run = { ...job, signal: AbortSignal.any([job.signal, stop.signal]) };
  const loop = async () => {
    while (!run.signal.aborted && next < run.tasks) {
      const p = next++;
      const start = now();
      const worker = await spawnProcess(run.signal);
      alive.add(worker);
      try {
        // One task per process: its worker number is its position, its span starts at spawn.
        await runBatch(worker, p, run, p, p + 1);
        job.records[p * 5 + 2] = start - job.t0;
      } finally {
        worker.terminate();
        alive.delete(worker);
      }
      onTaskDone(1);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(k, job.tasks) }, loop));
  } finally {
    stop.abort();
    for (const w of alive) w.terminate();
  }
  if (job.signal.aborted) throw abortError();
  return job.records;
}

/** The processes engine's long-lived pool (one per coordinator). */
const pool = new ProcessPool();

/**
 * Run `plan` (the coordinator's validated `RunPlan`) on processes: `spawn-per-task` spawns one per task; any
 * other strategy maps over the long-lived pool (`sequential` on one process, in batches of
 * about 1 % so progress shows). `dispatched(t0)` is called once the tasks are handed out, with
 * the time the run's clock started. Resolves with the flat records and the run's total, in ms.
 */
export async function runInProcesses(plan, { signal, dispatched, progress }) {
  if (plan.strategy === "work-stealing") {
    throw new Error("work-stealing needs shared memory: it runs on the threads engine only.");
  }
  let done = 0;
  const onTaskDone = (count) => {
    done += count;
    progress(done);
  };
  if (plan.strategy === "spawn-per-task") {
    // Spawning is the lesson here: the clock runs from before the first Worker starts.
    const job = processJob(plan, now(), signal);
    const mapping = spawnPerTask(job, plan.workers, onTaskDone);
    dispatched(job.t0);
    return { records: await mapping, totalMs: now() - job.t0 };
  }
  const sequential = plan.strategy === "sequential";
  const k = sequential ? 1 : plan.workers;
  const chunk = sequential ? Math.max(1, Math.ceil(plan.tasks / 100)) : plan.chunksize;
  // The pool is long-lived, like a Pool opened before the timer: start (or respawn after a
  // cancel) its processes first, then time the map alone.
  await pool.ensure(k);
  const job = processJob(plan, now(), signal);
  const mapping = pool.map(job, k, chunk, onTaskDone);
  dispatched(job.t0); // measures handing out the tasks, not spawning the pool
  return { records: await mapping, totalMs: now() - job.t0 };
}
