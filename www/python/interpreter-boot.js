/**
 * What an interpreter of a Python run boots from, and the start-up message it is given: Pyodide's
 * wasm compiled once, its vendored files fetched once, the memory snapshot it restores instead of
 * booting CPython, its Worker's script URL and its boot deadline.
 *
 * Apart from the run (session.js) because it outlives runs: what is fetched or compiled here is
 * kept for the page's life, so a second Run boots without downloading or compiling anything again.
 */
import { deadlineOr } from "../engine/deadline.js";
import { onceUntilRejected } from "../engine/once.js";
import { override } from "../engine/overrides.js";
import { MAX_PROCESSES } from "./messages.js";
import { PYODIDE_WASM_URL, SNAPSHOT_URL } from "./pyodide-version.js";

/** A Worker that has not booted its interpreter in this long is stopped, with the run (a
 * generous bound: one boot takes 2–3 s, but ten at once on a busy 2-core machine take ~30 s). */
export const BOOT_DEADLINE_MS = 120_000;
/**
 * The deadline in force: BOOT_DEADLINE_MS, or a test's, the `pythonBootDeadlineMs` override
 * (engine/overrides.js: the object, or `<html data-speedup-lab-python-boot-deadline-ms>`).
 */
export const bootDeadlineMs = () => deadlineOr(override("pythonBootDeadlineMs"), BOOT_DEADLINE_MS);

const WORKER_URL = new URL("./python.worker.js", import.meta.url);
const WASM_URL = PYODIDE_WASM_URL;
/** Pyodide's wasm, compiled once for the page and handed to every Worker (a Module is cloned
 * cheaply), so a process boots without compiling ~9.6 MB again. */
export const compiledPyodide = onceUntilRejected(() => WebAssembly.compileStreaming(fetch(WASM_URL)));

/**
 * Pyodide's memory just after a boot (~31 MB), restored by every interpreter instead of booting
 * CPython (Pyodide's experimental memory snapshot: ~0.2–0.4 s instead of ~2.5 s here). Two kinds:
 * the one made on the build machine (SNAPSHOT_URL, scripts/pyodide-snapshot.mjs), fetched once
 * per page — a first Run then starts in under a second — but made without stack switching, so
 * not for a page that blocks on JSPI; and the one a main program makes here when there is no
 * other (`madeSnapshot`, right for every rung of this browser). Kept for the page's life.
 */
let madeSnapshot = null;
let prebuilt = null;

/** The build machine's snapshot, fetched once per page; null if it is not there (then the main
 * program boots CPython and makes one, as before). */
function prebuiltSnapshot() {
  prebuilt ??= fetch(SNAPSHOT_URL)
    .then((response) => (response.ok ? response.arrayBuffer() : null))
    .then((buffer) => buffer && new Uint8Array(buffer))
    .catch(() => {
      prebuilt = null; // a network blip: asked again on the next Run
      return null;
    });
  return prebuilt;
}

/** The snapshot a run's interpreters restore on `rung`, or null (its main program makes one). */
export function snapshotFor(rung) {
  if (madeSnapshot) return madeSnapshot;
  return rung === "jspi" ? null : prebuiltSnapshot();
}

/** A snapshot a main program made (there was none for its rung): every later run restores it. */
export function keepSnapshot(snapshot) {
  madeSnapshot ??= snapshot;
}

/** Pyodide's vendored files that every Worker's loader fetches, fetched once per page instead. */
const SHARED_FILES = ["python_stdlib.zip", "pyodide-lock.json"];
export const vendorFiles = onceUntilRejected(() =>
  Promise.all(
    SHARED_FILES.map(async (name) => {
      const response = await fetch(new URL(name, WASM_URL)); // beside the wasm, in the vendored folder
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return [name, await response.arrayBuffer()];
    }),
  ).then(Object.fromEntries),
);

/** Why Python cannot run on this page at all, or null (every rung needs compileStreaming). */
export function pythonUnavailableReason() {
  if (typeof WebAssembly?.compileStreaming !== "function") {
    return "This browser lacks WebAssembly.compileStreaming, which Python's interpreter needs to start.";
  }
  return null;
}

/**
 * The Worker's script URL. On the service-worker rung, one URL per process: WebKitGTK left
 * some of five Workers started at once from the same URL outside the service worker's control
 * (their requests went to the network: a pool worker's `ping` got the server's 404), while
 * Workers from distinct URLs were all controlled, in every trial.
 */
export function workerUrl(rung, name) {
  if (rung !== "service-worker") return WORKER_URL;
  const url = new URL(WORKER_URL);
  url.searchParams.set("process", name);
  return url;
}

/** The service-worker channel as the Worker of process `name` reads it: its own queue. */
export const channelInit = (channel, name) => channel && { base: channel.base, run: `${channel.run}/${name}` };

/** What every child interpreter of `run` boots with (its process's own fields come on top). */
export const bootInit = (run, name) => ({
  name,
  cores: run.cores,
  poolSize: run.poolSize,
  source: run.source,
  wasm: run.wasm,
  files: run.files,
  snapshot: run.snapshot,
  blocking: run.rung,
  maxProcesses: MAX_PROCESSES,
  ...run.memory.memoryInit,
});
