/**
 * The threads engine's coordinator Worker (started by client.js; see engine/coordinator.js):
 * the engine with the workloads that plug into it (the random forest: forest/forest-engine.js).
 * This folder composes; www/engine/ names no workload.
 */

import { exposeCoordinator } from "../engine/coordinator.js";
import { threadsEngine } from "../engine/threads-engine.js";
import { withForest } from "../forest/forest-engine.js";
import * as threads from "../pkg/threads/speedup_lab.js";

exposeCoordinator(withForest(threadsEngine, threads));
