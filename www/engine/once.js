/**
 * The lab's one "fetch once, retry after a failure" cache. Why it exists: a module, a wasm file
 * or a dataset is fetched (or compiled, or booted) once and shared by every later caller, but a
 * failure must not be kept — one network blip would otherwise break every later Run of the page.
 * Chart.js (ui/chart-lib.js), the compiled wasm modules (wasm-module.js), the forest's data and
 * its wasm boot (www/forest/) all go through it.
 */

/**
 * A function that calls `make` (which returns a promise) on its first call and hands that same
 * promise to every later caller, until it rejects: the next call then calls `make` again.
 * @template T
 * @param {() => Promise<T>} make
 * @returns {() => Promise<T>}
 */
export function onceUntilRejected(make) {
  let pending = null;
  return () => {
    if (!pending) {
      pending = make();
      pending.catch(() => {
        pending = null;
      });
    }
    return pending;
  };
}
