/*
 * The service-worker rung of the python card's blocking ladder (www/python/blocking.js): in a
 * browser that has neither shared memory on this page nor JSPI (WebKitGTK, Safari ≤ 26), a
 * Python Worker of the lab's own pages waits by making a *synchronous* request that this worker
 * holds open until the page has news for it — the pattern JupyterLite and PyScript use for
 * `input()` (futurecoder's `sync-message`). A synchronous XMLHttpRequest blocks the Worker's
 * thread without using a core, and a dedicated Worker's requests go through the service worker
 * that controls the page which started it (checked in WebKitGTK 2.50, Chromium and Firefox,
 * module, classic and blob: Workers alike).
 *
 * Requests (below the worker's scope, `__python-channel__/`, never a file of the site):
 *  - `next?run=R&timeout=MS` → 200 with the JSON list of run R's news, or 204 after MS with none;
 *  - `sleep?ms=MS` → 204 after MS (time.sleep without spinning);
 *  - `ping` → 204 at once (a Worker checks that the worker controls it).
 * News comes from the page: `postMessage({"speedup-lab:channel": R, message})`, from a client
 * of this worker, kept until the run's next `next` takes it. A run's queue is dropped when the
 * page says `{"speedup-lab:channel": R, end: true}`.
 *
 * Put in front of coi-scope.js and the library by scripts/vendor.mjs, so it sees the fetch
 * first and stops it (no other listener touches a channel request).
 */
(() => {
  if (typeof window !== "undefined") return; // loaded by a page: nothing to do here
  const KEY = "speedup-lab:channel";
  const PATH = "__python-channel__/";
  /** Each waiting run's news, and the request that waits for it (at most one per run). */
  const runs = new Map();
  const runOf = (id) => {
    if (!runs.has(id)) runs.set(id, { news: [], waiter: null });
    return runs.get(id);
  };
  const MAX_WAIT_MS = 60_000; // a held request ends in time; the Worker simply asks again
  self.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || typeof data[KEY] !== "string") return;
    if (data.end) {
      // The run's end: every process's queue of it (keyed "<run>/<process>") goes.
      for (const [id, run] of runs) {
        if (id === data[KEY] || id.startsWith(`${data[KEY]}/`)) {
          run.waiter?.(null);
          runs.delete(id);
        }
      }
      return;
    }
    const run = runOf(data[KEY]);
    run.news.push(JSON.stringify(data.message));
    run.waiter?.();
  });
  self.addEventListener("fetch", (event) => {
    const url = new URL(event.request.url);
    const scope = new URL(self.registration.scope);
    if (url.origin !== scope.origin || url.pathname !== `${scope.pathname}${PATH}${url.pathname.split("/").pop()}`)
      return;
    event.stopImmediatePropagation();
    const what = url.pathname.split("/").pop();
    const ms = Math.min(
      Math.max(Number(url.searchParams.get(what === "sleep" ? "ms" : "timeout")) || 0, 0),
      MAX_WAIT_MS,
    );
    const empty = () => new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
    if (what === "ping") {
      event.respondWith(empty()); // a Worker checks, at its start, that its requests come here
      return;
    }
    if (what === "sleep") {
      event.respondWith(new Promise((resolve) => setTimeout(() => resolve(empty()), ms)));
      return;
    }
    if (what !== "next") {
      event.respondWith(new Response("unknown channel request", { status: 404 }));
      return;
    }
    const run = runOf(url.searchParams.get("run") ?? "");
    event.respondWith(
      new Promise((resolve) => {
        const answer = () => {
          clearTimeout(timer);
          run.waiter = null;
          if (!run.news.length) return resolve(empty());
          const body = `[${run.news.splice(0).join(",")}]`;
          resolve(new Response(body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } }));
        };
        const timer = setTimeout(answer, ms);
        if (run.news.length || ms === 0) answer();
        else {
          run.waiter?.(); // an older request of the run answers now (empty): only one waits
          run.waiter = answer;
        }
      }),
    );
  });
})();
