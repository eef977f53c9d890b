/** The threads engine's coordinator Worker (started by client.js; see coordinator.js). */
import { withForest } from "../forest/forest-engine.js";
import * as threads from "../pkg/threads/speedup_lab.js";
import { exposeCoordinator } from "./coordinator.js";
import { threadsEngine } from "./threads-engine.js";

exposeCoordinator(withForest(threadsEngine, threads));
