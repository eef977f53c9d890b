/**
 * The page's side of the service-worker rung (blocking.js; the worker's side is
 * www/vendor-src/python-channel.js): make sure the lab's service worker controls this page (so
 * the Workers the run starts are its clients too), then hand it the run's news.
 *
 * `openChannel()` → `{ base, run, tell(message, process), close() }`, or null when the worker cannot be
 * had in time (blocked, private browsing, a browser that never activates it): the run then falls
 * back to the one-at-a-time rung, and the card says so.
 */
import { SERVICE_WORKER_URL } from "./blocking.js";

const KEY = "speedup-lab:channel";
/** How long to wait for the lab's worker to take this page (registering it is ~100 ms here). */
const CONTROL_DEADLINE_MS = 10_000;

const labsOwn = (worker) => worker?.scriptURL === SERVICE_WORKER_URL.href;

async function controlled(sw) {
  if (labsOwn(sw.controller)) return true;
  // The same registration www/isolate.js makes (the worker's folder is its scope); it claims
  // the pages it can at once (`clients.claim` on activation).
  await sw.register(SERVICE_WORKER_URL);
  await sw.ready;
  if (!labsOwn(sw.controller)) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, CONTROL_DEADLINE_MS);
      sw.addEventListener("controllerchange", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return labsOwn(sw.controller);
}

export async function openChannel() {
  const sw = navigator.serviceWorker;
  try {
    if (!(await controlled(sw))) return null;
  } catch {
    return null;
  }
  const registration = await sw.ready;
  const run = crypto.randomUUID();
  const post = (data) => sw.controller?.postMessage({ [KEY]: run, ...data });
  return {
    base: new URL("__python-channel__/", registration.scope).href,
    run,
    /** News for one process of the run: its own queue in the service worker ("<run>/<process>"). */
    tell: (message, to) => sw.controller?.postMessage({ [KEY]: `${run}/${to}`, message }),
    close: () => post({ end: true }),
  };
}
