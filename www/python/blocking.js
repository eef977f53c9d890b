/**
 * How a Python process of this page blocks — the blocking ladder, chosen once per page by feature
 * detection. A Python process must be able to wait (`join()`, `map()`, `AsyncResult.get()`,
 * `time.sleep()`) without spinning a core, and a Worker has only these ways to do it:
 *
 *  1. `shared-memory`: `Atomics.wait` on a SharedArrayBuffer the page writes its news into
 *     (mailbox.js). Needs a cross-origin isolated page: the hosted lab, `embed.html` under
 *     Document-Isolation-Policy in Chromium, or the service-worker fallback.
 *  2. `jspi`: JavaScript Promise Integration (`WebAssembly.Suspending` / `promising`, which
 *     Pyodide exposes as `pyodide.ffi.run_sync`): the Worker's Python suspends on a Promise that a
 *     message from the page resolves, and the Worker's event loop runs meanwhile. No shared
 *     memory, so any page: Chromium ≥ 137, Firefox ≥ 153, Safari ≥ 27.
 *  3. `service-worker`: neither, on one of the lab's own pages (WebKitGTK, Safari ≤ 26): the
 *     Worker makes a synchronous request that the lab's service worker holds open until the page
 *     posts it the news (www/vendor-src/python-channel.js) — a blocked thread, no core used.
 *  4. `one-at-a-time`: none of these (the same browsers in an author's page, which the lab's
 *     service worker does not control). The program runs in one Worker and its processes run one
 *     after another in it, the output exact, no speedup claimed, and a sleep spins (nothing else
 *     can wait); the card offers to run the program on the lab's own page instead.
 *
 * The rung's facts (its name on the card, whether processes run in parallel, what a sleep costs)
 * live here and nowhere else; session.js and the Workers take the rung's id from `blockingRung()`.
 */
import { override } from "../engine/overrides.js";

/** Each rung: `label` for the card's footer, `parallel` (do processes really run at once?). */
export const RUNGS = Object.freeze({
  "shared-memory": {
    label: "shared memory: a waiting process blocks in Atomics.wait",
    parallel: true,
  },
  jspi: {
    label: "JSPI: a waiting process suspends on a promise (no shared memory on this page)",
    parallel: true,
  },
  "service-worker": {
    label:
      "a service-worker channel: a waiting process holds a synchronous request that the lab's service worker answers",
    parallel: true,
  },
  "one-at-a-time": {
    label:
      "one at a time: this browser has neither shared memory here nor JSPI, so the program's processes run one after another in one Worker (no speedup) and time.sleep spins",
    parallel: false,
  },
});

/** Whether this realm has JSPI (both halves: a suspending import and a promising export). */
export function hasJspi(scope = globalThis) {
  const wasm = scope.WebAssembly;
  return typeof wasm?.Suspending === "function" && typeof wasm?.promising === "function";
}

/** Whether this realm can block a Worker on shared memory. */
export function hasSharedMemory(scope = globalThis) {
  return typeof scope.SharedArrayBuffer === "function" && scope.crossOriginIsolated === true;
}

/** The lab's service worker (beside index.html; www/isolate.js registers the same one). */
export const SERVICE_WORKER_URL = new URL("../../coi-serviceworker.min.js", import.meta.url);

/**
 * Whether the lab's service worker can be this page's: a document of the lab's own origin (the
 * hosted page, a lesson page, embed.html there), not an opaque-origin frame, with service workers.
 * An author's page on another origin cannot have it: the Workers it starts are its own clients.
 */
export function canHaveLabServiceWorker(scope = globalThis) {
  return (
    scope.origin !== "null" &&
    scope.origin === SERVICE_WORKER_URL.origin &&
    typeof scope.navigator?.serviceWorker?.register === "function" &&
    scope.isSecureContext === true
  );
}

/**
 * The best rung this page has, with the reason in a sentence: `{ rung, why }`. A test (or a
 * curious reader, from the console) may ask for a lower rung with
 * the `pythonBlocking` override (engine/overrides.js: `globalThis.speedupLab = { pythonBlocking:
 * "jspi" }`, or "one-at-a-time"); a rung this page does
 * not have is never used, whatever is asked.
 */
export function blockingRung(scope = globalThis) {
  const have = [];
  if (hasSharedMemory(scope)) have.push("shared-memory");
  if (hasJspi(scope)) have.push("jspi");
  if (canHaveLabServiceWorker(scope)) have.push("service-worker");
  have.push("one-at-a-time");
  const asked = override("pythonBlocking", scope);
  const rung = have.includes(asked) ? asked : have[0];
  const why =
    rung === "shared-memory"
      ? "this page is cross-origin isolated, so its Workers share memory"
      : rung !== have[0]
        ? `asked for (the pythonBlocking override); this page has ${have[0]} too`
        : rung === "jspi"
          ? "this page is not cross-origin isolated (no SharedArrayBuffer), and the browser has JSPI"
          : `${scope.crossOriginIsolated ? "no SharedArrayBuffer even on this isolated page" : "this page is not cross-origin isolated"}, no JSPI, and ${rung === "service-worker" ? "this is one of the lab's own pages" : "this is not one of the lab's own pages"}`;
  return { rung, why };
}

/** The footer's sentence for the rung: how this page's Python blocks, and why. */
export function rungSentence({ rung, why } = blockingRung()) {
  if (rung === "service-worker")
    return `Python here blocks by ${RUNGS[rung].label} (set up on the first Run) — ${why}.`;
  return `Python here blocks by ${RUNGS[rung].label} — ${why}.`;
}
