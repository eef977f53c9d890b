/**
 * The processes engine's forest wasm: the `plain-forest` flavour (www/pkg/plain-forest), the
 * plain build plus the random forest (smartcore). The plain .wasm that the page's main thread,
 * the lessons' processes and the writers load leaves smartcore out, which keeps the page under
 * its 250 kB gzipped budget (BENCHMARKS.md); so this one is fetched only when a forest first
 * runs on processes — compiled once, then sent to every forest process (forest-process.js) and
 * instantiated in the coordinator for validation and the vote. (No import of the flavour's JS
 * glue here: forest-run.js, which the threads coordinator loads too, imports this file.)
 */

import { onceUntilRejected } from "../engine/once.js";
import { compiledOnce } from "../engine/wasm-module.js";

const WASM_URL = new URL("../pkg/plain-forest/speedup_lab_bg.wasm", import.meta.url);

/** The compiled `plain-forest` module (fetched on first use; a failed fetch is retried next time). */
export const forestModule = compiledOnce(WASM_URL);

/**
 * A function that instantiates `plain-forest` in this Worker once, with `init` (its JS glue's
 * default export), and resolves when the glue's exports can be called.
 */
export function forestBooter(init) {
  return onceUntilRejected(() => forestModule().then((module) => init({ module_or_path: module })));
}
