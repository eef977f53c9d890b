/** The processes engine's coordinator Worker (started by client.js; see coordinator.js). */
import { withForest } from "../forest/forest-engine.js";
import * as plain from "../pkg/plain/speedup_lab.js";
import { exposeCoordinator } from "./coordinator.js";
import { processesEngine } from "./processes-engine.js";

exposeCoordinator(withForest(processesEngine, plain));
