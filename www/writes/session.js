/**
 * A parallel-writes session: up to k writer Workers, kept for the lesson's runs, and the one
 * place that starts, times, checks, stops and cleans up after them.
 *
 * A run: every writer generates and opens its file (not timed), then all write at once (timed:
 * from the first writer's start to the last writer's end), then every writer reads its file
 * back; a file passes when its size and XXH32 equal what was generated. Each run has a
 * deadline: past it (a writer that stalls), every Worker is terminated, the files are removed
 * and the run rejects. A cancel does the same and rejects with an `AbortError` DOMException.
 */
import { abortError } from "../engine/abort.js";
import { plainModule } from "../engine/process-pool.js";
import { startWorker } from "../engine/start-worker.js";
import { BASE_DIR, explain, newRunId, removeRun } from "./opfs.js";

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
  #workers = [];
  #ids = 0;
  #failure = null; // set when the session is stopped: every pending step rejects with it
  #pending = new Set();
  runId = newRunId();

  constructor({ signal } = {}) {
    signal?.addEventListener("abort", () => this.#stop(abortError()), { once: true });
  }

  /** Send one step to writer `i` and wait for its answer. */
  #ask(i, message) {
    const worker = this.#workers[i];
    const id = ++this.#ids;
    return new Promise((resolve, reject) => {
      if (this.#failure) {
        reject(this.#failure);
        return;
      }
      const entry = { reject };
      const onMessage = ({ data }) => {
        if (data?.id !== id) return;
        done();
        if (data.ok) resolve(data);
        else reject(Object.assign(new Error(data.message), { writerError: data }));
      };
      const onError = (event) => {
        event.preventDefault?.();
        done();
        reject(new Error(`A writer Worker failed: ${event.message ?? "it could not start"}.`));
      };
      const done = () => {
        this.#pending.delete(entry);
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
      };
      this.#pending.add(entry);
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", onError);
      worker.postMessage({ ...message, id });
    });
  }

  /** Start writers until there are `k`, each with its own instance of the plain wasm. */
  async ensure(k) {
    const module = await plainModule();
    while (this.#workers.length < k) {
      if (this.#failure) throw this.#failure;
      this.#workers.push(startWorker(WORKER_URL, `speedup-lab writer ${this.#workers.length}`));
      await this.#ask(this.#workers.length - 1, { type: "init", module });
    }
  }

  /** Validate a spec in the core (src/writes.rs): the normalised plan, or the core's message. */
  async plan(spec) {
    await this.ensure(1);
    return (await this.#ask(0, { type: "plan", spec })).plan;
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
    const all = (step) => Promise.all(Array.from({ length: k }, (_, i) => this.#ask(i, step(i))));
    try {
      const dir = [BASE_DIR, this.runId];
      const prepared = await all((i) => ({ type: "prepare", dir, file: `writer-${i}.csv`, writer: i, plan }));
      const written = await all(() => ({ type: "write" }));
      const verified = await all(() => ({ type: "verify" }));
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
      throw this.#failure ?? (error.writerError ? new Error(explain(error.writerError)) : error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Terminate every writer and fail whatever is pending with `error`. */
  #stop(error) {
    this.#failure ??= error;
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    for (const p of this.#pending) p.reject(this.#failure);
    this.#pending.clear();
  }

  /**
   * End the session: terminate the writers and remove every file of this run (also after a
   * cancel, an error or a deadline). Resolves to `true` when nothing is left behind.
   */
  async close() {
    this.#stop(this.#failure ?? new Error("The writers were closed."));
    return removeRun(this.runId);
  }
}

export const hex = (crc) => (crc >>> 0).toString(16).padStart(8, "0");
