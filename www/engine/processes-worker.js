/**
 * Coordinator of the processes engine: separate, non-shared wasm instances, one per Web Worker,
 * talking only by messages. Works on any page, isolated or not. Its own plain instance is used
 * only to validate specs and assemble traces; the work happens in the process Workers.
 */
import * as forestExports from "../pkg/plain/speedup_lab.js";
import init, { assembleTrace, planOf, poolSizeFor } from "../pkg/plain/speedup_lab.js";
import { exposeCoordinator } from "./coordinator.js";
import { plainModule } from "./process-pool.js";

let memory = null;

exposeCoordinator({
  name: "processes",
  memoryBytes: () => memory?.buffer.byteLength ?? 0,
  planOf,
  assembleTrace,
  forest: forestExports,
  async boot(cores) {
    const t0 = performance.now();
    const exports = await init({ module_or_path: await plainModule() });
    memory = exports.memory;
    return {
      engine: "processes",
      poolSize: poolSizeFor(cores),
      hardwareConcurrency: cores,
      sharedMemory: false,
      bootMs: performance.now() - t0,
    };
  },
});
