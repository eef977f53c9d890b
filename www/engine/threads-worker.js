/**
 * Coordinator of the threads engine: one wasm module with shared memory and a rayon pool on
 * Web Workers (wasm-bindgen-rayon). Needs a cross-origin isolated document.
 */
import * as forestExports from "../pkg/threads/speedup_lab.js";
import init, { assembleTrace, initThreadPool, planOf, poolSizeFor, startRun } from "../pkg/threads/speedup_lab.js";
import { exposeCoordinator } from "./coordinator.js";

let memory = null;

exposeCoordinator({
  name: "threads",
  memoryBytes: () => memory?.buffer.byteLength ?? 0,
  planOf,
  assembleTrace,
  forest: forestExports,
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
  async runInPool(spec, { signal, dispatched, progress, pollMs }) {
    const handle = startRun(spec);
    dispatched();
    try {
      while (!handle.finished()) {
        if (signal.aborted) handle.cancel();
        progress(handle.done());
        await new Promise((r) => setTimeout(r, pollMs));
      }
      progress(handle.done());
      return handle.takeTrace();
    } finally {
      handle.free();
    }
  },
});
