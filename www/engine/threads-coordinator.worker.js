/** The threads engine's coordinator Worker (started by client.js; see coordinator.js). */
import { exposeCoordinator } from "./coordinator.js";
import { threadsEngine } from "./threads-engine.js";

exposeCoordinator(threadsEngine);
