/**
 * The page's side of the runtime: picks an engine, starts its coordinator Worker once per page
 * (every card and widget shares it, so ten widgets share one pool instead of starving the
 * machine), and runs one spec at a time through it. Nothing here computes a workload.
 */
import * as Comlink from "../vendor/comlink.mjs";
import { startWorker } from "./start-worker.js";

export const ENGINES = ["threads", "processes"];

/** Whether this document can run the threads engine (shared memory needs isolation). */
export function threadsAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
}

/** The best engine this document can run. */
export function defaultEngine() {
  return threadsAvailable() ? "threads" : "processes";
}

const COORDINATORS = {
  threads: new URL("./threads-worker.js", import.meta.url),
  processes: new URL("./processes-worker.js", import.meta.url),
};

class Engine {
  constructor(kind) {
    this.kind = kind;
    this.queue = Promise.resolve();
    this.ready = this.#start();
  }

  #start() {
    this.worker = startWorker(COORDINATORS[this.kind], `speedup-lab ${this.kind}`);
    this.api = Comlink.wrap(this.worker);
    // An uncaught error in the coordinator or one of its threads (a wasm trap, say) leaves the
    // engine unusable: fail the run in progress and start a fresh coordinator for the next one.
    this.crashed = new Promise((_, reject) => {
      const fail = (what) => {
        this.broken = true;
        reject(new Error(`A worker failed (${what}); the ${this.kind} engine restarts on the next run.`));
      };
      this.worker.addEventListener("error", (event) => {
        event.preventDefault();
        fail(event.message || "the coordinator stopped");
      });
      // A pool thread that trapped (see scripts/patch-rayon-helper.mjs), forwarded by the
      // coordinator: the run it belonged to can never finish.
      this.worker.addEventListener("message", ({ data }) => {
        if (data?.type === "speedup-lab:thread-failed") fail(data.message);
      });
    });
    this.crashed.catch(() => {});
    this.broken = false;
    const cores = navigator.hardwareConcurrency || 1;
    return Promise.race([this.api.init(cores), this.crashed]);
  }

  /** Memory held by the engine's own wasm instance (tests watch it over long use). */
  async stats() {
    await this.ready;
    return this.api.stats();
  }

  /** Throw away the coordinator (and with it every thread and process) and start again. */
  restart() {
    this.worker.terminate();
    this.api[Comlink.releaseProxy]?.();
    this.ready = this.#start();
    return this.ready;
  }

  /**
   * Run `spec` once the runs queued before it are done. `signal` cancels (also while queued);
   * `onEvent` receives dispatched/progress events.
   */
  run(spec, { signal, onEvent } = {}) {
    const go = async () => {
      if (this.broken) await this.restart();
      await this.ready;
      signal?.throwIfAborted();
      const onAbort = () => this.api.cancel();
      signal?.addEventListener("abort", onAbort);
      try {
        const events = onEvent ? Comlink.proxy(onEvent) : undefined;
        return await Promise.race([this.api.run(spec, events), this.crashed]);
      } finally {
        signal?.removeEventListener("abort", onAbort);
      }
    };
    const result = this.queue.then(go, go);
    this.queue = result.catch(() => {});
    return result;
  }
}

const engines = new Map();

/** The page-wide engine of that kind, started on first use. */
export function getEngine(kind = defaultEngine()) {
  if (!ENGINES.includes(kind)) throw new Error(`Unknown engine "${kind}": use threads or processes.`);
  if (kind === "threads" && !threadsAvailable()) {
    throw new Error("The threads engine needs a cross-origin isolated page; this one is not, so use processes.");
  }
  if (!engines.has(kind)) engines.set(kind, new Engine(kind));
  return engines.get(kind);
}
