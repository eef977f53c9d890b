/**
 * How many interpreters of a Python run are alive at once. Why a cap: each one holds tens of MB
 * and boots no faster for being started alongside more than the cores can run, so a child beyond
 * it waits, first come first started, for one to end — but never forever (see `unblock`).
 *
 * `runSlots(run)` for one run (session.js); it reads `run.memory` (the budget bounds the cap too),
 * `run.processes` and `run.spares` (spares count towards the interpreters alive).
 */
import { INTERPRETER_BYTES } from "./run-memory.js";

/** At most this many processes alive at once; more wait for one to end (each interpreter holds
 * tens of MB, and boots no faster for being started alongside more than the cores can run). */
export const maxLive = (cores) => Math.max(10, 2 * cores);

export function runSlots(run) {
  const { budget } = run.memory;
  /** At most this many interpreters alive at once: from the cores, and from the memory budget. */
  const liveCap = Math.min(maxLive(run.cores), Math.max(2, Math.floor(budget.totalBytes / INTERPRETER_BYTES)));
  const waiting = []; // spawns beyond liveCap, first come first started
  let live = 0;
  let queued = 0; // children that waited for a free slot
  let peakInterpreters = 1; // the most alive at once: the main program, children, spares
  const notePeak = () => {
    peakInterpreters = Math.max(peakInterpreters, 1 + live + run.spares.count);
  };

  /**
   * Whether any child is doing something that can end without help: a Process running, a pool
   * member with a task — and neither waiting on a shared object (a queue's get, a lock, an event),
   * which another process may have to set.
   */
  const anyBusy = () =>
    run.processes.some((p) => p.kind !== "main" && p.live && (p.kind === "process" || p.busy) && !p.asking?.size);
  /**
   * A spawn waits for a free slot only while something else can end and free one: when every
   * live child is an idle pool member (a pool the program has not closed yet) or waits on a shared
   * object — perhaps for the very process waiting for a slot (five children waiting on one Event
   * that the last of them sets) — waiting would be forever, so the next one starts beyond the cap
   * instead (no silent deadlock).
   */
  function unblock() {
    while (waiting.length && (live < liveCap || !anyBusy())) waiting.shift()();
  }

  /** `start` now if a slot is free, else as soon as one is (counted as queued: said on the card). */
  function whenFree(start) {
    if (waiting.length || (live >= liveCap && anyBusy())) queued++;
    waiting.push(start);
    unblock();
  }

  /** `proc` takes a slot; `proc.release()` gives it back and ends its Worker (and `onRelease`). */
  const takeSlot = (proc, onRelease = () => {}) => {
    live++;
    notePeak();
    proc.live = true;
    proc.release = () => {
      if (proc.released) return;
      proc.released = true;
      proc.live = false;
      onRelease();
      proc.worker?.terminate();
      run.workers.delete(proc.worker);
      run.memory.holds(proc, 0); // a terminated Worker's memory is the browser's again
      live--;
      unblock();
    };
  };

  return {
    liveCap,
    notePeak,
    unblock,
    whenFree,
    takeSlot,
    /** Drop every spawn still waiting (the run has ended). */
    clear() {
      waiting.length = 0;
    },
    get waiting() {
      return waiting.length;
    },
    get live() {
      return live;
    },
    get queued() {
      return queued;
    },
    get peakInterpreters() {
      return peakInterpreters;
    },
  };
}
