/**
 * The Rust core on the page: the one table of the reader's parameters and limits, their
 * validation, the pool-size rule and the FIFO schedule on paper — small synchronous calls into
 * the plain (non-shared) wasm module, so the page never copies a number or a rule from the
 * core (src/limits.rs, src/schedule.rs, src/run/mod.rs). Nothing heavy runs here: workloads
 * run in Workers (see client.js).
 *
 * Loaded once, before any card is defined (top-level await). If it cannot load (a page whose
 * Content-Security-Policy forbids WebAssembly, say), `coreError` says why and the cards show it.
 */
import init, { fifoSchedule, limits, planOf, poolSizeFor, readParam } from "../pkg/plain/speedup_lab.js";

let failure = null;
try {
  await init();
} catch (error) {
  failure = new Error(`The lab's core could not load here: ${error?.message ?? error}`);
}

/** Why the core could not load, or null. */
export const coreError = failure;

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
 * The core's plan for run `spec` on an engine of `maxWorkers` workers, as the engines read it:
 * `{strategy, workers, chunksize, tasks}` (chunksize resolved: blank means Python's default),
 * or null when the spec is out of range (the run itself will say why).
 */
export function planFor(spec, maxWorkers) {
  if (failure) return null;
  try {
    return planOf(spec, maxWorkers);
  } catch {
    return null;
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
