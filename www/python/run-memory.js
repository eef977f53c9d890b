/**
 * The memory a Python run holds, summed on the page: every interpreter's wasm memory as it grows
 * (its `memory` event) and the shared blocks of `Value` and `Array`. Why: each interpreter alone is
 * held to half the run's budget in its Worker (memory.js), but several together could still exhaust
 * the browser, so past the whole budget the run is stopped with a message naming it.
 *
 * `runMemory(run)` for one run (session.js): `run.failRun` stops it.
 */
import { bytesText, pageMemoryBudget } from "./memory.js";

/** About what one interpreter holds once booted from the snapshot (measured: ~30–60 MB). */
export const INTERPRETER_BYTES = 64 << 20;

export function runMemory(run) {
  const budget = pageMemoryBudget();
  /** Every interpreter of the run is started with its share of the budget, and why. */
  const memoryInit = {
    memoryLimit: budget.perInterpreterBytes,
    memoryWhy: `each interpreter may hold half of the run's ${bytesText(budget.totalBytes)} (${budget.why})`,
  };
  let held = 0; // bytes of wasm memory the live interpreters hold together
  let peakHeld = 0;
  /**
   * Shared blocks (Value, Array) the run's processes made, handed to every process started after
   * (python.worker.js's sharedBlocks); their bytes count towards the run's memory budget.
   */
  const blocks = {};
  let blockBytes = 0;
  const addBlock = (proc, msg) => {
    if (Object.hasOwn(blocks, msg.id) || !msg.id.startsWith(`${proc.name}:`)) return;
    blocks[msg.id] = msg.buffer;
    blockBytes += msg.buffer.byteLength;
    holds(proc, proc.memoryBytes ?? 0);
  };
  /**
   * `proc`'s interpreter now holds `bytes`: the run's sum, its peak, and the run stopped once the
   * sum passes the budget (an interpreter alone is held to half of it in its Worker: memory.js).
   */
  const holds = (proc, bytes) => {
    held += bytes - (proc.memoryBytes ?? 0);
    proc.memoryBytes = bytes;
    proc.peakMemoryBytes = Math.max(proc.peakMemoryBytes ?? 0, bytes);
    peakHeld = Math.max(peakHeld, held + blockBytes);
    if (held + blockBytes > budget.totalBytes) {
      run.failRun(
        new Error(
          `MemoryError: the program's interpreters held ${bytesText(held + blockBytes)} together, past the lab's memory budget of ${bytesText(budget.totalBytes)} for one run (${budget.why}), so the run was stopped before the browser runs out.`,
        ),
      );
    }
  };
  return {
    budget,
    memoryInit,
    blocks,
    addBlock,
    holds,
    /** The most the run's interpreters and blocks held at once, in bytes (the summary's). */
    get peakHeld() {
      return peakHeld;
    },
  };
}
