/** The hosted page: says what this browser offers, then the cards do the rest. */
import { defaultEngine, getEngine, threadsAvailable } from "./engine/client.js";
import { LESSONS } from "./lessons/index.js";
import { h } from "./ui/dom.js";
import "./widget/speedup-lab.js";

const line = document.getElementById("isolation");
const toc = document.getElementById("toc");
toc.append(...LESSONS.map((l) => h("a", { href: `#${l.id}`, text: l.id })));

const isolated = threadsAvailable();
const engine = defaultEngine();
line.textContent = isolated
  ? "Cross-origin isolated ✓ — threads engine (shared memory). Starting the pool…"
  : "Not cross-origin isolated — processes engine (separate Workers, no shared memory).";
line.dataset.isolated = String(isolated);

getEngine(engine)
  .ready.then((info) => {
    line.textContent = `${isolated ? "Cross-origin isolated ✓ — threads engine" : "Not cross-origin isolated — processes engine"}: ${info.poolSize} workers in the pool on ${info.hardwareConcurrency} cores${
      engine === "threads" ? `, shared memory ${info.sharedMemory ? "✓" : "✗"}` : ""
    }; ready in ${Math.round(info.bootMs)} ms.`;
    line.dataset.poolSize = String(info.poolSize);
    line.dataset.engine = engine;
    line.dataset.sharedMemory = String(info.sharedMemory);
    line.dataset.ready = "true";
  })
  .catch((error) => {
    line.textContent = `The ${engine} engine could not start: ${error.message}`;
    line.dataset.ready = "error";
  });
