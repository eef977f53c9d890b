/**
 * The coordinator, whatever the engine: one Worker per engine owns that engine's wasm instance
 * and exposes a flat async API to the page (via Comlink): `init`, `run`, `cancel`, `stats`.
 * It validates each spec once, with the engine's core (`planOf`, bounded by the engine's pool
 * size: the one maximum for workers, `poolSizeFor` in the core), keeps the validated plan and
 * hands it on: the engine runs the plan, not the spec (the rayon pool, the processes and the
 * trace all take it), and the plan is freed when the run ends. It reports progress and cancels
 * through an AbortController; *how* a run happens is the engine's (threads-engine.js,
 * processes-engine.js). Timing happens in the engines and their workers, next to the work; the
 * page only receives finished traces, assembled by the core, and progress events.
 *
 * An engine is `{ name, boot(cores) → info, planOf(spec, max) → plan (or its promise), run(spec, plan, ctx) → trace,
 * memoryBytes() }`, where ctx is `{ poolSize, signal, dispatched(t0), progress(done) }` and a
 * plan has `tasks` (what progress counts), may name their `unit` ("trees", say) and may have
 * `free()` (a `RunPlan` held in the engine's wasm: called once the run has ended).
 */
import * as Comlink from "../vendor/comlink.mjs";
import { setSpawnDeadline } from "./bridge.js";
import { now } from "./clock.js";

/** Least time between two progress events, in ms. */
const PROGRESS_MS = 50;

export function exposeCoordinator(engine) {
  Comlink.expose(coordinatorApi(engine));
}

/** The coordinator's API around `engine` (what `exposeCoordinator` exposes; tests call it directly). */
export function coordinatorApi(engine) {
  let info = null;
  let current = null; // AbortController of the run going on

  const api = {
    /** `options.spawnDeadlineMs`: another deadline for new processes (bridge.js). */
    async init(cores, options = {}) {
      setSpawnDeadline(Number(options.spawnDeadlineMs));
      info ??= await engine.boot(cores);
      return info;
    },

    cancel() {
      current?.abort();
    },

    /** Memory this coordinator's wasm instance holds, for the long-use tests. */
    stats() {
      return { wasmMemoryBytes: engine.memoryBytes() };
    },

    /**
     * Run one spec and resolve with its trace (rejects with an AbortError when cancelled).
     * `onEvent` (a Comlink proxy) receives `{type: "dispatched", ms}` once the tasks are handed
     * out and `{type: "progress", done, total, unit, ms}` while they run; ms counts from the run's
     * clock start (just before dispatch).
     */
    async run(spec, onEvent) {
      if (!info) throw new Error("The engine is not initialised yet.");
      const full = { ...spec, engine: engine.name, hardwareConcurrency: info.hardwareConcurrency };
      // The run's one validation (a promise for some specs: forest-engine.js); a bad spec rejects here.
      const plan = await engine.planOf(full, info.poolSize);
      current?.abort();
      const controller = new AbortController();
      current = controller;
      let t0 = now();
      let done = 0;
      let lastReport = 0;
      const report = (force) => {
        const t = now();
        if (!force && t - lastReport < PROGRESS_MS) return;
        lastReport = t;
        onEvent?.({ type: "progress", done, total: plan.tasks, unit: plan.unit ?? "tasks", ms: t - t0 });
      };
      try {
        const trace = await engine.run(full, plan, {
          poolSize: info.poolSize,
          signal: controller.signal,
          dispatched: (started) => {
            t0 = started;
            onEvent?.({ type: "dispatched", ms: now() - t0 });
          },
          progress: (d) => {
            done = d;
            report(false);
          },
        });
        report(true);
        return trace;
      } finally {
        plan.free?.(); // the engines are done with it: a cancelled threaded run holds its own reference
        if (current === controller) current = null;
        // The page's callback came as a Comlink proxy, which holds a MessagePort (and, on the
        // page, the closure behind it) until released: release it, or every run leaks one.
        onEvent?.[Comlink.releaseProxy]?.();
      }
    },
  };
  return api;
}
