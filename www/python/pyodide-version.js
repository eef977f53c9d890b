/**
 * Where the vendored Pyodide lives: a folder named after its version (npm `pyodide`, pinned in
 * package.json; scripts/vendor.mjs copies its core files there and checks the version matches).
 * A version's files never change, so that folder is served as immutable with a year's caching
 * (the lab's server, dist/_headers): a reader's second visit fetches none of its 13.5 MB again,
 * and a new version is a new URL.
 */
export const PYODIDE_VERSION = "314.0.7";
// A file's path written out whole, not one built from the version: the bundler
// (scripts/lib/bundle.mjs) rebases only such URLs, and drops a folder's trailing slash;
// scripts/vendor.mjs checks that the two agree.
export const PYODIDE_WASM_URL = new URL("../vendor/pyodide/314.0.7/pyodide.asm.wasm", import.meta.url);
/** The folder, for Pyodide's loader (its indexURL) and its other files. */
export const PYODIDE_URL = new URL("./", PYODIDE_WASM_URL);

/**
 * The standard modules the lab's multiprocessing package imports: in the memory snapshot every
 * interpreter restores, so that no process spends its start importing them.
 */
export const PRELOAD =
  "base64, concurrent.futures, ctypes, itertools, json, math, os, pickle, queue, sys, threading, time, traceback, types";

/** FNV-1a, 32 bits, as 8 hex digits: a name that changes whenever what it names changes. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * Pyodide's memory just after a boot with PRELOAD imported, made once on the build machine by
 * scripts/pyodide-snapshot.mjs (Node, without stack switching) and restored by every interpreter
 * of a page that does not block on JSPI: a first Run starts in well under a second instead of
 * booting CPython for ~2.5 s. Named after the version and PRELOAD (and the recipe's number, bumped
 * when scripts/pyodide-snapshot.mjs changes what it makes), so it is as immutable as the folder.
 */
export const SNAPSHOT_RECIPE = 1;
export const SNAPSHOT_URL = new URL(
  `snapshot-${fnv1a(`${PYODIDE_VERSION}\n${PRELOAD}\n${SNAPSHOT_RECIPE}`)}.bin`,
  PYODIDE_URL,
);
