/**
 * One run of a Python program on the page's side: the main program in a Worker of its own, every
 * `Process` and pool worker it asks for in a Worker of its own (all started through spawn.js),
 * the pools' first-in, first-out task queues, and the news the blocked main program waits for
 * (written into its mailbox). Nothing here starts before `runPython` is called — no Pyodide fetch,
 * no Worker — and when the run ends, for any reason (done, exception, Cancel, a deadline), every
 * Worker it started is terminated.
 *
 * What the caller gets: each printed line as it is printed (`onLine`), each process's life as it
 * happens (`onEvent`), and a summary: the main program's exit code, every process with its
 * times (spawned, booted, started, tasks, ended; seconds since the run began) and boot costs.
 */
import { abortError } from "../engine/abort.js";
import { MAILBOX_BYTES, mailboxWriter, newMailbox } from "./mailbox.js";
import { spawnProcess } from "./spawn.js";

/** A Worker that has not booted its interpreter in this long is stopped, with the run (a
 * generous bound: one boot takes 2–3 s, but ten at once on a busy 2-core machine take ~30 s). */
export const BOOT_DEADLINE_MS = 120_000;
/** At most this many processes alive at once; more wait for one to end (each interpreter holds
 * tens of MB, and boots no faster for being started alongside more than the cores can run). */
export const maxLive = (cores) => Math.max(10, 2 * cores);
/** At most this many processes in one run: past it, the run stops and says why (see the card). */
export const MAX_PROCESSES = 100;

const WASM_URL = new URL("../vendor/pyodide/pyodide.asm.wasm", import.meta.url);
let compiled = null;

/** Pyodide's wasm, compiled once for the page and handed to every Worker (a Module is cloned
 * cheaply), so a process boots without compiling ~9.6 MB again. */
function compiledPyodide() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL)).catch((error) => {
    compiled = null; // a network blip must not break every later run
    throw error;
  });
  return compiled;
}

/**
 * Pyodide's memory just after a boot (~31 MB), made by the first main program of the page and
 * restored by every later interpreter instead of booting (Pyodide's experimental memory
 * snapshot: ~0.3–1 s instead of ~2–5 s here), so that ten processes started at once are up
 * together. Kept for the page's life; null until then.
 */
let snapshot = null;

/** Pyodide's vendored files that every Worker's loader fetches, fetched once per page instead. */
const SHARED_FILES = ["python_stdlib.zip", "pyodide-lock.json"];
let sharedFiles = null;

function vendorFiles() {
  sharedFiles ??= Promise.all(
    SHARED_FILES.map(async (name) => {
      const response = await fetch(new URL(name, WASM_URL)); // beside the wasm, in the vendored folder
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return [name, await response.arrayBuffer()];
    }),
  )
    .then(Object.fromEntries)
    .catch((error) => {
      sharedFiles = null;
      throw error;
    });
  return sharedFiles;
}

/** Why Python cannot run on this page, or null. Both needs are for blocking without spinning. */
export function pythonUnavailableReason() {
  const need =
    "Python's processes need SharedArrayBuffer (join(), map() and time.sleep() block a Worker in Atomics.wait instead of spinning a core; the lab does not use JSPI)";
  if (typeof SharedArrayBuffer !== "function" && globalThis.crossOriginIsolated) {
    return `${need}, and this browser has none even on this cross-origin isolated page, so the Python card cannot run here.`;
  }
  if (typeof SharedArrayBuffer !== "function" || !globalThis.crossOriginIsolated) {
    return `${need}, which a browser gives only to a cross-origin isolated page (COOP + COEP headers); this page is not isolated, so the Python card cannot run here.`;
  }
  if (typeof WebAssembly?.compileStreaming !== "function") {
    return "This browser lacks WebAssembly.compileStreaming, which Python's interpreter needs to start.";
  }
  return null;
}

/**
 * Run `source` as the main program. `cores` is what cpu_count() returns. Resolves with the
 * summary; rejects with an AbortError on `signal`, or an Error when a Worker could not start.
 */
export async function runPython(source, { signal, cores, onLine, onEvent } = {}) {
  const reason = pythonUnavailableReason();
  if (reason) throw new Error(reason);
  signal?.throwIfAborted();
  const origin = performance.timeOrigin + performance.now();
  const at = (epochMs) => (epochMs - origin) / 1000;
  const sinceStart = () => (performance.timeOrigin + performance.now() - origin) / 1000;
  const workers = new Set();
  const processes = [];
  const byPid = new Map();
  const pools = new Map();
  const waiting = []; // spawns beyond maxLive, first come first started
  let live = 0;
  let poolWorkerCount = 0;
  let failRun;
  const failed = new Promise((_, reject) => {
    failRun = reject;
  });
  const [wasm, files] = await Promise.all([compiledPyodide(), vendorFiles()]);
  signal?.throwIfAborted();
  const mailboxBuffer = newMailbox();
  const mailbox = mailboxWriter(mailboxBuffer);

  const emit = (type, proc, extra) => onEvent?.({ type, process: proc.name, t: sinceStart(), ...extra });
  const record = (name, kind) => {
    const proc = { name, kind, spawned: sinceStart(), booted: null, started: null, ended: null, exitcode: null };
    proc.tasks = [];
    processes.push(proc);
    emit("spawned", proc);
    return proc;
  };
  const lineFrom = (proc) => (msg) => {
    if (msg.type === "line") onLine?.({ process: proc.name, stream: msg.stream, text: String(msg.text), t: at(msg.t) });
    else if (msg.type === "started") {
      proc.started = at(msg.t);
      emit("started", proc);
    }
  };
  const end = (proc, exitcode) => {
    if (proc.ended !== null) return;
    proc.ended = sinceStart();
    proc.exitcode = exitcode;
    emit("ended", proc, { exitcode });
  };

  /** Start a child Worker for `proc` now, or as soon as fewer than maxLive are alive. */
  function startChild(proc, init, afterBoot) {
    const go = () => {
      live++;
      const child = spawnProcess({
        name: proc.name,
        init: { ...init, name: proc.name, cores, source, wasm, files, snapshot },
        deadlineMs: BOOT_DEADLINE_MS,
        onMessage: lineFrom(proc),
      });
      workers.add(child);
      child.ready.then(
        (info) => {
          proc.booted = at(info.t);
          proc.bootMs = info.bootMs;
          proc.bootParts = info.parts;
          emit("booted", proc);
          afterBoot(child);
        },
        (error) => {
          if (proc.ended === null) failRun(error);
        },
      );
      proc.worker = child;
      proc.release = () => {
        if (proc.released) return;
        proc.released = true;
        workers.delete(child);
        child.terminate();
        live--;
        if (waiting.length && live < maxLive(cores)) waiting.shift()();
      };
    };
    if (processes.filter((p) => p.kind !== "main").length > MAX_PROCESSES) {
      failRun(
        new Error(
          `This program started more than ${MAX_PROCESSES} processes. Each one here is a Web Worker that boots its own Python interpreter (seconds each, tens of MB), so the lab stops at ${MAX_PROCESSES}: use a Pool, which starts a few processes and hands them all the tasks.`,
        ),
      );
      return;
    }
    if (live < maxLive(cores)) go();
    else waiting.push(go);
  }

  function spawnChild({ pid, name, payload }) {
    const proc = record(String(name), "process");
    byPid.set(pid, proc);
    startChild(proc, { role: "process", pid }, (child) => {
      child.request({ kind: "process", payload }).then(
        ({ exitcode }) => finishChild(pid, exitcode),
        () => {}, // terminated: finishChild was called by whoever terminated it
      );
    });
  }

  function finishChild(pid, exitcode) {
    const proc = byPid.get(pid);
    if (!proc || proc.ended !== null) return;
    end(proc, exitcode);
    proc.release?.();
    mailbox.send({ type: "exit", pid, exitcode });
  }

  function startPool({ pool: id, processes: n }) {
    const pool = { id, queue: [], idle: [], members: [], closed: false, ended: false };
    pools.set(id, pool);
    for (let i = 0; i < n; i++) {
      const proc = record(`SpawnPoolWorker-${++poolWorkerCount}`, "pool");
      pool.members.push(proc);
      startChild(proc, { role: "pool", pid: 0 }, () => {
        proc.started = proc.booted;
        pool.idle.push(proc);
        dispatch(pool);
      });
    }
  }

  function dispatch(pool) {
    while (!pool.ended && pool.idle.length && pool.queue.length) {
      const proc = pool.idle.shift();
      const task = pool.queue.shift();
      const sent = sinceStart();
      proc.worker.request({ kind: "task", payload: task.payload }).then(
        (reply) => {
          proc.tasks.push({
            task: task.task,
            size: task.size,
            start: at(reply.t0),
            end: at(reply.t1),
            ok: reply.ok,
            sent, // handed to this worker, and its result back, on the page's clock
            received: sinceStart(),
          });
          emit("task", proc, { task: task.task });
          mailbox.send({ type: "result", task: task.task, ...reply });
          pool.idle.push(proc);
          dispatch(pool);
        },
        () => {},
      );
    }
    if (pool.closed && !pool.queue.length && pool.idle.length === pool.members.length) endPool(pool, 0);
  }

  function endPool(pool, exitcode) {
    if (pool.ended) return;
    pool.ended = true;
    for (const proc of pool.members) {
      end(proc, exitcode);
      proc.release?.();
    }
    mailbox.send({ type: "exit", pid: pool.id, exitcode });
  }

  function onMainMessage(msg) {
    if (msg.type === "want") return mailbox.want(msg.seen);
    if (msg.type !== "mp") return mainLines(msg);
    const m = msg.message ?? {};
    if (m.type === "spawn") spawnChild(m);
    else if (m.type === "pool") startPool(m);
    else if (m.type === "tasks" && pools.has(m.pool)) {
      const pool = pools.get(m.pool);
      pool.queue.push(...m.tasks);
      dispatch(pool);
    } else if (m.type === "close" && pools.has(m.pool)) {
      pools.get(m.pool).closed = true;
      dispatch(pools.get(m.pool));
    } else if (m.type === "terminate-pool" && pools.has(m.pool)) endPool(pools.get(m.pool), -15);
    else if (m.type === "terminate" && byPid.has(m.pid)) finishChild(m.pid, -15);
  }

  const mainProc = record("MainProcess", "main");
  const mainLines = lineFrom(mainProc);
  const main = spawnProcess({
    name: "MainProcess",
    init: {
      role: "main",
      name: "MainProcess",
      pid: 0,
      cores,
      source,
      mailbox: mailboxBuffer,
      wasm,
      files,
      ...(snapshot ? { snapshot } : { makeSnapshot: true }),
    },
    deadlineMs: BOOT_DEADLINE_MS,
    onMessage: onMainMessage,
  });
  workers.add(main);
  const onAbort = () => failRun(abortError());
  signal?.addEventListener("abort", onAbort);
  try {
    const info = await Promise.race([main.ready, failed]);
    if (info.snapshot instanceof Uint8Array) snapshot ??= info.snapshot;
    mainProc.booted = at(info.t);
    mainProc.bootMs = info.bootMs;
    mainProc.bootParts = info.parts;
    mainProc.fromSnapshot = !info.snapshot;
    emit("booted", mainProc);
    const { exitcode } = await Promise.race([main.request({ kind: "main" }), failed]);
    end(mainProc, exitcode);
    return {
      exitcode,
      totalS: sinceStart(),
      processes: processes.map(({ worker, release, released, ...p }) => p),
      mailboxBytes: MAILBOX_BYTES,
    };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    for (const w of workers) w.terminate();
    workers.clear();
    waiting.length = 0;
    for (const proc of processes) if (proc.ended === null) end(proc, null);
  }
}
