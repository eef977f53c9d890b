/** The processes engine's coordinator Worker (started by client.js; see coordinator.js). */
import { exposeCoordinator } from "./coordinator.js";
import { processesEngine } from "./processes-engine.js";

exposeCoordinator(processesEngine);
