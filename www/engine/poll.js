/**
 * Waiting for a run that goes on in the rayon pool (a `RunHandle` or a `ForestHandle` from the
 * threaded wasm) without blocking the coordinator: poll it every few ms, pass a cancel on to
 * it, report progress, and free it whatever happens. Written once for the lessons and the forest.
 */
import { abortError } from "./abort.js";
import { now } from "./clock.js";

/** How often a running threaded run is polled for progress, in ms. */
export const POLL_MS = 25;

/**
 * Start a pool run with `start()` and resolve with `take(handle)` once it has finished.
 * @param {() => object} start   starts the run and returns its handle (done/finished/cancel/free)
 * @param {(handle: object) => object} take  the finished run's outcome (may throw its error)
 * @param {{ signal: AbortSignal, dispatched: (t0: number) => void, progress: (done: number) => void }} ctx
 */
export async function pollRun(start, take, { signal, dispatched, progress }) {
  const t0 = now();
  const handle = start();
  dispatched(t0);
  try {
    while (!handle.finished()) {
      if (signal.aborted) handle.cancel();
      progress(handle.done());
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    progress(handle.done());
    // The core stopped on the cancel flag set above: the run ends as an abort.
    if (signal.aborted) throw abortError();
    return take(handle);
  } finally {
    handle.free();
  }
}
