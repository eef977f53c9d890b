/**
 * The page's side of the runtime: picks an engine, starts its coordinator Worker once per page
 * on the first run (every card and widget shares it, so ten widgets share one pool instead of
 * starving the machine), and runs one spec at a time through the page's run queue (queue.js).
 * Nothing here computes a workload.
 */
import * as Comlink from "../vendor/comlink.mjs";
import { abortError, isAbort } from "./abort.js";
import { BootTimeoutError, withBootDeadline } from "./boot-deadline.js";
import { override } from "./overrides.js";
import { enqueue } from "./queue.js";
import { startWorker } from "./start-worker.js";

export const ENGINES = ["threads", "processes"];

/** Whether this document can run the threads engine (shared memory needs isolation). */
export function threadsAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" && self.origin !== "null";
}

/**
 * Why this document cannot run the threads engine, as a clause a sentence can end with, or
 * `null` when it can. The one place that says it (cards, notes, errors), because there are two
 * causes and "not isolated" is false for the second: WebKitGTK on Linux is cross-origin
 * isolated yet has no SharedArrayBuffer.
 */
export function threadsUnavailableReason() {
  if (threadsAvailable()) return null;
  if (globalThis.crossOriginIsolated !== true) return "this page is not cross-origin isolated";
  // A frame sandboxed without allow-same-origin: the pool's threads start from module blobs there.
  if (self.origin === "null") return "this frame is sandboxed (its origin is opaque)";
  return "this browser has no SharedArrayBuffer, although the page is cross-origin isolated";
}

/**
 * "The threads engine needs shared memory, and <why not here>": the start of the sentence that
 * refuses the threads engine, for a caller to end with what happens instead (an error, a card's
 * note), so that both say it in the same words.
 */
export function threadsRefusal() {
  return `The threads engine needs shared memory, and ${threadsUnavailableReason()}`;
}

/** The best engine this document can run. */
export function defaultEngine() {
  return threadsAvailable() ? "threads" : "processes";
}

const COORDINATORS = {
  threads: new URL("../workloads/threads-coordinator.worker.js", import.meta.url),
  processes: new URL("../workloads/processes-coordinator.worker.js", import.meta.url),
};

/**
 * Engines tell the page when one has started (`ready`, detail `{kind, info}`) or could not
 * (`failed`, detail `{kind, error}`), so a status line can follow without booting anything.
 */
export const engineEvents = new EventTarget();

/**
 * One engine of the page. Nothing starts when it is made: its coordinator boots on the first
 * run (or `boot()`), so a page of cards costs no Worker until a reader presses Run. A boot that
 * fails — past its deadline or with an error (a failed fetch, say) — is not kept: the next run
 * boots afresh; a threads boot that fails hands over to the processes engine and says so.
 */
class Engine {
  constructor(kind) {
    this.kind = kind;
    this.booting = null; // the boot in progress or done: a promise of the engine's info
    this.info = null; // the info of the last boot that succeeded
    this.fallback = null; // the processes engine, once this threads engine could not start
    this.worker = null;
  }

  /** Boot once (again, after a failure); resolves with the engine's info. */
  boot() {
    this.booting ??= this.#start().then(
      (info) => {
        this.info = info;
        engineEvents.dispatchEvent(new CustomEvent("ready", { detail: { kind: this.kind, info } }));
        return info;
      },
      (error) => {
        this.booting = null; // the next run tries again
        engineEvents.dispatchEvent(new CustomEvent("failed", { detail: { kind: this.kind, error } }));
        throw error;
      },
    );
    return this.booting;
  }

  #start() {
    this.worker = startWorker(COORDINATORS[this.kind], `speedup-lab ${this.kind}`);
    this.api = Comlink.wrap(this.worker);
    this.broken = false;
    this.crash = null;
    // Calls in flight, to fail at once if the engine dies. (Not a race against a promise that
    // never settles: each such race would leave a reaction on it, one leak per run.)
    this.pending = new Set();
    // An uncaught error in the coordinator or one of its threads (a wasm trap, say) leaves the
    // engine unusable: fail the calls in flight and start a fresh coordinator for the next run.
    const fail = (what) => {
      this.broken = true;
      this.crash = new Error(`A worker failed (${what}); the ${this.kind} engine restarts on the next run.`);
      for (const reject of this.pending) reject(this.crash);
      this.pending.clear();
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
    const cores = navigator.hardwareConcurrency || 1;
    // a page (or a test holding a Worker script on purpose) may shorten the spawn deadline
    const options = { spawnDeadlineMs: Number(override("spawnDeadlineMs")) || undefined };
    return this.#settle(this.#call(() => this.api.init(cores, options)));
  }

  /**
   * The boot, within its deadline (boot-deadline.js). If it fails either way — silent past the
   * deadline, or an error (its wasm could not be fetched, say) — the coordinator is terminated;
   * a threads engine hands over to the processes engine and its info says why (`fallback`), a
   * processes engine fails with the reason (the next run tries afresh).
   */
  #settle(booting) {
    return withBootDeadline(booting, this.kind).catch((error) => {
      this.worker.terminate();
      this.api[Comlink.releaseProxy]?.();
      if (this.kind !== "threads") throw error;
      const why =
        error instanceof BootTimeoutError ? error.message : `The threads engine could not start: ${error.message}.`;
      this.fallback = getEngine("processes");
      return this.fallback.boot().then((info) => ({ ...info, fallback: `${why} The processes engine runs instead` }));
    });
  }

  /** `call()` (a call to the coordinator), rejected at once if the engine dies meanwhile. */
  #call(call) {
    return new Promise((resolve, reject) => {
      if (this.broken) {
        reject(this.crash);
        return;
      }
      this.pending.add(reject);
      call()
        .then(resolve, reject)
        .finally(() => this.pending.delete(reject));
    });
  }

  /** Memory held by the engine's own wasm instance (tests watch it over long use). */
  async stats() {
    await this.boot();
    if (this.fallback) return this.fallback.stats();
    return this.api.stats();
  }

  /** Throw away the coordinator (and with it every thread and process) and start again. */
  restart() {
    this.worker?.terminate();
    this.api?.[Comlink.releaseProxy]?.();
    this.booting = null;
    this.fallback = null;
    return this.boot();
  }

  /**
   * Run `spec` in the page's run queue (queue.js), booting the engine first if need be.
   * `signal` cancels (also while queued): the promise then rejects with a `DOMException` named
   * "AbortError". `onEvent` receives dispatched/progress events.
   */
  run(spec, { signal, onEvent } = {}) {
    return enqueue(() => this.runNow(spec, { signal, onEvent }), signal);
  }

  /** `run` without the queue: for a caller already in it (a fallback's engine). */
  async runNow(spec, { signal, onEvent } = {}) {
    if (this.broken) await this.restart();
    await this.boot();
    if (this.fallback) return this.fallback.runNow(spec, { signal, onEvent });
    if (signal?.aborted) throw abortError();
    const onAbort = () => this.api.cancel();
    signal?.addEventListener("abort", onAbort);
    try {
      const events = onEvent ? Comlink.proxy(onEvent) : undefined;
      return await this.#call(() => this.api.run(spec, events));
    } catch (error) {
      // Comlink hands the coordinator's AbortError over as a plain Error with its name.
      throw signal?.aborted || isAbort(error) ? abortError() : error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

const engines = new Map();

/** The page-wide engine of that kind (made on first use; it boots on its first run). */
export function getEngine(kind = defaultEngine()) {
  if (!ENGINES.includes(kind)) throw new Error(`Unknown engine "${kind}": use threads or processes.`);
  if (kind === "threads" && !threadsAvailable()) {
    throw new Error(`${threadsRefusal()}: use processes.`);
  }
  if (!engines.has(kind)) engines.set(kind, new Engine(kind));
  return engines.get(kind);
}

/** The engine of that kind if this page has already made it (no boot), else null. */
export function existingEngine(kind) {
  return engines.get(kind) ?? null;
}
