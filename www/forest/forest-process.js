/**
 * One "process" of the processes engine's random forest: a Web Worker with its own, non-shared
 * wasm instance (the `plain-forest` build: plain + the forest) and its own copy of the digits — like a joblib/multiprocessing
 * child, which gets the data copied in. It grows the trees it is sent, one message per tree,
 * and sends back each tree's class for every held-out row (not the tree itself: votes are what
 * the forest needs, and they are 450 bytes).
 *
 * Messages in: `forest:init` {module, bytes}, `forest:tree` {spec, tree}. Out: `forest:ready`,
 * `forest:grown` {tree, start, end, predictions}, `forest:failed` {message}.
 */
import init, { ForestData } from "../pkg/plain-forest/speedup_lab.js";

const now = () => performance.timeOrigin + performance.now();

let data = null;

self.addEventListener("message", async ({ data: msg }) => {
  try {
    if (msg?.type === "forest:init") {
      await init({ module_or_path: msg.module });
      data = new ForestData(new Uint8Array(msg.bytes));
      self.postMessage({ type: "forest:ready" });
    } else if (msg?.type === "forest:tree") {
      const start = now();
      const predictions = data.growTree(msg.spec, msg.tree);
      self.postMessage({ type: "forest:grown", tree: msg.tree, start, end: now(), predictions }, [predictions.buffer]);
    }
  } catch (error) {
    self.postMessage({ type: "forest:failed", message: error?.message ?? String(error) });
  }
});
