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

/**
 * What the page's state means, in one phrase. Three cases, because WebKitGTK on Linux is
 * cross-origin isolated yet has no SharedArrayBuffer: "not isolated" would be false there.
 */
function isolationPhrase() {
  if (isolated) return "Cross-origin isolated ✓ — threads engine";
  if (globalThis.crossOriginIsolated === true) {
    return "Cross-origin isolated, but this browser has no shared memory (SharedArrayBuffer), so the processes engine runs";
  }
  return "Not cross-origin isolated — processes engine";
}

line.textContent = isolated
  ? "Cross-origin isolated ✓ — threads engine (shared memory). Starting the pool…"
  : `${isolationPhrase()} (separate Workers, no shared memory).`;
line.dataset.isolated = String(isolated);
line.dataset.crossOriginIsolated = String(globalThis.crossOriginIsolated === true);

getEngine(engine)
  .ready.then((info) => {
    const running = info.engine ?? engine;
    // hardwareConcurrency is what the browser chooses to report (WebKitGTK said 4 on 2 cores).
    const pool = `${info.poolSize} workers in the pool on ${info.hardwareConcurrency} cores (as the browser reports)`;
    const shared = running === "threads" ? `, shared memory ${info.sharedMemory ? "✓" : "✗"}` : "";
    const head = info.fallback ? `Cross-origin isolated ✓. ${info.fallback}` : isolationPhrase();
    line.textContent = `${head}: ${pool}${shared}; ready in ${Math.round(info.bootMs)} ms.`;
    line.dataset.poolSize = String(info.poolSize);
    line.dataset.engine = running;
    line.dataset.sharedMemory = String(info.sharedMemory);
    if (info.fallback) line.dataset.fallback = "true";
    line.dataset.ready = "true";
  })
  .catch((error) => {
    line.textContent =
      error.name === "BootTimeoutError"
        ? `${error.message} Reload the page to try again.`
        : `The ${engine} engine could not start: ${error.message}`;
    line.dataset.ready = "error";
  });
