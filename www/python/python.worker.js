/**
 * One Python process of the python lesson: a Web Worker with its own CPython (Pyodide, vendored
 * in www/vendor/pyodide/<version>/, never a CDN), behind the one process bridge (www/engine/bridge.js) like
 * every other Worker of the lab. The page (www/python/session.js and its parts) starts one per process — the
 * main program, each `Process`, each pool worker — and asks it, by handler:
 *
 *   init {role, name, pid, cores, source, blocking, mailbox?, blocks?, wasm?, files?, snapshot?, makeSnapshot?}
 *        → {bootMs, parts, t, snapshot?}  (interpreter up; a child has imported the main script;
 *          with makeSnapshot, the interpreter's memory just after its boot, moved not copied).
 *          role "spare": booted only, to be handed to a process later by
 *   assign {role, name, pid, ppid, mailbox?, channel?, blocks?} → {ms, t}  (it becomes that process)
 *   main → {exitcode}   process {payload} → {exitcode, t}   tasks {payloads} → the chunks' replies
 *   initializer {payload} → {exitcode}  (a pool worker's initializer, before its first chunk)
 *   news {message}      (a note, no answer: the page's news for a main program waiting on JSPI)
 *
 * and it emits, unasked: `lines` (what was printed, in batches), `started`, `mp` (the main
 * program's multiprocessing calls) and `want` (the shared-memory mailbox's "send the next").
 *
 * How it blocks is the page's blocking rung (blocking.js): `Atomics.wait` on the mailbox and a
 * private cell (shared memory), a promise that a note or a timer resolves (JSPI: the handlers run
 * through Pyodide's `callPromising`, so `run_sync` can suspend them), or not at all (one at a
 * time: the main program runs its children itself, and a sleep spins).
 */
import { emit, serve, transferring } from "../engine/bridge-worker.js";
import { nextMessageTask, now, sleep as sleepOnTimer } from "../engine/clock.js";
import { channelWaits } from "./channel-waits.js";
import { lockdown } from "./lockdown.js";
import { readMailbox } from "./mailbox.js";
import { bytesText, holdToBudget } from "./memory.js";
import { Output } from "./output.js";
import { PRELOAD, PYODIDE_URL } from "./pyodide-version.js";

const VENDOR = PYODIDE_URL; // a folder per version, served as immutable (pyodide-version.js)
/** The `multiprocessing` package each interpreter imports instead of CPython's (www/python/multiprocessing/). */
const PACKAGE = [
  "__init__.py",
  "_run.py",
  "_lab.py",
  "_sync.py",
  "_futures.py",
  "process.py",
  "pool.py",
  "_pool_results.py",
  "inline.py",
  "synchronize.py",
  "queues.py",
  "connection.py",
  "sharedctypes.py",
  "managers.py",
  "util.py",
  "heap.py",
  "_block.py",
  "_files.py",
];
const PACKAGE_URL = new URL("./multiprocessing/", import.meta.url);
/** The package compiled ahead (scripts/pyodide-snapshot.mjs): "checked hash" pycs, which Python
 * uses only while their source is unchanged. Absent, every interpreter compiles the package. */
const BYTECODE_URL = new URL("../vendor/multiprocessing-bytecode.json", import.meta.url);
const MAIN_PATH = "/home/pyodide/main.py";

let py = null;
let booted = null; // the start-up message: what every process of the run shares
const LAB_DIR = "/home/pyodide/lab";
let rung = "shared-memory";
let output = null;
let memory = null;

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

// --- news for a main program that waits on JSPI: a queue the `news` note fills ------------------

const news = [];
let newsWaiter = null;

function onNews(message) {
  news.push(JSON.stringify(message));
  newsWaiter?.();
}

/**
 * All the news that has come, as the JSON text of a list, or undefined after `timeoutMs` with none
 * (0: look; < 0: no limit). All at once: a pool's 20 000 results cost one suspension, not 20 000.
 */
async function nextNews(timeoutMs) {
  if (!news.length) await nextMessageTask(); // whatever the page already sent is delivered first
  if (!news.length && timeoutMs !== 0) {
    await new Promise((resolve) => {
      const timer = timeoutMs > 0 ? setTimeout(done, timeoutMs) : null;
      function done() {
        clearTimeout(timer);
        newsWaiter = null;
        resolve();
      }
      newsWaiter = done;
    });
  }
  if (!news.length) return undefined;
  return `[${news.splice(0).join(",")}]`;
}

/**
 * Shared blocks of bytes (Value, Array, heap.BufferWrapper: multiprocessing/_block.py) on the
 * shared-memory rung: SharedArrayBuffers this Worker made, or the page handed it at start-up
 * (every block the run's processes made before this one started). Reads copy out, writes copy in.
 */
function sharedBlocks(init) {
  const blocks = new Map();
  for (const [id, buffer] of Object.entries(init.blocks ?? {})) blocks.set(id, new Uint8Array(buffer));
  const block = (id) => {
    const b = blocks.get(id);
    if (!b)
      throw new Error(
        `shared block ${id} never reached ${init.name}: a Value or Array travels only with a process being started`,
      );
    return b;
  };
  return {
    /** A new block in shared memory (told to the page, which hands it to later processes); false without shared memory. */
    block_new(id, nbytes) {
      if (rung !== "shared-memory") return false;
      const buffer = new SharedArrayBuffer(nbytes);
      blocks.set(id, new Uint8Array(buffer));
      emit({ type: "block", id, buffer });
      return true;
    },
    block_read: (id, start, stop) => block(id).slice(start, stop),
    block_write(id, start, data) {
      block(id).set(data, start);
    },
  };
}

/** What the Python side calls to wait, per rung (see blocking.js). */
function waiting(init) {
  const channel = rung === "service-worker" ? channelWaits(init.channel) : null;
  const mailbox = init.mailbox ? { seen: 0 } : null;
  const sleepCell = rung === "shared-memory" ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const ask = (seen) => emit({ type: "want", seen });
  return {
    next_message(timeoutMs) {
      output.flush();
      if (rung === "jspi") return nextNews(timeoutMs);
      if (channel) return channel.next(timeoutMs);
      if (rung === "shared-memory" && mailbox) return readMailbox(init.mailbox, mailbox, timeoutMs, ask) ?? undefined;
      return undefined; // one at a time: nothing to wait for, the children ran already
    },
    sleep(ms) {
      output.flush();
      if (rung === "jspi") return sleepOnTimer(ms);
      if (channel) return channel.sleep(ms);
      if (rung === "shared-memory") {
        Atomics.wait(sleepCell, 0, 0, ms);
        return undefined;
      }
      const end = performance.now() + ms; // nothing else can wait here: said on the card
      while (performance.now() < end);
      return undefined;
    },
  };
}

async function boot(init) {
  const t0 = performance.now();
  rung = init.blocking;
  booted = init;
  // Before Pyodide makes its memory: held to the run's budget per interpreter (memory.js).
  memory = holdToBudget(init.memoryLimit, (bytes) => emit({ type: "memory", bytes }));
  const haveModule = init.wasm instanceof WebAssembly.Module;
  if (haveModule) useCompiledModule(init.wasm);
  serveFromPage(init.files, haveModule);
  const { loadPyodide } = await import(new URL("pyodide.mjs", VENDOR).href);
  const tImport = performance.now();
  const [pyodide, bytecode, ...sources] = await Promise.all([
    loadPyodide({
      indexURL: VENDOR.href,
      checkAPIVersion: true,
      ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
      ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
    }),
    fetch(BYTECODE_URL)
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({})),
    ...PACKAGE.map(async (file) => {
      const r = await fetch(new URL(file, PACKAGE_URL));
      if (!r.ok) throw new Error(`multiprocessing/${file}: HTTP ${r.status}`);
      return r.text();
    }),
  ]);
  const tLoad = performance.now();
  // Its memory as booted (a restore from the snapshot starts that large, without a grow to report).
  const heap = pyodide._module?.HEAPU8?.buffer?.byteLength;
  if (Number.isSafeInteger(heap)) emit({ type: "memory", bytes: heap });
  // The interpreter just booted, before anything of this run touched it: what every other
  // process of the page restores instead of booting (~0.2–0.4 s instead of ~2.5 s; see interpreter-boot.js).
  if (init.makeSnapshot) pyodide.runPython(`import ${PRELOAD}`);
  const snapshot = init.makeSnapshot ? pyodide.makeMemorySnapshot() : null;
  pyodide.setStdout({ batched: (text) => output.line("stdout", text) });
  pyodide.setStderr({ batched: (text) => output.line("stderr", text) });
  pyodide.FS.mkdirTree(`${LAB_DIR}/multiprocessing`);
  for (const [i, file] of PACKAGE.entries()) pyodide.FS.writeFile(`${LAB_DIR}/multiprocessing/${file}`, sources[i]);
  pyodide.FS.mkdirTree(`${LAB_DIR}/multiprocessing/__pycache__`);
  for (const [path, base64] of Object.entries(bytecode)) {
    if (/^__pycache__\/\w+\.cpython-\d+\.pyc$/.test(path)) {
      pyodide.FS.writeFile(
        `${LAB_DIR}/multiprocessing/${path}`,
        Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
      );
    }
  }
  pyodide.FS.writeFile(MAIN_PATH, init.source);
  py = pyodide;
  const parts = { importMs: tImport - t0, loadMs: tLoad - tImport, setupMs: 0 };
  // A spare (spares.js) stops here: an interpreter booted ahead, not yet any process of the run.
  // What it can do ahead, it does: the package compiled to bytecode, the main script compiled.
  if (init.role === "spare") {
    if (!Object.keys(bytecode).length) py.runPython(COMPILE_PACKAGE);
    py.runPython(COMPILE_MAIN);
  } else parts.setupMs = become(init);
  const ready = { bootMs: performance.now() - t0, parts, t: now(), snapshot };
  return snapshot ? transferring(ready, [snapshot.buffer]) : ready;
}

/** A spare's work ahead of need, less for `become` to do once it is handed to a process: the
 * package compiled (when the vendored bytecode is missing), the main script compiled. */
const COMPILE_PACKAGE = `import compileall; compileall.compile_dir(${JSON.stringify(`${LAB_DIR}/multiprocessing`)}, quiet=1)`;
const COMPILE_MAIN = `
import sys, types
_pre = sys.modules["_lab_precompiled"] = types.ModuleType("_lab_precompiled")
try:
    with open(${JSON.stringify(MAIN_PATH)}) as _f:
        _pre.main = compile(_f.read(), ${JSON.stringify(MAIN_PATH)}, "exec")
except BaseException:
    pass  # compiled again (and its error reported) where the program runs
del _pre
`;

/**
 * Make the booted interpreter process `who` of the run (its role, name, pid, mailbox…): the
 * `_lab_mp` module, the multiprocessing package imported, and — for a child — the main script
 * imported as `__mp_main__`, as under spawn. Returns the milliseconds it took.
 */
function become(who) {
  const t0 = performance.now();
  const init = { ...booted, ...who };
  output = new Output(init.name, (event) => emit(event));
  py.registerJsModule("_lab_mp", {
    role: init.role,
    name: init.name,
    pid: init.pid,
    ppid: init.ppid,
    cpu_count: init.cores,
    pool_size: init.poolSize ?? 0,
    blocking: rung,
    max_processes: init.maxProcesses,
    post: (json) => {
      output.flush(); // what was printed before a call reaches the page before the call
      emit({ type: "mp", message: JSON.parse(json), t: now() });
    },
    /** `print(…, flush=True)` and `sys.stdout.flush()`: what was printed leaves now. */
    flush_output: () => output.flush(),
    /** One at a time: who prints now (the main program, or a child it runs itself). */
    set_process: (name) => output.setProcess(String(name)),
    now,
    /** After a MemoryError: the lab's words on the budget that refused the memory, or "". */
    memory_refused: () =>
      memory.refused()
        ? `(the lab: this interpreter reached its memory budget of ${bytesText(memory.refused())}; ${init.memoryWhy})`
        : "",
    ...waiting(init),
    ...sharedBlocks(init),
  });
  py.runPython(
    `import sys; sys.path.insert(0, ${JSON.stringify(LAB_DIR)}); sys.modules.pop("multiprocessing", None); import multiprocessing`,
  );
  // Every interpreter restores one snapshot, `random` already imported and seeded in it: seeded
  // afresh here from the OS's entropy, as a CPython process seeds at its start (and reseeds in a
  // forked child), or every process of every run would draw the same numbers.
  py.runPython(`import sys\nif "random" in sys.modules: sys.modules["random"]._inst.seed()`);
  lockdown(); // before any of the reader's code runs (a child imports the main script just below)
  if (init.role !== "main") {
    // A child imports the main script now, so its boot cost is all in the spawn.
    py.runPython(`import multiprocessing; multiprocessing._import_main(${JSON.stringify(MAIN_PATH)})`);
  }
  return performance.now() - t0;
}

/** Call `multiprocessing.<name>(arg)`: through `callPromising` on JSPI, so it may suspend. */
async function call(name, arg) {
  const mp = py.pyimport("multiprocessing");
  const fn = mp[name];
  try {
    return rung === "jspi" ? await fn.callPromising(arg) : fn(arg);
  } finally {
    fn.destroy();
    mp.destroy();
    output.flush(true);
  }
}

serve({
  init: boot,
  /** A spare booted ahead becomes a process of the run (children.js hands it to a Process or a pool worker). */
  assign(who) {
    const ms = become(who);
    return { ms, t: now() };
  },
  async main() {
    emit({ type: "started", t: now() });
    const exitcode = await call("_run_main", MAIN_PATH);
    return { exitcode, slept: await call("_slept") };
  },
  async process({ payload }) {
    emit({ type: "started", t: now() });
    const exitcode = await call("_run_process", payload);
    return { exitcode, t: now(), slept: await call("_slept") };
  },
  /** A pool worker's initializer, once, before its first chunk. */
  async initializer({ payload }) {
    return { exitcode: await call("_run_init", payload) };
  },
  /** A pool worker's chunks, one after another, each timed: the replies in their order. */
  async tasks({ payloads }) {
    return JSON.parse(await call("_run_tasks", JSON.stringify(payloads)));
  },
  news: onNews,
});
