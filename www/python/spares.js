/**
 * Spares: interpreters booted from the snapshot ahead of need, while the main program boots
 * and runs, so that `Process.start()` and `Pool()` hand their work to one that is ready
 * instead of waiting ~0.2–0.4 s for a boot — what CPython's fork gives a Linux
 * reader, and close to what its spawn costs there. Only for a program that names
 * multiprocessing or concurrent.futures, on a parallel rung; at most SPARES at once (bounded by
 * the cores and the memory budget), refilled as they are taken, never more in all than the
 * processes the run may still start; none left after the run.
 *
 * `runSpares(run)` for one run (session.js); a child takes one in children.js.
 */
import { spawnProcess } from "../engine/bridge.js";
import { RUNGS } from "./blocking.js";
import { bootDeadlineMs, bootInit, workerUrl } from "./interpreter-boot.js";
import { MAX_PROCESSES } from "./messages.js";
import { INTERPRETER_BYTES } from "./run-memory.js";

/** At most this many interpreters booted ahead of need in one run. */
const SPARES = 4;

export function runSpares(run) {
  const spares = [];
  let sparesStarted = 0;
  const wantsProcesses = /\b(multiprocessing|concurrent\.futures|ProcessPoolExecutor)\b/.test(run.source);
  const spareTarget = Math.max(
    0,
    Math.min(SPARES, run.cores, Math.floor(run.memory.budget.totalBytes / (4 * INTERPRETER_BYTES))),
  );
  /** Start one more spare if the rules allow; true if it did. */
  function startSpare() {
    if (!run.snapshot || !wantsProcesses || !RUNGS[run.rung].parallel || run.ended) return false;
    if (spares.length >= spareTarget || run.children.count + spares.length >= MAX_PROCESSES) return false;
    // spares count towards the interpreters alive at once
    if (run.slots.live + spares.length + 1 >= run.slots.liveCap) return false;
    // One boots at a time: two booting side by side on two cores took 0.5–0.6 s each where one
    // alone takes 0.2–0.3 s (measured) — no more spares per second, and a program's first
    // start(), which waits for the first spare, would wait twice as long.
    if (spares.some((s) => !s.ready)) return false;
    const spare = { rec: { name: `spare-${++sparesStarted}`, memoryBytes: 0 }, child: null, ready: false };
    spare.route = run.news.eventsFrom(spare.rec, () => {});
    spares.push(spare);
    run.slots.notePeak();
    spare.boot = spawnProcess(workerUrl(run.rung, spare.rec.name), {
      what: "Python process (booted ahead)",
      name: spare.rec.name,
      init: { ...bootInit(run, spare.rec.name), role: "spare" },
      deadlineMs: bootDeadlineMs(),
      onEvent: (raw) => spare.route(raw),
      onSpawn: (child) => {
        spare.child = child;
        run.workers.add(child);
      },
    }).then(
      () => {
        spare.ready = true;
        startSpare(); // the next one, up to the target
        return true;
      },
      () => {
        // A spare that could not boot is dropped: a process boots its own instead.
        const at = spares.indexOf(spare);
        if (at >= 0) spares.splice(at, 1);
        run.memory.holds(spare.rec, 0);
        return false;
      },
    );
    return true;
  }
  /** A spare — a ready one first, else the oldest still booting — and another started in its place. */
  function takeSpare() {
    const ready = spares.findIndex((s) => s.ready);
    if (!spares.length) return null;
    const [spare] = spares.splice(Math.max(ready, 0), 1);
    startSpare();
    return spare;
  }

  return {
    startSpare,
    takeSpare,
    /** Spares booting or ready now (they count towards the interpreters alive at once). */
    get count() {
      return spares.length;
    },
  };
}
