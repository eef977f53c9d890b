/**
 * The random-forest lesson plugged into an engine: `withForest(engine, exports)` is `engine`
 * with `{workload: "forest"}` specs validated once by the core (a `ForestPlan`, which the run
 * then takes instead of the spec) and run by forest-run.js; every other spec goes to the engine unchanged. The coordinator stays what it
 * is (one engine-agnostic loop of validate, run, progress, cancel): it sees a plan whose tasks
 * are trees and an engine that returns a trace.
 *
 * A forest spec's plan is a promise (the coordinator awaits `planOf`): the processes engine's
 * forest wasm is instantiated only then, on the first forest spec (`boot`).
 *
 * @param {object} engine   threads-engine.js or processes-engine.js
 * @param {object} exports  the wasm module that grows forests (ForestData, ForestPlan,
 *                          [startForest]): the engine's own (threads), or `plain-forest` (processes)
 * @param {() => Promise<unknown>} [boot]  instantiates `exports` when they are not the engine's
 */
export function withForest(engine, exports, boot = async () => {}) {
  return {
    ...engine,
    planOf(spec, maxWorkers) {
      if (spec?.workload !== "forest") return engine.planOf(spec, maxWorkers);
      return boot().then(() => new exports.ForestPlan(spec, maxWorkers));
    },
    run(spec, plan, ctx) {
      if (spec.workload !== "forest") return engine.run(spec, plan, ctx);
      // forest-run.js loads with the first forest run, like the dataset: not with the page.
      return import("./forest-run.js").then(({ runForest }) => runForest(exports, plan, ctx));
    },
  };
}
