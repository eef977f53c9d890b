/**
 * The hosted page: says what this browser offers and what it will use, then the cards do the
 * rest. It starts no engine: the first Run does (engine/client.js).
 */
import { defaultEngine, engineEvents, threadsAvailable } from "./engine/client.js";
import { placeCards } from "./share/cards.js";
import { h } from "./ui/dom.js";
import { coreError, coreLoaded, LESSONS, poolSize } from "./widget/core-loader.js";
import "./widget/speedup-lab.js";

// The lessons come the one way the widget gets them (core-loader.js's dynamic import): a second,
// static import of the same modules, under their top-level await, let WebKit resolve the
// widget's import before the lessons had evaluated (PARAMS undefined).
await coreLoaded;
placeCards(LESSONS);

const line = document.getElementById("isolation");
const toc = document.getElementById("toc");
toc.append(...LESSONS.map((l) => h("a", { href: `#${l.id}`, text: l.id })));
if (LESSONS.length === 0) {
  // The lessons' modules themselves could not load (the network): say so where the cards would be.
  document
    .querySelector("main")
    ?.prepend(h("p", { class: "error", role: "alert", text: `${coreError.message}. Reload the page to try again.` }));
}

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

// Said without starting anything (nothing starts before Run): the engine this page will use
// and its pool, from the core's rule; updated once an engine has booted on a first Run.
const cores = Math.max(1, navigator.hardwareConcurrency || 1);
const pool = (size, reported) => `${size} workers in the pool on ${reported} cores (as the browser reports)`;
line.textContent = coreError
  ? coreError.message // a card's Run loads it again; the line follows once an engine starts
  : `${isolationPhrase()}${isolated ? " (shared memory)" : " (separate Workers, no shared memory)"}: ${pool(poolSize(cores), cores)}. The engine starts on the first Run.`;
line.dataset.isolated = String(isolated);
line.dataset.crossOriginIsolated = String(globalThis.crossOriginIsolated === true);
line.dataset.engine = engine;
line.dataset.poolSize = String(poolSize?.(cores) ?? "");
line.dataset.ready = "idle";

engineEvents.addEventListener("ready", ({ detail: { kind, info } }) => {
  if (kind !== engine) return;
  const running = info.engine ?? engine;
  // hardwareConcurrency is what the browser chooses to report (WebKitGTK said 4 on 2 cores).
  const shared = running === "threads" ? `, shared memory ${info.sharedMemory ? "✓" : "✗"}` : "";
  const head = info.fallback ? `Cross-origin isolated ✓. ${info.fallback}` : isolationPhrase();
  line.textContent = `${head}: ${pool(info.poolSize, info.hardwareConcurrency)}${shared}; started in ${Math.round(info.bootMs)} ms.`;
  line.dataset.poolSize = String(info.poolSize);
  line.dataset.engine = running;
  line.dataset.sharedMemory = String(info.sharedMemory);
  if (info.fallback) line.dataset.fallback = "true";
  else delete line.dataset.fallback;
  line.dataset.ready = "true";
});
engineEvents.addEventListener("failed", ({ detail: { kind, error } }) => {
  if (kind !== engine) return;
  line.textContent =
    error.name === "BootTimeoutError"
      ? `${error.message} Press Run to try again.`
      : `The ${engine} engine could not start: ${error.message} Press Run to try again.`;
  line.dataset.ready = "error";
});
