/**
 * The service-worker rung's waits (blocking.js): a python Worker blocks in a synchronous request
 * to the lab's service worker (www/vendor-src/python-channel.js), which holds it until it has an
 * answer — the Worker's thread waits meanwhile, using no core.
 */
import { XHR } from "./lockdown.js";

/** The longest one held request of the service-worker channel (it asks again after). */
const CHANNEL_HOLD_MS = 30_000;
// Not crypto.randomUUID: an opaque-origin frame is no secure context, and has none.
const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

/** How often a request that fell through to the network (see below) is made again. */
const FALL_THROUGH_RETRIES = 5;

/**
 * A synchronous request to the lab's service worker (www/vendor-src/python-channel.js), which
 * holds it until it has an answer: this Worker's thread blocks meanwhile, using no core.
 *
 * WebKitGTK now and then let one such request past the worker to the network (the site's 404,
 * not the channel's: seen in 2 of ~40 runs of the ladder's tests, in different programs), though
 * the worker went on answering the next ones. Such a request is asked again, a few times, before
 * the run fails with what happened.
 */
let requests = 0;
function channelRequest(url) {
  for (let attempt = 0; ; attempt++) {
    const xhr = new XHR();
    // Unique per request: WebKitGTK answered three Workers' identical `sleep?ms=1000`, in flight at
    // once, all with the first one's response (two sleeps ended early); a unique URL is never shared.
    xhr.open("GET", `${url}&n=${nonce}-${++requests}`, false);
    try {
      xhr.send();
    } catch (error) {
      throw new Error(`the lab's service worker did not answer (${error.message}); run the program again`);
    }
    if (xhr.status === 204) return undefined;
    if (xhr.status === 200) return xhr.responseText;
    const fellThrough = xhr.status === 404 && !xhr.responseText.startsWith("unknown channel request");
    if (fellThrough && attempt < FALL_THROUGH_RETRIES) continue;
    throw new Error(
      `the lab's service worker answered ${xhr.status} (${xhr.responseText.slice(0, 20)} ${url}) instead of the program's news; run it again`,
    );
  }
}

/** The service-worker rung's waits, in held requests of at most CHANNEL_HOLD_MS each. */
export function channelWaits({ base, run }) {
  const until = (ms, ask) => {
    const end = ms < 0 ? Number.POSITIVE_INFINITY : performance.now() + ms;
    for (;;) {
      const left = end - performance.now();
      const answer = ask(Math.max(0, Math.min(CHANNEL_HOLD_MS, left)));
      if (answer !== undefined || left <= CHANNEL_HOLD_MS) return answer;
    }
  };
  channelRequest(`${base}ping?`); // throws unless this Worker's requests reach the lab's service worker
  return {
    next: (ms) =>
      until(ms, (hold) => channelRequest(`${base}next?run=${encodeURIComponent(run)}&timeout=${Math.round(hold)}`)),
    sleep: (ms) => {
      until(ms, (hold) => channelRequest(`${base}sleep?ms=${Math.round(hold)}`));
    },
  };
}
