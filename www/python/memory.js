/**
 * How much memory one Python run may hold, and the hook that holds an interpreter to it.
 *
 * Why: one CPython interpreter here grows its wasm memory up to 4 GB before `MemoryError`, and
 * three of them at 3 GB each pushed Chromium to 10 GB. The budget comes from the
 * device — half of `navigator.deviceMemory` (Chromium reports at most 8, so at most 4 GiB), or
 * 2 GiB where the browser does not say (Firefox, Safari) — and is held two ways:
 *
 * - each interpreter may grow to at most half the budget: past it, its wasm memory refuses to grow,
 *   so CPython's allocator fails and the program gets a real `MemoryError` (Pyodide grows memory
 *   through `WebAssembly.Memory.prototype.grow`, which `holdToBudget` wraps);
 * - the page adds every interpreter's memory as it grows (the `memory` event): past the whole
 *   budget the run stops with a message naming it, whichever processes hold it.
 */
import { override } from "../engine/overrides.js";

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
/** Where the browser does not tell the device's memory. */
const UNKNOWN_TOTAL = 2 * GiB;
/** Never below this, whatever a test or a tiny device says: an interpreter needs ~40 MB to boot. */
const FLOOR = 256 * MiB;

/**
 * The run's budget: `{totalBytes, perInterpreterBytes, why}`. `overrideMB` (a test's, from the
 * page's `<html data-speedup-lab-python-memory-budget-mb>`) replaces the device's figure.
 */
export function memoryBudget({ deviceMemoryGB, overrideMB } = {}) {
  let total;
  let why;
  if (Number.isFinite(overrideMB) && overrideMB > 0) {
    total = Math.max(FLOOR, overrideMB * MiB);
    why = "set by the page";
  } else if (Number.isFinite(deviceMemoryGB) && deviceMemoryGB > 0) {
    total = Math.min(4 * GiB, Math.max(FLOOR * 2, (deviceMemoryGB / 2) * GiB));
    why = `half of the ${deviceMemoryGB} GB this browser reports for the device, at most 4 GB`;
  } else {
    total = UNKNOWN_TOTAL;
    why = "this browser does not say how much memory the device has";
  }
  return { totalBytes: total, perInterpreterBytes: Math.max(FLOOR, Math.floor(total / 2)), why };
}

/** The budget of this page: the device's memory, or a test's (the `pythonMemoryBudgetMb`
 * override, engine/overrides.js). */
export function pageMemoryBudget() {
  const wanted = Number(override("pythonMemoryBudgetMb"));
  return memoryBudget({ deviceMemoryGB: globalThis.navigator?.deviceMemory, overrideMB: wanted });
}

/** "1.5 GB" — bytes as a reader reads them. */
export function bytesText(bytes) {
  return bytes >= GiB ? `${+(bytes / GiB).toFixed(2)} GB` : `${Math.round(bytes / MiB)} MB`;
}

/**
 * In a Python Worker, before Pyodide loads: every `WebAssembly.Memory` of this Worker grows to at
 * most `limitBytes`; each growth is reported (`onGrow(bytes)`), and a refusal remembered
 * (`refused()` → the limit, or 0). The wrapper is fixed in place (not writable, not configurable)
 * so that the reader's program cannot take it off through the `js` module.
 */
export function holdToBudget(limitBytes, onGrow) {
  const grow = WebAssembly.Memory.prototype.grow;
  let refusedAt = 0;
  function heldGrow(pages) {
    const after = this.buffer.byteLength + Number(pages) * 65536;
    if (after > limitBytes) {
      refusedAt = limitBytes;
      throw new RangeError(`the lab's memory budget of ${bytesText(limitBytes)} per interpreter`);
    }
    const before = grow.call(this, pages);
    onGrow(this.buffer.byteLength);
    return before;
  }
  Object.defineProperty(WebAssembly.Memory.prototype, "grow", {
    value: heldGrow,
    writable: false,
    configurable: false,
  });
  return { refused: () => refusedAt };
}
