/**
 * Every Worker of the python lesson starts here, and only here: spawn with a deadline → init →
 * request/reply by id → terminate. One small module on purpose, with the same shape as the
 * engine's process bridge, so that the runtime can route it through that bridge later.
 *
 * `spawnProcess({ name, init, deadlineMs, onMessage, transfer })` starts python.worker.js and
 * returns at once `{ ready, request(body) → Promise<reply body>, terminate() }`:
 *  - `ready` resolves with the Worker's `ready` message, or rejects when it reports a boot error,
 *    fails to load, or misses `deadlineMs` (the Worker is then terminated: no silent hang);
 *  - every message that is not `ready`/`reply` goes to `onMessage` (lines printed, the main
 *    program's multiprocessing calls), checked to be an object with a string `type`;
 *  - `terminate()` ends the Worker and rejects what it still owed.
 */
import { startWorker } from "../engine/start-worker.js";

const WORKER_URL = new URL("./python.worker.js", import.meta.url);

export function spawnProcess({ name, init, deadlineMs, onMessage, transfer = [] }) {
  const worker = startWorker(WORKER_URL, name);
  const pending = new Map();
  let nextId = 1;
  let ended = false;
  let settleReady;
  const ready = new Promise((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => {}); // a caller that never awaits it must not see an unhandled rejection
  const timer = setTimeout(() => {
    fail(new Error(`${name} did not start within ${Math.round(deadlineMs / 1000)} s, so the run stopped.`));
  }, deadlineMs);

  function fail(error) {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    worker.terminate();
    settleReady.reject(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  worker.addEventListener("message", (event) => {
    const msg = event.data;
    if (ended || !msg || typeof msg !== "object" || typeof msg.type !== "string") return;
    if (msg.type === "ready") {
      clearTimeout(timer);
      settleReady.resolve(msg);
    } else if (msg.type === "boot-error") {
      fail(new Error(`${name} could not start Python: ${msg.message}`));
    } else if (msg.type === "reply" && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (typeof msg.error === "string") reject(new Error(`${name}: ${msg.error}`));
      else resolve(msg.body);
    } else {
      onMessage?.(msg);
    }
  });
  worker.addEventListener("error", (event) => {
    event.preventDefault?.();
    fail(new Error(`${name} failed: ${event.message || "its script did not load"}`));
  });
  worker.postMessage({ type: "init", ...init }, transfer);

  return {
    name,
    ready,
    request(body) {
      if (ended) return Promise.reject(new Error(`${name} has ended`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: "request", id, body });
      });
    },
    terminate() {
      fail(new Error(`${name} was terminated`));
    },
    /** Raw post, for the mailbox's wants (no reply expected). */
    post(message) {
      if (!ended) worker.postMessage(message);
    },
  };
}
