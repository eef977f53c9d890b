/**
 * The processes engine: separate, non-shared wasm instances, one per Web Worker ("processes",
 * see process-pool.js), talking only by messages. Works on any page, isolated or not. Its
 * coordinator's own plain instance only validates specs and assembles traces; the runs
 * themselves are process-pool.js's `runInProcesses`.
 */
import init, { assembleTrace, planOf, poolSizeFor } from "../pkg/plain/speedup_lab.js";
import { plainModule, runInProcesses } from "./process-pool.js";

let memory = null;

export const processesEngine = {
  name: "processes",
  memoryBytes: () => memory?.buffer.byteLength ?? 0,
  planOf,
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
  async run(spec, plan, ctx) {
    const { records, totalMs } = await runInProcesses(spec, plan, ctx);
    return assembleTrace(spec, ctx.poolSize, records, totalMs);
  },
};
