/**
 * The threads engine: one wasm module with shared memory and a rayon pool on Web Workers
 * (wasm-bindgen-rayon). Needs a cross-origin isolated document. A run goes on in the pool
 * while the coordinator polls it from its own event loop, so a cancel is taken at once.
 * (`spawn-per-task` runs on processes even here: see process-pool.js.)
 */
import init, { assembleTrace, initThreadPool, poolSizeFor, RunPlan, startRun } from "../pkg/threads/speedup_lab.js";
import { pollRun } from "./poll.js";
import { runInProcesses } from "./process-pool.js";

let memory = null;

export const threadsEngine = {
  name: "threads",
  memoryBytes: () => memory?.buffer.byteLength ?? 0,
  planOf: (spec, maxWorkers) => new RunPlan(spec, maxWorkers),
  async boot(cores) {
    if (!self.crossOriginIsolated || typeof SharedArrayBuffer !== "function") {
      throw new Error("The threads engine needs a cross-origin isolated page (COOP/COEP headers).");
    }
    const t0 = performance.now();
    const exports = await init();
    memory = exports.memory;
    const poolSize = poolSizeFor(cores);
    await initThreadPool(poolSize);
    return {
      engine: "threads",
      poolSize,
      hardwareConcurrency: cores,
      // The check that shared memory really is shared (rust-lang/rust#147225 made it silent).
      sharedMemory: exports.memory.buffer instanceof SharedArrayBuffer,
      bootMs: performance.now() - t0,
    };
  },
  async run(_spec, plan, ctx) {
    if (plan.strategy === "spawn-per-task") {
      const { records, totalMs } = await runInProcesses(plan, ctx);
      return assembleTrace(plan, records, totalMs);
    }
    return pollRun(
      () => startRun(plan),
      (handle) => handle.takeTrace(),
      ctx,
    );
  },
};
