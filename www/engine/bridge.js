/**
 * The one process bridge: how the runtime starts a Worker "process" and talks to it, whatever
 * the process does. Every "process" Worker goes through it — the lessons' processes
 * (process.worker.js), the forest's (forest/forest-process.js), the parallel-writes writers
 * (writes/writer-worker.js), the python card's interpreters (python/python.worker.js) — and a
 * new kind is one more handler file served by bridge-worker.js, with nothing to add here. Not
 * through it: the two engines' coordinators (client.js, over Comlink, with their own boot
 * deadline: boot-deadline.js) and the rayon pool's threads, which wasm-bindgen-rayon starts.
 *
 * The life of a process: `spawnProcess` starts the Worker and sends it `init`; the process is
 * ready when `init` answers, within the spawn deadline (else it is terminated and the spawn
 * rejects with SpawnTimeoutError). Then `request(type, payload)` → a promise of the handler's
 * answer, matched by id, with `onProgress` for what the handler reports on the way. Abort =
 * terminate: a message cannot interrupt a wasm loop, so a cancelled request terminates its
 * process and every request pending on it rejects with an AbortError. A process that dies (an
 * uncaught error, a trap) rejects what is pending on it with what failed and what to do.
 *
 * Why not Comlink here (the coordinator does use it, client.js): Comlink gives request/reply,
 * but not the three things this bridge is for — a deadline on a Worker that never starts, a
 * dead Worker failing its pending calls, and abort by terminate — and each would be written
 * around it. The protocol below is those three plus an id; it also keeps a process's hot path
 * (one message per batch of tasks) free of Comlink's proxy machinery.
 *
 * Messages: to the process `{[KEY]: id, type, payload}`; back `{[KEY]: id, ok: true, value}`,
 * `{[KEY]: id, ok: false, error: {name, message}}` or `{[KEY]: id, progress}`.
 *
 * Two more, for a process that lives through a whole program (a Python interpreter): a
 * *note* to the process, `{[KEY]: 0, type, payload}` (`Process.note`: no answer, a handler of
 * that type runs — news for a program that is waiting), and an *event* from it,
 * `{[EVENT]: {type, …}}` (`emit` in bridge-worker.js: lines printed, a program's requests), which
 * reaches the spawn's `onEvent` only when it is an object with a string `type`.
 */
import { abortError } from "./abort.js";
import { deadlineOr, deadlineText } from "./deadline.js";
import { override } from "./overrides.js";
import { startWorker } from "./start-worker.js";

/** The field that marks the bridge's messages (other messages on the Worker are ignored). */
export const KEY = "speedup-lab:bridge";
/** The field that marks a process's unasked events (`emit`, bridge-worker.js). */
export const EVENT = "speedup-lab:event";

/**
 * How long a new process may take to answer `init`. Why a deadline at all: a `new Worker` can
 * stall without ever firing "error" — Firefox ESR under geckodriver left one of a few hundred
 * spawn-per-task Workers unstarted in 3 of 5 runs (docs/browsers.md), and the run then waited
 * forever. 10 s: a process starts in 5–50 ms on a 2-core machine and well under a second when
 * that machine is heavily loaded, so only a Worker that will never start gets here.
 */
export const SPAWN_DEADLINE_MS = 10_000;
let told = null; // a deadline this realm was told (setSpawnDeadline)

/** Another deadline for this realm's spawns (a coordinator told by its page; tests). */
export function setSpawnDeadline(ms) {
  told = Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * The deadline in force: set by `setSpawnDeadline`, else the `spawnDeadlineMs` override
 * (overrides.js: a page, or a test that holds a Worker script on purpose), else SPAWN_DEADLINE_MS.
 */
export function spawnDeadlineMs() {
  return deadlineOr(told ?? override("spawnDeadlineMs"), SPAWN_DEADLINE_MS);
}

/** A process that never answered `init`: what happened and what the reader can do. */
export class SpawnTimeoutError extends Error {
  constructor(what, ms) {
    super(
      `A new ${what} did not start within ${deadlineText(ms)} (the browser never ran its script), so the run stopped and its other workers were terminated. Run it again; if it keeps happening, this browser is not starting Workers.`,
    );
    this.name = "SpawnTimeoutError";
  }
}

/** A handler's failure, as the process reported it (`name` kept: e.g. QuotaExceededError). */
export class ProcessError extends Error {
  constructor({ name, message }) {
    super(message);
    this.name = name || "Error";
  }
}

/** One running process. Made by `spawnProcess`; `request` until `terminate`. */
export class Process {
  #worker;
  #ids = 0;
  #pending = new Map(); // id → { resolve, reject, onProgress }
  #failure = null;
  #onEvent;
  what;
  /** What the process's `init` answered (set by `spawnProcess` once it is ready). */
  info;

  constructor(worker, what, onEvent) {
    this.#worker = worker;
    this.what = what;
    this.#onEvent = onEvent;
    worker.addEventListener("message", ({ data }) => this.#receive(data));
    worker.addEventListener("error", (event) => {
      event.preventDefault?.();
      this.#fail(new Error(`A ${what} failed (${event.message || "it stopped"}); run again to start fresh ones.`));
    });
    worker.addEventListener("messageerror", () =>
      this.#fail(new Error(`A ${what} sent a message that could not be read; run again to start fresh ones.`)),
    );
  }

  #receive(data) {
    if (this.#failure) return;
    const event = data?.[EVENT];
    if (event !== undefined) {
      if (event && typeof event === "object" && typeof event.type === "string") this.#onEvent?.(event);
      return;
    }
    const entry = this.#pending.get(data?.[KEY]);
    if (!entry) return;
    if ("progress" in data) {
      entry.onProgress?.(data.progress);
      return;
    }
    this.#pending.delete(data[KEY]);
    if (data.ok) entry.resolve(data.value);
    else entry.reject(new ProcessError(data.error ?? {}));
  }

  /** Reject everything pending with `error` and terminate the Worker (idempotent). */
  #fail(error) {
    this.#failure ??= error;
    this.#worker.terminate();
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
  }

  /** Whether the process has been terminated (or died). */
  get ended() {
    return this.#failure !== null;
  }

  /**
   * Ask the process's `type` handler with `payload`; resolves with its answer. `signal` aborts
   * it by terminating the process (AbortError); `onProgress` receives what the handler reports;
   * `transfer` lists what to move rather than copy.
   */
  request(type, payload, { signal, onProgress, transfer = [] } = {}) {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      if (signal?.aborted) return reject(abortError());
      const id = ++this.#ids;
      const onAbort = () => this.terminate(abortError());
      const settle = (fn) => (value) => {
        signal?.removeEventListener("abort", onAbort);
        fn(value);
      };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#worker.postMessage({ [KEY]: id, type, payload }, transfer);
    });
  }

  /** Tell the process's `type` handler `payload`, expecting no answer (news for a waiting program). */
  note(type, payload) {
    if (!this.#failure) this.#worker.postMessage({ [KEY]: 0, type, payload });
  }

  /** End the process; whatever is pending rejects with `reason` (default: it was closed). */
  terminate(reason = new Error(`The ${this.what} was closed.`)) {
    this.#fail(reason);
  }
}

/**
 * Start a process from module `url` and initialise it: resolves with a ready Process once its
 * `init` handler answered `init`, rejects (the Worker terminated) when it fails, when `signal`
 * aborts, or past the spawn deadline with SpawnTimeoutError.
 * @param {URL|string} url  the process's module (a handler file served by bridge-worker.js)
 * @param {{what: string, name?: string, init?: unknown, transfer?: Transferable[],
 *   signal?: AbortSignal, deadlineMs?: number, onEvent?: (event: {type: string}) => void,
 *   onSpawn?: (process: Process) => void}} options  `what` names it in errors ("writer");
 *   `onEvent` gets the process's unasked events; `onSpawn` the process before it is ready
 */
export async function spawnProcess(
  url,
  { what, name, init, transfer, signal, deadlineMs = spawnDeadlineMs(), onEvent, onSpawn },
) {
  const process = new Process(startWorker(url, name ?? `speedup-lab ${what}`), what, onEvent);
  onSpawn?.(process);
  const timer = setTimeout(() => process.terminate(new SpawnTimeoutError(what, deadlineMs)), deadlineMs);
  try {
    process.info = await process.request("init", init, { signal, transfer });
    return process;
  } catch (error) {
    process.terminate(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
