/**
 * A parallel-writes session: up to k writer processes (writer-worker.js behind the process
 * bridge, engine/bridge.js: its spawn deadline included), kept for the lesson's runs, and the
 * one place that starts, times, checks, stops and cleans up after them.
 *
 * A run: every writer generates and opens its file (not timed), then all write at once (timed:
 * from the first writer's start to the last writer's end), then every writer reads its file
 * back; a file passes when its size and XXH32 equal what was generated. Each run has a
 * deadline: past it (a writer that stalls), every Worker is terminated, the files are removed
 * and the run rejects. A cancel does the same and rejects with an `AbortError` DOMException.
 */
import { abortError } from "../engine/abort.js";
import { ProcessError, spawnProcess } from "../engine/bridge.js";
import { plainModule } from "../engine/process-pool.js";
import { hex } from "../ui/format.js";
import { BASE_DIR, explain, holdRunLock, newRunId, removeRun } from "./opfs.js";

const WORKER_URL = new URL("./writer-worker.js", import.meta.url);
const MiB = 1 << 20;

/**
 * How long a run may take before its writers count as stalled: 20 s, plus 2 s per MiB (i.e. a
 * rate of 0.5 MiB/s). Flushed 4 KiB records ran at 3–28 MiB/s on a 2-core machine (incognito
 * contexts 2–6× slower), so a healthy run stays far inside it and only a stall reaches it.
 */
export function deadlineFor(totalBytes) {
  return 20_000 + (2_000 * totalBytes) / MiB;
}

export class WriterSession {
  #writers = []; // Process (engine/bridge.js), one per writer
  #failure = null; // set when the session is stopped: every later step rejects with it
  #signal;
  #unlock = null;
  #onPageHide = () => {
    this.#stop(
      new Error(
        "The page was hidden (closed, left, or its frame removed) mid-run: the writers were stopped and their files removed.",
      ),
    );
    this.close();
  };
  runId = newRunId();

  constructor({ signal } = {}) {
    this.#signal = signal;
    signal?.addEventListener("abort", () => this.#stop(abortError()), { once: true });
    // A tab closed (or a frame removed) mid-run: stop the writers and remove the files now;
    // what a closing page cannot finish, the next card on this origin sweeps (opfs.js).
    addEventListener("pagehide", this.#onPageHide);
  }

  /** Hold this run's lock (opfs.js): while held, no other tab's sweep touches its files. */
  async #lock() {
    this.#unlock ??= await holdRunLock(this.runId);
  }

  /** Send one step to writer `i` and wait for its answer. */
  async #ask(i, type, payload) {
    if (this.#failure) throw this.#failure;
    return this.#writers[i].request(type, payload);
  }

  /** Start writers until there are `k`, each with its own instance of the plain wasm. */
  async ensure(k) {
    await this.#lock();
    const module = await plainModule();
    while (this.#writers.length < k) {
      if (this.#failure) throw this.#failure;
      const what = "writer";
      const name = `speedup-lab writer ${this.#writers.length}`;
      const writer = await spawnProcess(WORKER_URL, { what, name, init: { module }, signal: this.#signal });
      if (this.#failure) writer.terminate(this.#failure);
      else this.#writers.push(writer);
    }
  }

  /** Validate a spec in the core (src/writes.rs): the normalised plan, or the core's message. */
  async plan(spec) {
    await this.ensure(1);
    return (await this.#ask(0, "plan", { spec })).plan;
  }

  /**
   * One run with `spec.writers` writers. Resolves with `{plan, ms, mibPerSec, files}`, where
   * each file is `{writer, bytes, crc, readBytes, readCrc, ok, start, end}`; rejects if any file
   * does not verify. `deadlineMs` overrides [`deadlineFor`] (tests make a writer "stall").
   */
  async run(spec, { deadlineMs } = {}) {
    const plan = await this.plan(spec);
    const k = plan.writers;
    await this.ensure(k);
    const limit = deadlineMs ?? deadlineFor(plan.totalBytes);
    const timer = setTimeout(
      () =>
        this.#stop(
          new Error(
            `The writers did not finish within ${(limit / 1000).toFixed(limit < 1000 ? 2 : 0)} s (a stalled writer): every writer was stopped and its files removed.`,
          ),
        ),
      limit,
    );
    const all = (type, payload) => Promise.all(Array.from({ length: k }, (_, i) => this.#ask(i, type, payload(i))));
    try {
      const dir = [BASE_DIR, this.runId];
      const prepared = await all("prepare", (i) => ({ dir, file: `writer-${i}.csv`, writer: i, plan }));
      const written = await all("write", () => ({}));
      const verified = await all("verify", () => ({}));
      const start = Math.min(...written.map((w) => w.start));
      const end = Math.max(...written.map((w) => w.end));
      const files = verified.map((v, i) => ({
        writer: i,
        bytes: plan.bytesPerWriter,
        crc: prepared[i].crc,
        readBytes: v.bytes,
        readCrc: v.crc,
        ok: v.bytes === plan.bytesPerWriter && v.size === plan.bytesPerWriter && v.crc === prepared[i].crc,
        start: written[i].start - start,
        end: written[i].end - start,
      }));
      const bad = files.find((f) => !f.ok);
      if (bad) {
        throw new Error(
          `Writer ${bad.writer}'s file did not read back as written: ${bad.readBytes} of ${bad.bytes} bytes, XXH32 ${hex(bad.readCrc)} instead of ${hex(bad.crc)}.`,
        );
      }
      const ms = end - start;
      return { plan, ms, mibPerSec: plan.totalBytes / MiB / (ms / 1000), files };
    } catch (error) {
      throw this.#failure ?? (error instanceof ProcessError ? new Error(explain(error)) : error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Terminate every writer and fail whatever is pending with `error`. */
  #stop(error) {
    this.#failure ??= error;
    for (const w of this.#writers) w.terminate(this.#failure);
    this.#writers = [];
  }

  /**
   * End the session: terminate the writers and remove every file of this run (also after a
   * cancel, an error or a deadline), then let go of its lock. Resolves to `true` when nothing
   * is left behind.
   */
  async close() {
    removeEventListener("pagehide", this.#onPageHide);
    this.#stop(this.#failure ?? new Error("The writers were closed."));
    try {
      return await removeRun(this.runId);
    } finally {
      this.#unlock?.();
      this.#unlock = null;
    }
  }
}
