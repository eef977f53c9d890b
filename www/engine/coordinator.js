/**
 * The part both coordinator Workers share. A coordinator owns one engine's wasm instance and
 * exposes a flat async API to the page (via Comlink): `init`, `run`, `cancel`. Timing happens
 * here and in the workers, next to the work; the page only receives finished traces and
 * progress events. The coordinator never blocks: a threaded run goes on in the rayon pool
 * while this Worker polls it, so a `cancel` is handled at once.
 */
import { runForest } from "../forest/forest-run.js";
import * as Comlink from "../vendor/comlink.mjs";
import { now, ProcessPool, spawnPerTask } from "./process-pool.js";

/** How often a running threaded run is polled for progress, in ms. */
const POLL_MS = 25;

function tasksOf(spec, plan) {
  if (spec.workload === "fault") return [{ position: 0, kind: "fault" }];
  if (spec.workload === "sleep") {
    return plan.sleepMs.map((ms, i) => ({ position: i, kind: "sleep", ms, index: i + 1 }));
  }
  const kind = spec.kernel === "lanes" ? "perfect-lanes" : "perfect";
  return Array.from({ length: plan.tasks }, (_, i) => ({ position: i, kind, n: i + 1 }));
}

/**
 * @param {object} engine
 * @param {string} engine.name               "threads" or "processes"
 * @param {(cores:number) => Promise<object>} engine.boot  loads wasm; resolves with info
 * @param {(spec:object, max:number) => object} engine.planOf
 * @param {(spec:object, max:number, records:Float64Array, total:number) => object} engine.assembleTrace
 * @param {(spec:object, ctx:object) => Promise<object>} [engine.runInPool] threaded runs
 * @param {() => number} engine.memoryBytes  size of the wasm memory
 * @param {object} engine.forest  the forest's wasm exports (www/forest/forest-run.js)
 */
export function exposeCoordinator(engine) {
  let info = null;
  let current = null; // AbortController of the run going on
  let pool = null;

  const api = {
    async init(cores) {
      info ??= await engine.boot(cores);
      pool ??= new ProcessPool(info.poolSize);
      return info;
    },

    cancel() {
      current?.abort();
    },

    /** The random-forest lesson: trees, not tasks (www/forest/forest-run.js); `run` sends it here. */
    async forest(spec, onEvent) {
      if (!info) throw new Error("The engine is not initialised yet.");
      current?.abort();
      const controller = new AbortController();
      current = controller;
      try {
        const full = { ...spec, engine: engine.name, hardwareConcurrency: info.hardwareConcurrency };
        return await runForest(engine.forest, full, info.poolSize, controller.signal, onEvent);
      } finally {
        if (current === controller) current = null;
        onEvent?.[Comlink.releaseProxy]?.();
      }
    },

    /** Memory this coordinator's wasm instance holds, for the long-use tests. */
    stats() {
      return { wasmMemoryBytes: engine.memoryBytes() };
    },

    /**
     * Run one spec and resolve with its trace. `onEvent` (a Comlink proxy) receives
     * `{type: "dispatched", ms}` once the tasks are handed out and `{type: "progress", done,
     * total, ms}` while they run; ms counts from just before dispatch.
     */
    async run(spec, onEvent) {
      if (!info) throw new Error("The engine is not initialised yet.");
      if (spec?.workload === "forest") return api.forest(spec, onEvent);
      const full = { ...spec, engine: engine.name, hardwareConcurrency: info.hardwareConcurrency };
      const plan = engine.planOf(full, info.poolSize);
      current?.abort();
      const controller = new AbortController();
      current = controller;
      const signal = controller.signal;
      let t0 = now();
      let done = 0;
      let lastReport = 0;
      const report = (force) => {
        const t = now();
        if (!force && t - lastReport < 50) return;
        lastReport = t;
        onEvent?.({ type: "progress", done, total: plan.tasks, ms: t - t0 });
      };
      const onTaskDone = (count) => {
        done += count;
        report(false);
      };
      try {
        if (plan.strategy === "spawn-per-task" || !engine.runInPool) {
          if (plan.strategy === "work-stealing") {
            throw new Error("work-stealing needs shared memory: it runs on the threads engine only.");
          }
          const tasks = tasksOf(spec, plan);
          let started = now();
          let records;
          if (plan.strategy === "spawn-per-task") {
            // Spawning is the lesson here: the clock runs from before the first Worker starts.
            const mapping = spawnPerTask(tasks, plan.workers, { signal, onTaskDone });
            onEvent?.({ type: "dispatched", ms: now() - t0 });
            records = await mapping;
          } else {
            const k = plan.strategy === "sequential" ? 1 : plan.workers;
            // sequential: one process, in batches of ~1% so progress shows; pool-map: FIFO chunks
            const chunk = plan.strategy === "sequential" ? Math.max(1, Math.ceil(tasks.length / 100)) : plan.chunksize;
            // The pool is long-lived, like a Pool opened before the timer: start (or respawn
            // after a cancel) its processes first, then time the map alone.
            await pool.ensure(k);
            started = now();
            t0 = started; // "dispatched" then measures handing out the tasks, not spawning the pool
            const mapping = pool.map(tasks, k, chunk, { signal, onTaskDone });
            onEvent?.({ type: "dispatched", ms: now() - t0 });
            records = await mapping;
          }
          const total = now() - started;
          // Five numbers per task (position, worker, start, end, output or NaN), times relative.
          const flat = new Float64Array(records.length * 5);
          for (const [i, [p, w, s, e, o]] of records.entries()) {
            flat.set([p, w, s - started, e - started, o ?? Number.NaN], i * 5);
          }
          report(true);
          return engine.assembleTrace(full, info.poolSize, flat, total);
        }
        const trace = await engine.runInPool(full, {
          signal,
          dispatched: () => onEvent?.({ type: "dispatched", ms: now() - t0 }),
          progress: (d) => {
            done = d;
            report(false);
          },
          pollMs: POLL_MS,
        });
        report(true);
        return trace;
      } finally {
        if (current === controller) current = null;
        // The page's callback came as a Comlink proxy, which holds a MessagePort (and, on the
        // page, the closure behind it) until released: release it, or every run leaks one.
        onEvent?.[Comlink.releaseProxy]?.();
      }
    },
  };
  Comlink.expose(api);
}
