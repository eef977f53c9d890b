/** The processes engine's coordinator Worker (started by client.js; see coordinator.js). */
import { withForest } from "../forest/forest-engine.js";
import { forestBooter } from "../forest/forest-wasm.js";
import * as plainForest from "../pkg/plain-forest/speedup_lab.js";
import { exposeCoordinator } from "./coordinator.js";
import { processesEngine } from "./processes-engine.js";

// The forest's exports come from the `plain-forest` flavour, instantiated on the first forest
// spec (forest-wasm.js): the lessons never fetch it.
exposeCoordinator(withForest(processesEngine, plainForest, forestBooter(plainForest.default)));
