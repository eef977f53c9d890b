/**
 * The processes engine's coordinator Worker (started by client.js; see engine/coordinator.js):
 * the engine with the workloads that plug into it (the random forest: forest/forest-engine.js).
 * This folder composes; www/engine/ names no workload.
 */

import { exposeCoordinator } from "../engine/coordinator.js";
import { processesEngine } from "../engine/processes-engine.js";
import { withForest } from "../forest/forest-engine.js";
import { forestBooter } from "../forest/forest-wasm.js";
import * as plainForest from "../pkg/plain-forest/speedup_lab.js";

// The forest's exports come from the `plain-forest` flavour, instantiated on the first forest
// spec (forest-wasm.js): the lessons never fetch it.
exposeCoordinator(withForest(processesEngine, plainForest, forestBooter(plainForest.default)));
