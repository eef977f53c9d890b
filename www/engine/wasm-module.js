/**
 * A wasm module fetched and compiled once per Worker, to be sent to processes (each
 * instantiates it on its own). A failed fetch or compile is not kept: the next caller tries
 * again (once.js), so one network blip does not break every later run of the page.
 */
import { onceUntilRejected } from "./once.js";

/** A function that resolves with the compiled module at `url` (fetched on its first call). */
export function compiledOnce(url) {
  return onceUntilRejected(() =>
    fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`Could not load ${url.pathname} (HTTP ${r.status}); run again to retry.`);
        return r.arrayBuffer();
      })
      .then((bytes) => WebAssembly.compile(bytes)),
  );
}
