/**
 * The process side of the bridge (bridge.js): `serve(handlers)` answers the parent's requests
 * with `handlers[type](payload, { progress })`, by id. A process file is then only its
 * handlers: `init` (called first, once; its answer is "ready") and one per request type. A
 * handler returns its answer (or a promise of it); `transferring(value, list)` moves buffers
 * instead of copying them; a throw answers `{ok: false, error: {name, message}}`, after
 * `onError` (a handler file's clean-up) has run.
 */
import { EVENT, KEY } from "./bridge.js";

const moves = new WeakMap();

/** `value`, to be sent with `list` transferred (not copied). */
export function transferring(value, list) {
  moves.set(value, list);
  return value;
}

/** Tell the parent something it did not ask for (`{type, …}`; the spawn's `onEvent` gets it). */
export function emit(event, transfer = []) {
  self.postMessage({ [EVENT]: event }, transfer);
}

/**
 * Answer the bridge's requests in this Worker with `handlers`.
 * @param {Record<string, (payload: any, ctx: {progress: (value: unknown) => void}) => unknown>} handlers
 * @param {{onError?: (error: unknown) => unknown}} [options]
 */
export function serve(handlers, { onError } = {}) {
  self.addEventListener("message", async ({ data }) => {
    const id = data?.[KEY];
    if (id === undefined) return;
    if (id === 0) {
      // A note (Process.note): no answer is expected, so a handler's failure goes nowhere.
      if (Object.hasOwn(handlers, data.type)) Promise.resolve(handlers[data.type](data.payload, {})).catch(() => {});
      return;
    }
    try {
      const handler = Object.hasOwn(handlers, data.type) ? handlers[data.type] : null;
      if (!handler) throw new Error(`This process has no "${data.type}" handler.`);
      const progress = (value) => self.postMessage({ [KEY]: id, progress: value });
      const value = await handler(data.payload, { progress });
      self.postMessage({ [KEY]: id, ok: true, value }, (value && moves.get(value)) || []);
    } catch (error) {
      await onError?.(error);
      const { name = "Error", message = String(error) } = error ?? {};
      self.postMessage({ [KEY]: id, ok: false, error: { name: String(name), message: String(message) } });
    }
  });
}
