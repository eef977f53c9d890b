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
