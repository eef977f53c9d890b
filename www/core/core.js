/**
 * The Rust core on the page: the one table of the reader's parameters and limits, their
 * validation, the pool-size rule and the FIFO schedule on paper — small synchronous calls into
 * the plain (non-shared) wasm module, so the page never copies a number or a rule from the
 * core (src/limits.rs, src/schedule.rs, src/run/mod.rs). Nothing heavy runs here: workloads
 * run in Workers (see client.js).
 *
 * Loaded once (top-level await), by the widget's core-loader.js: the card is defined before it,
 * shows "Loading the lab…" until it is here, and a run waits for it. If it cannot load (a failed
 * fetch, or a page whose Content-Security-Policy forbids WebAssembly), `coreError` says why,
 * the cards show it, and the next Run tries again (`retryCore`).
 */
import init, { fifoSchedule, limits, poolSizeFor, RunPlan, readParam } from "../pkg/plain/speedup_lab.js";

let failure = null;

/** Why the core could not load, or null (a live binding: `retryCore` may clear it). */
export let coreError = null;

async function load() {
  try {
    await init();
    failure = null;
  } catch (error) {
    failure = new Error(`The lab's core could not load here: ${error?.message ?? error}. Press Run to try again.`);
  }
  coreError = failure;
  return failure;
}
await load();

/**
 * Load the core again after a failure (a failed fetch is not kept: a reader's next Run is the
 * retry, no reload needed). Resolves with the error if it still cannot load, else null.
 */
export async function retryCore() {
  return failure ? load() : null;
}

/** `{params: [{key, attr, label, min, max, initial, hint}], maxSpawnN, …}` for an engine. */
export function limitsFor(poolSize, cores) {
  return failure
    ? { params: [], maxSpawnN: 0, maxSleepTasks: 0, maxWorkers: 0, homeworkTasks: 0 }
    : limits(poolSize, cores);
}

/** Workers the lab's pool has on a machine with `cores` (the core's rule: at least 10). */
export function poolSize(cores) {
  return failure ? Math.max(1, cores) : poolSizeFor(cores);
}

/**
 * Read parameter `key` from `raw` (text, number, null) as the core reads a run spec:
 * `{ value }` (null when blank) or `{ error }` with the core's message.
 */
export function checkParam(key, raw, poolSize, cores) {
  if (failure) return { error: failure.message };
  try {
    return { value: readParam(key, raw, poolSize, cores) };
  } catch (error) {
    return { error: error.message };
  }
}

/**
 * What the core would make of run `spec` on an engine of `maxWorkers` workers, for a lesson's
 * expectation on the page: `{strategy, workers, chunksize, tasks}` (chunksize resolved: blank
 * means Python's default), or null when the spec is out of range. A preview only: the run's
 * own plan is made once, by the coordinator, which also says why a spec is refused.
 */
export function planFor(spec, maxWorkers) {
  if (failure) return null;
  let plan = null;
  try {
    plan = new RunPlan(spec, maxWorkers);
    return { strategy: plan.strategy, workers: plan.workers, chunksize: plan.chunksize, tasks: plan.tasks };
  } catch {
    return null;
  } finally {
    plan?.free();
  }
}

/** A FIFO pool on paper: per task `{task, worker, start, end}` in the durations' unit. */
export function fifo(durations, workers, chunksize = 1) {
  return fifoSchedule(Float64Array.from(durations), workers, chunksize);
}

/** When a FIFO pool on paper finishes: the end of its last task, in the durations' unit. */
export function makespan(durations, workers, chunksize = 1) {
  return Math.max(0, ...fifo(durations, workers, chunksize).map((s) => s.end));
}
