/**
 * One Python process of the python lesson: a Web Worker with its own CPython (Pyodide, vendored
 * in www/vendor/pyodide/, never a CDN). The page (www/python/session.js) starts one per process —
 * the main program, each `Process`, each pool worker — and talks to it through spawn.js:
 *
 *   page → {type: "init", role, name, pid, cores, source, mailbox?, wasm?, files?, snapshot?,
 *           makeSnapshot?}
 *   worker → {type: "ready", bootMs, snapshot?}  (interpreter up; a child has imported the main
 *            script; with makeSnapshot, the interpreter's memory just after its boot)
 *   page → {type: "request", id, body: {kind: "main" | "process" | "task", payload?}}
 *   worker → {type: "reply", id, body}  (exit code, or a task's JSON reply)
 *   worker → {type: "line", stream, text, t} for every line printed, as soon as it is printed;
 *            the main program also sends {type: "mp", message} for its multiprocessing calls.
 *
 * The main program's blocking calls wait in `Atomics.wait`: on the `mailbox` (a
 * SharedArrayBuffer the page writes the children's news into, see mailbox.js) for join/map/get,
 * on a private cell for time.sleep. Neither spins a core.
 */
import { readMailbox } from "./mailbox.js";

const VENDOR = new URL("../vendor/pyodide/", import.meta.url);
/** The `multiprocessing` package each interpreter imports instead of CPython's (www/python/multiprocessing/). */
const PACKAGE = ["__init__.py", "_lab.py", "process.py", "pool.py"];
const PACKAGE_URL = new URL("./multiprocessing/", import.meta.url);
const MAIN_PATH = "/home/pyodide/main.py";
/** The standard modules the multiprocessing package imports: in the snapshot, so a child need not load them. */
const PRELOAD = "base64, itertools, json, os, pickle, sys, time, traceback, types";

const post = (message) => self.postMessage(message);
const now = () => performance.timeOrigin + performance.now();
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

let py = null;

/**
 * Let Pyodide instantiate the wasm module the page compiled once for the whole run, instead of
 * fetching and compiling ~9.6 MB again in each Worker (its loader calls instantiateStreaming).
 */
function useCompiledModule(module) {
  const instantiate = WebAssembly.instantiate.bind(WebAssembly);
  WebAssembly.instantiateStreaming = async (_response, imports) => ({
    instance: await instantiate(module, imports),
    module,
  });
}

/**
 * Answer Pyodide's own fetches of its vendored files from what the page fetched once for the
 * whole run (`files`: name → bytes), and its fetch of the .wasm, which the compiled module
 * makes useless, with nothing: otherwise every process would fetch ~12 MB again.
 */
function serveFromPage(files, haveModule) {
  const fetchFromNetwork = self.fetch.bind(self);
  self.fetch = (input, options) => {
    const url = String(input instanceof Request ? input.url : input);
    const name = url.startsWith(VENDOR.href) ? url.slice(VENDOR.href.length) : null;
    if (name === "pyodide.asm.wasm" && haveModule) {
      return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
    }
    if (name && files?.[name] instanceof ArrayBuffer) return Promise.resolve(new Response(files[name]));
    return fetchFromNetwork(input, options);
  };
}

async function boot(init) {
  const t0 = performance.now();
  const haveModule = init.wasm instanceof WebAssembly.Module;
  if (haveModule) useCompiledModule(init.wasm);
  serveFromPage(init.files, haveModule);
  const { loadPyodide } = await import(new URL("pyodide.mjs", VENDOR).href);
  const tImport = performance.now();
  const [pyodide, ...sources] = await Promise.all([
    loadPyodide({
      indexURL: VENDOR.href,
      checkAPIVersion: true,
      ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
      ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
    }),
    ...PACKAGE.map(async (file) => {
      const r = await fetch(new URL(file, PACKAGE_URL));
      if (!r.ok) throw new Error(`multiprocessing/${file}: HTTP ${r.status}`);
      return r.text();
    }),
  ]);
  const tLoad = performance.now();
  // The interpreter just booted, before anything of this run touched it: what every other
  // process of the page restores instead of booting (~4× faster; see session.js).
  if (init.makeSnapshot) pyodide.runPython(`import ${PRELOAD}`);
  const snapshot = init.makeSnapshot ? pyodide.makeMemorySnapshot() : null;
  const line = (stream) => (text) => post({ type: "line", stream, text, t: now() });
  pyodide.setStdout({ batched: line("stdout") });
  pyodide.setStderr({ batched: line("stderr") });
  const mailbox = init.mailbox ? { header: new Int32Array(init.mailbox, 0, 4), seen: 0 } : null;
  pyodide.registerJsModule("_lab_mp", {
    role: init.role,
    name: init.name,
    pid: init.pid,
    cpu_count: init.cores,
    post: (json) => post({ type: "mp", message: JSON.parse(json), t: now() }),
    next_message: (timeoutMs) => {
      if (!mailbox) throw new Error("only the main program waits for other processes");
      return readMailbox(init.mailbox, mailbox, timeoutMs, (seen) => post({ type: "want", seen })) ?? undefined;
    },
    sleep: (ms) => {
      Atomics.wait(sleepCell, 0, 0, ms);
    },
  });
  const dir = "/home/pyodide/lab";
  pyodide.FS.mkdirTree(`${dir}/multiprocessing`);
  for (const [i, file] of PACKAGE.entries()) pyodide.FS.writeFile(`${dir}/multiprocessing/${file}`, sources[i]);
  pyodide.FS.writeFile(MAIN_PATH, init.source);
  pyodide.runPython(
    `import sys; sys.path.insert(0, ${JSON.stringify(dir)}); sys.modules.pop("multiprocessing", None); import multiprocessing`,
  );
  py = pyodide;
  if (init.role !== "main") {
    // A child imports the main script now, so its boot cost is all in the spawn.
    py.runPython(`import multiprocessing; multiprocessing._import_main(${JSON.stringify(MAIN_PATH)})`);
  }
  const parts = { importMs: tImport - t0, loadMs: tLoad - tImport, setupMs: performance.now() - tLoad };
  return { bootMs: performance.now() - t0, snapshot, parts };
}

function handle(body) {
  const mp = py.pyimport("multiprocessing");
  try {
    if (body.kind === "main") return { exitcode: mp._run_main(MAIN_PATH) };
    if (body.kind === "process") return { exitcode: mp._run_process(body.payload), t: now() };
    if (body.kind === "task") {
      const t0 = now();
      const reply = JSON.parse(mp._run_task(body.payload));
      return { ...reply, t0, t1: now() };
    }
    throw new Error(`unknown request ${String(body.kind)}`);
  } finally {
    mp.destroy();
  }
}

self.addEventListener("message", async (event) => {
  const msg = event.data;
  if (!msg || typeof msg !== "object") return;
  if (msg.type === "init") {
    try {
      const { bootMs, snapshot, parts } = await boot(msg);
      self.postMessage({ type: "ready", bootMs, parts, t: now(), snapshot }, snapshot ? [snapshot.buffer] : []);
    } catch (error) {
      post({ type: "boot-error", message: String(error?.message ?? error) });
    }
  } else if (msg.type === "request" && py) {
    if (msg.body?.kind === "process" || msg.body?.kind === "main") post({ type: "started", t: now() });
    try {
      post({ type: "reply", id: msg.id, body: handle(msg.body) });
    } catch (error) {
      post({ type: "reply", id: msg.id, error: String(error?.message ?? error) });
    }
  }
});
