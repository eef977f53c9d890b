/**
 * The processes engine: separate, non-shared wasm instances, one per Web Worker ("processes",
 * see process-pool.js), talking only by messages. Works on any page, isolated or not. Its
 * coordinator's own plain instance validates each spec once (a `RunPlan`), hands its tasks to
 * the processes and assembles the trace; the runs
 * themselves are process-pool.js's `runInProcesses`.
 */
import init, { assembleTrace, poolSizeFor, RunPlan } from "../pkg/plain/speedup_lab.js";
import { plainModule, runInProcesses } from "./process-pool.js";

let memory = null;

export const processesEngine = {
  name: "processes",
  memoryBytes: () => memory?.buffer.byteLength ?? 0,
  planOf: (spec, maxWorkers) => new RunPlan(spec, maxWorkers),
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
  async run(_spec, plan, ctx) {
    const { records, totalMs } = await runInProcesses(plan, ctx);
    return assembleTrace(plan, records, totalMs);
  },
};
