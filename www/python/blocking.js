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
 *  3. `one-at-a-time`: neither (WebKitGTK, Safari ≤ 26). The program runs in one Worker and its
 *     processes run one after another in it, the output exact, no speedup claimed, and a sleep
 *     spins (nothing else can wait). See docs/python.md for why no service-worker channel here.
 *
 * The rung's facts (its name on the card, whether processes run in parallel, what a sleep costs)
 * live here and nowhere else; session.js and the Workers take the rung's id from `blockingRung()`.
 */

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

/**
 * The best rung this page has, with the reason in a sentence: `{ rung, why }`. A test (or a
 * curious reader, from the console) may ask for a lower rung with
 * `globalThis.speedupLabPythonBlocking = "jspi"` (or "one-at-a-time"); a rung this page does
 * not have is never used, whatever is asked.
 */
export function blockingRung(scope = globalThis) {
  const have = [];
  if (hasSharedMemory(scope)) have.push("shared-memory");
  if (hasJspi(scope)) have.push("jspi");
  have.push("one-at-a-time");
  const asked = scope.speedupLabPythonBlocking;
  const rung = have.includes(asked) ? asked : have[0];
  const why =
    rung === "shared-memory"
      ? "this page is cross-origin isolated, so its Workers share memory"
      : rung === "jspi"
        ? hasSharedMemory(scope)
          ? "asked for (speedupLabPythonBlocking); this page could share memory too"
          : "this page is not cross-origin isolated (no SharedArrayBuffer), and the browser has JSPI"
        : have.length > 1
          ? "asked for (speedupLabPythonBlocking)"
          : `${scope.crossOriginIsolated ? "this browser has no SharedArrayBuffer even on an isolated page" : "this page is not cross-origin isolated"}, and the browser has no JSPI`;
  return { rung, why };
}

/** The footer's sentence for the rung: how this page's Python blocks, and why. */
export function rungSentence({ rung, why } = blockingRung()) {
  return `Python here blocks by ${RUNGS[rung].label} — ${why}.`;
}
