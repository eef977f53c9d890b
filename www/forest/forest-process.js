/**
 * One "process" of the processes engine's random forest: a Web Worker with its own, non-shared
 * wasm instance (the `plain-forest` build: plain + the forest) and its own copy of the digits —
 * like a joblib/multiprocessing child, which gets the data copied in. It grows the trees it is
 * sent, one request per tree, and answers with each tree's class for every held-out row (not
 * the tree itself: votes are what the forest needs, and they are 450 bytes).
 *
 * Its handlers, behind the process bridge (engine/bridge.js): `init` {module, bytes} parses
 * the data; `tree` {settings, tree} → {start, end, predictions}, where `settings` is the run's
 * validated plan as numbers (`ForestPlan.wire()`, made once by the coordinator): a process
 * never sees the spec.
 */
import { serve, transferring } from "../engine/bridge-worker.js";
import { now } from "../engine/clock.js";
import init, { ForestData } from "../pkg/plain-forest/speedup_lab.js";

let data = null;

serve({
  async init({ module, bytes }) {
    await init({ module_or_path: module });
    data = new ForestData(new Uint8Array(bytes));
    return {};
  },
  tree({ settings, tree }) {
    const start = now();
    const predictions = data.growTree(settings, tree);
    return transferring({ start, end: now(), predictions }, [predictions.buffer]);
  },
});
