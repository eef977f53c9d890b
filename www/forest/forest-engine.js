/**
 * The random-forest lesson plugged into an engine: `withForest(engine, exports)` is `engine`
 * with `{workload: "forest"}` specs validated by the core's `forestSettings` and run by
 * forest-run.js; every other spec goes to the engine unchanged. The coordinator stays what it
 * is (one engine-agnostic loop of validate, run, progress, cancel): it sees a plan whose tasks
 * are trees and an engine that returns a trace.
 *
 * A forest spec's plan is a promise (the coordinator awaits `planOf`): the processes engine's
 * forest wasm is instantiated only then, on the first forest spec (`boot`).
 *
 * @param {object} engine   threads-engine.js or processes-engine.js
 * @param {object} exports  the wasm module that grows forests (ForestData, forestSettings,
 *                          [startForest]): the engine's own (threads), or `plain-forest` (processes)
 * @param {() => Promise<unknown>} [boot]  instantiates `exports` when they are not the engine's
 */
import { runForest } from "./forest-run.js";

export function withForest(engine, exports, boot = async () => {}) {
  return {
    ...engine,
    planOf(spec, maxWorkers) {
      if (spec?.workload !== "forest") return engine.planOf(spec, maxWorkers);
      return boot().then(() => {
        const settings = exports.forestSettings(spec, maxWorkers);
        return { ...settings, tasks: settings.trees, unit: "trees" };
      });
    },
    run(spec, plan, ctx) {
      return spec.workload === "forest" ? runForest(exports, spec, plan, ctx) : engine.run(spec, plan, ctx);
    },
  };
}
