/**
 * One run of a Python program on the page's side: the main program in a Worker of its own, every
 * `Process` and pool worker it asks for in a Worker of its own — all started through the one
 * process bridge (www/engine/bridge.js) — the pools' first-in, first-out task queues, and the
 * news the waiting main program is given. Nothing here starts before `runPython` is called — no
 * Pyodide fetch, no Worker — and when the run ends, for any reason (done, exception, Cancel, a
 * deadline), every Worker it started is terminated.
 *
 * How a waiting process blocks is the page's rung of the blocking ladder (blocking.js): news for
 * the main program goes into its shared-memory mailbox (mailbox.js) or, on JSPI, as a note that
 * resolves the promise it is suspended on; on the one-at-a-time rung there is no child Worker at
 * all, and the main program reports the children it runs itself (inline.py).
 *
 * What the caller gets: each printed line (`onLine`), each process's life as it happens
 * (`onEvent`), and a summary: the main program's exit code, the rung, every process with its
 * times (spawned, booted, started, tasks, ended; seconds since the run began) and boot costs.
 */
import { abortError } from "../engine/abort.js";
import { spawnProcess } from "../engine/bridge.js";
import { deadlineOr } from "../engine/deadline.js";
import { onceUntilRejected } from "../engine/once.js";
import { override } from "../engine/overrides.js";
import { blockingRung, RUNGS } from "./blocking.js";
import { openChannel } from "./channel.js";
import { MAILBOX_BYTES, mailboxWriter, newMailbox } from "./mailbox.js";
import { bytesText, pageMemoryBudget } from "./memory.js";
import { checkedCall, checkedEvent, MAIN_PID, MAX_PROCESSES } from "./messages.js";
import { MAX_LINES as MAX_OUTPUT_LINES, TAIL_LINES } from "./output.js";
import { PYODIDE_WASM_URL, SNAPSHOT_URL } from "./pyodide-version.js";
import { syncBroker } from "./sync.js";

/** A Worker that has not booted its interpreter in this long is stopped, with the run (a
 * generous bound: one boot takes 2–3 s, but ten at once on a busy 2-core machine take ~30 s). */
export const BOOT_DEADLINE_MS = 120_000;
/**
 * The deadline in force: BOOT_DEADLINE_MS, or a test's, the `pythonBootDeadlineMs` override
 * (engine/overrides.js: the object, or `<html data-speedup-lab-python-boot-deadline-ms>`).
 */
const bootDeadlineMs = () => deadlineOr(override("pythonBootDeadlineMs"), BOOT_DEADLINE_MS);
/** At most this many processes alive at once; more wait for one to end (each interpreter holds
 * tens of MB, and boots no faster for being started alongside more than the cores can run). */
export const maxLive = (cores) => Math.max(10, 2 * cores);
/** At most this many interpreters booted ahead of need in one run (see spares in runPython). */
const SPARES = 4;
/** About what one interpreter holds once booted from the snapshot (measured: ~30–60 MB). */
const INTERPRETER_BYTES = 64 << 20;
/** At most this many task records per process in a run's summary (see addTask). */
export const MAX_TASK_RECORDS = 2000;
/** A child's mailbox on the shared-memory rung: answers about shared objects (sync.js); a longer
 * one (a big item from a queue) goes in parts. */
const CHILD_MAILBOX_BYTES = 16 + (64 << 10);
/** The files a child hands back at its end, as text (base64 of _files.py's 16 MB, and some). */
const MAX_FILES_TEXT = 24 << 20;
/** At most this many chunks handed to one pool worker in one message (see dispatch). */
const MAX_BATCH = 64;

const WORKER_URL = new URL("./python.worker.js", import.meta.url);
const WASM_URL = PYODIDE_WASM_URL;
/** Pyodide's wasm, compiled once for the page and handed to every Worker (a Module is cloned
 * cheaply), so a process boots without compiling ~9.6 MB again. */
const compiledPyodide = onceUntilRejected(() => WebAssembly.compileStreaming(fetch(WASM_URL)));

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
function snapshotFor(rung) {
  if (madeSnapshot) return madeSnapshot;
  return rung === "jspi" ? null : prebuiltSnapshot();
}

/** Pyodide's vendored files that every Worker's loader fetches, fetched once per page instead. */
const SHARED_FILES = ["python_stdlib.zip", "pyodide-lock.json"];
const vendorFiles = onceUntilRejected(() =>
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
 * Run `source` as the main program. `cores` is what cpu_count() returns; `poolSize`, when not 0,
 * the size of every Pool and ProcessPoolExecutor whatever the program asks (a sweep's runs). Resolves with the
 * summary; rejects with an AbortError on `signal`, or an Error when a Worker could not start.
 */
export async function runPython(source, { signal, cores, poolSize = 0, onLine, onEvent } = {}) {
  const reason = pythonUnavailableReason();
  if (reason) throw new Error(reason);
  signal?.throwIfAborted();
  let { rung, why } = blockingRung();
  const origin = performance.timeOrigin + performance.now();
  const at = (epochMs) => (epochMs - origin) / 1000;
  const sinceStart = () => (performance.timeOrigin + performance.now() - origin) / 1000;
  const workers = new Set();
  const processes = [];
  const byPid = new Map();
  const byName = new Map();
  const pools = new Map();
  const waiting = []; // spawns beyond maxLive, first come first started
  let live = 0;
  let poolWorkerCount = 0;
  let ended = false;
  let queued = 0; // children that waited for a free slot
  let peakInterpreters = 1; // the most alive at once: the main program, children, spares
  const notePeak = () => {
    peakInterpreters = Math.max(peakInterpreters, 1 + live + spares.length);
  };
  let children = 0; // processes and pool workers asked for: the cap's count (O(1), not a scan)
  const budget = pageMemoryBudget();
  /** At most this many interpreters alive at once: from the cores, and from the memory budget. */
  const liveCap = Math.min(maxLive(cores), Math.max(2, Math.floor(budget.totalBytes / INTERPRETER_BYTES)));
  const memoryInit = {
    memoryLimit: budget.perInterpreterBytes,
    memoryWhy: `each interpreter may hold half of the run's ${bytesText(budget.totalBytes)} (${budget.why})`,
  };
  let held = 0; // bytes of wasm memory the live interpreters hold together
  let peakHeld = 0;
  let failRun;
  const failed = new Promise((_, reject) => {
    failRun = reject;
  });
  failed.catch(() => {});
  const onAbort = () => failRun(abortError());
  signal?.addEventListener("abort", onAbort);
  // Cancel does not wait for the first download of Pyodide (seconds to minutes on a slow link).
  const [wasm, files, ready] = await Promise.race([
    Promise.all([compiledPyodide(), vendorFiles(), snapshotFor(rung)]),
    failed,
  ]);
  let snapshot = ready; // the build's or this page's; null on JSPI until the main program has made one
  signal?.throwIfAborted();
  const mailboxBuffer = rung === "shared-memory" ? newMailbox() : null;
  const mailbox = mailboxBuffer && mailboxWriter(mailboxBuffer);
  const channel = rung === "service-worker" ? await Promise.race([openChannel(), failed]) : null;
  if (rung === "service-worker" && !channel) {
    rung = "one-at-a-time";
    why =
      "the lab's service worker could not take this page (blocked, or private browsing), and this browser has neither shared memory here nor JSPI";
  }
  /** The service-worker channel as the Worker of process `name` reads it: its own queue. */
  const channelInit = (name) => channel && { base: channel.base, run: `${channel.run}/${name}` };
  let main = null;
  /** News for the main program, however it waits. */
  const tell = (message) =>
    mailbox ? mailbox.send(message) : channel ? channel.tell(message, "MainProcess") : main?.note("news", message);
  /** News for any process of the run (answers about shared objects), however it waits. */
  const tellTo = (proc, message) => {
    if (proc.kind === "main") tell(message);
    else if (proc.mailbox) proc.mailbox.send(message);
    else if (channel) channel.tell(message, proc.name);
    else proc.worker?.note("news", message);
  };
  /** The run's shared objects (Queue, Lock, Value…: sync.js), answering whichever process asks. */
  const broker = syncBroker({
    reply: (name, message) => {
      const proc = byName.get(name);
      proc?.asking?.delete(message.req);
      if (proc && proc.ended === null) tellTo(proc, message);
    },
    later: (fn, ms) => {
      const timer = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
      return () => clearTimeout(timer);
    },
  });
  /** A process's request about a shared object (the broker checks its fields), or a signal it sends. */
  const onSync = (proc) => (m) => {
    if (m?.type === "sync" && (m.item === undefined || typeof m.item === "string")) {
      proc.asking ??= new Set();
      if (Number.isSafeInteger(m.req)) proc.asking.add(m.req);
      broker.handle(proc.name, m);
      // Not answered at once: the process now waits for another (a get, a lock, an event).
      if (proc.asking?.size && waiting.length) unblock();
    } else if (m?.type === "signal") sendSignal(checkedCall(m));
    else if (
      m?.type === "files" &&
      proc.kind === "process" &&
      typeof m.files === "string" &&
      m.files.length <= MAX_FILES_TEXT
    ) {
      tell({ type: "files", files: m.files }); // a child's files, to its parent before its exit (_files.py)
    }
  };
  /**
   * A signal for the process whose os pid is `m.pid`: SIGTERM and SIGKILL end a Process child
   * at once (as Process.terminate()); any other, and any to the main program or a pool worker,
   * is news the process acts on where it next waits (its handler, or its end: _lab.py).
   */
  const byOsPid = new Map();
  function sendSignal(m) {
    const proc = m && byOsPid.get(m.pid);
    if (!proc || proc.ended !== null) return;
    if (proc.kind === "process" && (m.signal === 9 || m.signal === 15)) finishChild(proc.key, -m.signal);
    else tellTo(proc, { type: "signal", signal: m.signal });
  }

  const emit = (type, proc, extra) => onEvent?.({ type, process: proc.name, t: sinceStart(), ...extra });
  const record = (name, kind) => {
    const proc = { name, kind, spawned: sinceStart(), booted: null, started: null, ended: null, exitcode: null };
    proc.tasks = [];
    processes.push(proc);
    byName.set(name, proc);
    emit("spawned", proc);
    return proc;
  };
  /** Lines and news from `proc`'s Worker; every field checked (messages.js) before use. */
  const eventsFrom = (proc, onMp) => (raw) => {
    const msg = checkedEvent(raw);
    if (!msg) return;
    if (msg.type === "lines") {
      if (msg.dropped > (proc.dropped ?? 0)) {
        proc.dropped = msg.dropped;
        // Where the process's lines stop arriving: said once, in its console, in the place they would be.
        if (!proc.gapShown) {
          proc.gapShown = true;
          onLine?.({
            process: proc.name,
            stream: "note",
            text: `[output truncated: ${proc.name} printed more than ${MAX_OUTPUT_LINES} lines; its last ${TAIL_LINES} come at its end, the rest are not shown]`,
            t: sinceStart(),
          });
        }
      }
      for (const l of msg.lines) {
        const who = l.process && byName.has(l.process) ? l.process : proc.name;
        onLine?.({ process: who, stream: l.stream, text: l.text, t: at(l.t) });
      }
    } else if (msg.type === "started") {
      proc.started = at(msg.t);
      emit("started", proc);
    } else if (msg.type === "memory") holds(proc, msg.bytes);
    else if (msg.type === "block") addBlock(proc, msg);
    else if (msg.type === "want") proc.mailbox?.want(msg.seen);
    else if (msg.type === "mp") onMp?.(msg.message, msg.t);
  };
  /**
   * Shared blocks (Value, Array) the run's processes made, handed to every process started after
   * (python.worker.js's sharedBlocks); their bytes count towards the run's memory budget.
   */
  const blocks = {};
  let blockBytes = 0;
  const addBlock = (proc, msg) => {
    if (Object.hasOwn(blocks, msg.id) || !msg.id.startsWith(`${proc.name}:`)) return;
    blocks[msg.id] = msg.buffer;
    blockBytes += msg.buffer.byteLength;
    holds(proc, proc.memoryBytes ?? 0);
  };
  /**
   * `proc`'s interpreter now holds `bytes`: the run's sum, its peak, and the run stopped once the
   * sum passes the budget (an interpreter alone is held to half of it in its Worker: memory.js).
   */
  const holds = (proc, bytes) => {
    held += bytes - (proc.memoryBytes ?? 0);
    proc.memoryBytes = bytes;
    proc.peakMemoryBytes = Math.max(proc.peakMemoryBytes ?? 0, bytes);
    peakHeld = Math.max(peakHeld, held + blockBytes);
    if (held + blockBytes > budget.totalBytes) {
      failRun(
        new Error(
          `MemoryError: the program's interpreters held ${bytesText(held + blockBytes)} together, past the lab's memory budget of ${bytesText(budget.totalBytes)} for one run (${budget.why}), so the run was stopped before the browser runs out.`,
        ),
      );
    }
  };
  const end = (proc, exitcode, t = sinceStart()) => {
    if (proc.ended !== null) return;
    proc.ended = t;
    proc.exitcode = exitcode;
    broker.ended(proc.name); // the pipe ends it held close, as at a process's exit
    emit("ended", proc, { exitcode });
  };

  /**
   * The Worker's script URL. On the service-worker rung, one URL per process: WebKitGTK left
   * some of five Workers started at once from the same URL outside the service worker's control
   * (their requests went to the network: a pool worker's `ping` got the server's 404), while
   * Workers from distinct URLs were all controlled, in every trial.
   */
  const workerUrl = (name) => {
    if (rung !== "service-worker") return WORKER_URL;
    const url = new URL(WORKER_URL);
    url.searchParams.set("process", name);
    return url;
  };

  /**
   * A chunk `proc` ran, for the summary and the timeline. Past MAX_TASK_RECORDS records a
   * process's next chunks join its last record (`lastTask`, `chunks`), so that 150 000 chunks
   * cost the page a few thousand records and bars, not 150 000; and `task` events are sent
   * only for the records kept.
   */
  const addTask = (proc, record) => {
    const last = proc.tasks.at(-1);
    if (proc.tasks.length >= MAX_TASK_RECORDS && last) {
      // what is not work in the chunks it joins (the time between them, and each one's unpickling
      // and pickling), kept apart from their work (time-spent.js)
      if (Number.isFinite(record.start) && Number.isFinite(last.end))
        last.moving = (last.moving ?? 0) + Math.max(0, record.start - last.end) + (record.moving ?? 0);
      last.workEnd = record.workEnd;
      last.lastTask = record.task;
      last.chunks = (last.chunks ?? 1) + 1;
      last.size += record.size;
      last.slept = (last.slept ?? 0) + (record.slept ?? 0);
      last.argBytes = (last.argBytes ?? 0) + (record.argBytes ?? 0);
      last.resultBytes = (last.resultBytes ?? 0) + (record.resultBytes ?? 0);
      last.end = record.end;
      last.ok &&= record.ok;
      last.received = record.received ?? last.received;
      return;
    }
    proc.tasks.push(record);
    emit("task", proc, { task: record.task });
  };

  /**
   * Whether any child is doing something that can end without help: a Process running, a pool
   * member with a task — and neither waiting on a shared object (a queue's get, a lock, an event),
   * which another process may have to set.
   */
  const anyBusy = () =>
    processes.some((p) => p.kind !== "main" && p.live && (p.kind === "process" || p.busy) && !p.asking?.size);
  /**
   * A spawn waits for a free slot only while something else can end and free one: when every
   * live child is an idle pool member (a pool the program has not closed yet) or waits on a shared
   * object — perhaps for the very process waiting for a slot (five children waiting on one Event
   * that the last of them sets) — waiting would be forever, so the next one starts beyond the cap
   * instead (no silent deadlock).
   */
  function unblock() {
    while (waiting.length && (live < liveCap || !anyBusy())) waiting.shift()();
  }

  /** What every child interpreter of the run boots with (its process's own fields come on top). */
  const bootInit = (name) => ({
    name,
    cores,
    poolSize,
    source,
    wasm,
    files,
    snapshot,
    blocking: rung,
    maxProcesses: MAX_PROCESSES,
    ...memoryInit,
  });

  /** Start a child Worker for `proc` now, or as soon as a slot is free. */
  function startChild(proc, init, afterBoot, replacement = false) {
    byOsPid.set(init.pid, proc);
    const go = () => {
      if (proc.ended !== null) return; // terminated while it waited for a slot
      const stop = new AbortController();
      takeSlot(() => stop.abort());
      spawnProcess(workerUrl(proc.name), {
        what: `Python process (${proc.name})`,
        name: proc.name,
        init: { ...bootInit(proc.name), ...who() },
        signal: stop.signal,
        deadlineMs: bootDeadlineMs(),
        onEvent: eventsFrom(proc, onSync(proc)),
        onSpawn: (child) => {
          proc.worker = child;
          workers.add(child);
        },
      }).then(
        (child) => {
          proc.booted = at(child.info.t);
          proc.bootMs = child.info.bootMs;
          proc.bootParts = child.info.parts;
          emit("booted", proc);
          afterBoot(child);
        },
        (error) => {
          if (proc.ended === null) failRun(new Error(`${proc.name} could not start Python: ${error.message}`));
        },
      );
    };
    /** This process's own fields of its start-up message (at a boot, or when a spare becomes it). */
    const who = () => ({
      ...init,
      name: proc.name,
      channel: channelInit(proc.name),
      mailbox: proc.mailboxBuffer ?? null,
      blocks: { ...blocks },
    });
    /** `proc` takes a slot; `release` gives it back and ends its Worker (and `onRelease`). */
    const takeSlot = (onRelease = () => {}) => {
      live++;
      notePeak();
      proc.live = true;
      proc.release = () => {
        if (proc.released) return;
        proc.released = true;
        proc.live = false;
        onRelease();
        proc.worker?.terminate();
        workers.delete(proc.worker);
        holds(proc, 0); // a terminated Worker's memory is the browser's again
        live--;
        unblock();
      };
    };
    const warm = () => {
      // An interpreter booted ahead (see spares) becomes this process: one ready, else the one
      // closest to ready (sooner than a boot of its own, which would compete with it for a core).
      const spare = takeSpare();
      if (!spare) return go();
      spare.boot.then((ok) => {
        if (proc.ended !== null) {
          spare.child?.terminate(); // terminated while it waited
          workers.delete(spare.child);
          holds(spare.rec, 0);
        } else if (ok) handTo(spare);
        else go();
      });
    };
    const handTo = (spare) => {
      proc.worker = spare.child;
      takeSlot();
      // Its memory so far is this process's now; its events too.
      proc.memoryBytes = spare.rec.memoryBytes ?? 0;
      proc.peakMemoryBytes = proc.memoryBytes;
      spare.rec.memoryBytes = 0;
      spare.route = eventsFrom(proc, onSync(proc));
      spare.child.request("assign", who()).then(
        (info) => {
          proc.booted = at(info.t);
          proc.bootMs = spare.child.info.bootMs + info.ms; // the raw cost, paid ahead
          proc.bootParts = { ...spare.child.info.parts, setupMs: info.ms };
          proc.warm = true;
          proc.waitedMs = (proc.booted - proc.spawned) * 1000;
          emit("booted", proc);
          afterBoot(spare.child);
        },
        (error) => {
          if (proc.ended === null) failRun(new Error(`${proc.name} could not start Python: ${error.message}`));
        },
      );
    };
    if (rung === "shared-memory") {
      proc.mailboxBuffer = newMailbox(CHILD_MAILBOX_BYTES);
      proc.mailbox = mailboxWriter(proc.mailboxBuffer);
    }
    if (!replacement && ++children > MAX_PROCESSES) {
      failRun(
        new Error(
          `This program started more than ${MAX_PROCESSES} processes. Each one here is a Web Worker that boots its own Python interpreter (seconds each, tens of MB), so the lab stops at ${MAX_PROCESSES}: use a Pool, which starts a few processes and hands them all the tasks.`,
        ),
      );
      return;
    }
    if (waiting.length || (live >= liveCap && anyBusy())) queued++; // it waits for a slot: said on the card
    waiting.push(warm);
    unblock();
  }

  /**
   * Spares: interpreters booted from the snapshot ahead of need, while the main program boots
   * and runs, so that `Process.start()` and `Pool()` hand their work to one that is ready
   * instead of waiting ~0.2–0.4 s for a boot — what CPython's fork gives a Linux
   * reader, and close to what its spawn costs there. Only for a program that names
   * multiprocessing or concurrent.futures, on a parallel rung; at most SPARES at once (bounded by
   * the cores and the memory budget), refilled as they are taken, never more in all than the
   * processes the run may still start; none left after the run.
   */
  const spares = [];
  let sparesStarted = 0;
  const wantsProcesses = /\b(multiprocessing|concurrent\.futures|ProcessPoolExecutor)\b/.test(source);
  const spareTarget = Math.max(0, Math.min(SPARES, cores, Math.floor(budget.totalBytes / (4 * INTERPRETER_BYTES))));
  /** Start one more spare if the rules allow; true if it did. */
  function startSpare() {
    if (!snapshot || !wantsProcesses || !RUNGS[rung].parallel || ended) return false;
    if (spares.length >= spareTarget || children + spares.length >= MAX_PROCESSES) return false;
    if (live + spares.length + 1 >= liveCap) return false; // spares count towards the interpreters alive at once
    // One boots at a time: two booting side by side on two cores took 0.5–0.6 s each where one
    // alone takes 0.2–0.3 s (measured) — no more spares per second, and a program's first
    // start(), which waits for the first spare, would wait twice as long.
    if (spares.some((s) => !s.ready)) return false;
    const spare = { rec: { name: `spare-${++sparesStarted}`, memoryBytes: 0 }, child: null, ready: false };
    spare.route = eventsFrom(spare.rec, () => {});
    spares.push(spare);
    notePeak();
    spare.boot = spawnProcess(workerUrl(spare.rec.name), {
      what: "Python process (booted ahead)",
      name: spare.rec.name,
      init: { ...bootInit(spare.rec.name), role: "spare" },
      deadlineMs: bootDeadlineMs(),
      onEvent: (raw) => spare.route(raw),
      onSpawn: (child) => {
        spare.child = child;
        workers.add(child);
      },
    }).then(
      () => {
        spare.ready = true;
        startSpare(); // the next one, up to the target
        return true;
      },
      () => {
        // A spare that could not boot is dropped: a process boots its own instead.
        const at = spares.indexOf(spare);
        if (at >= 0) spares.splice(at, 1);
        holds(spare.rec, 0);
        return false;
      },
    );
    return true;
  }
  /** A spare — a ready one first, else the oldest still booting — and another started in its place. */
  function takeSpare() {
    const ready = spares.findIndex((s) => s.ready);
    if (!spares.length) return null;
    const [spare] = spares.splice(Math.max(ready, 0), 1);
    startSpare();
    return spare;
  }

  function spawnChild({ pid, ospid, name, payload }) {
    const proc = record(name, "process");
    proc.key = pid;
    byPid.set(pid, proc);
    startChild(proc, { role: "process", pid: ospid, ppid: MAIN_PID }, (child) => {
      child.request("process", { payload }).then(
        ({ exitcode, slept }) => {
          proc.slept = slept;
          finishChild(pid, exitcode);
        },
        (error) => {
          // Ended outside Python (os._exit, a crash) or terminated: finishChild is idempotent.
          finishChild(pid, exitcodeOf(error));
        },
      );
    });
  }

  function finishChild(pid, exitcode) {
    const proc = byPid.get(pid);
    if (!proc || proc.ended !== null) return;
    end(proc, exitcode);
    proc.release?.();
    tell({ type: "exit", pid, exitcode });
  }

  function startPool({ pool: id, processes: n, init, maxtasks, names = [], pids = [] }) {
    const pool = { id, queue: [], head: 0, idle: [], members: [], closed: false, ended: false, init, maxtasks };
    pools.set(id, pool);
    for (let i = 0; i < n; i++) startMember(pool, null, names[i], pids[i]);
  }

  /**
   * One pool worker: booted, its initializer run (if the pool has one), then idle for tasks. A
   * replacement (after `maxtasksperchild` tasks) takes the place of the one it replaces, so it
   * does not count again towards the run's cap on processes.
   */
  function startMember(pool, replacing = null, name = null, pid = null) {
    poolWorkerCount++;
    // A replacement's name continues past every name so far (the main program's counter, which
    // CPython would use, is not the page's to read).
    let k = poolWorkerCount;
    while (!name && byName.has(`SpawnPoolWorker-${k}`)) k++;
    const proc = record(name ?? `SpawnPoolWorker-${k}`, "pool");
    const ospid = pid ?? MAIN_PID + MAX_PROCESSES + poolWorkerCount;
    if (replacing) {
      const index = pool.members.indexOf(replacing);
      pool.members[index] = proc;
      // The main program's Pool._pool lists the new one in its place (CPython's _repopulate_pool).
      tell({ type: "pool-member", pool: pool.id, index, name: proc.name, pid: ospid });
    } else pool.members.push(proc);
    proc.tasksDone = 0;
    startChild(
      proc,
      { role: "pool", pid: ospid, ppid: MAIN_PID },
      async (child) => {
        proc.started = proc.booted;
        proc.child = child;
        if (pool.init) await child.request("initializer", { payload: pool.init }).catch(() => {});
        if (pool.ended || proc.ended !== null) return;
        pool.idle.push(proc);
        dispatch(pool);
      },
      replacing !== null,
    );
  }

  /** A worker that has run its `maxtasksperchild`: it ends (exit code 0) and a new one takes its place. */
  function retire(pool, proc) {
    end(proc, 0);
    proc.release?.();
    const left = pool.head < pool.queue.length || !pool.closed;
    if (left && !pool.ended) startMember(pool, proc);
    else dispatch(pool);
  }

  function dispatch(pool) {
    while (!pool.ended && pool.idle.length && pool.head < pool.queue.length) {
      const proc = pool.idle.shift();
      // Chunks go out first in, first out; while many wait, a worker takes a few at once (one
      // message for all, not a round trip each: 150 000 tasks of chunksize 1 would otherwise
      // cost the page and the workers 150 000 round trips). Never more than a quarter of a
      // worker's share, so the last chunks still go to whichever worker is free.
      const share = Math.floor((pool.queue.length - pool.head) / (4 * pool.members.length));
      const left = pool.maxtasks ? pool.maxtasks - proc.tasksDone : MAX_BATCH;
      const count = Math.max(1, Math.min(MAX_BATCH, share, left));
      const batch = pool.queue.slice(pool.head, pool.head + count);
      pool.head += count;
      if (pool.head > 1024 && pool.head * 2 > pool.queue.length) {
        pool.queue = pool.queue.slice(pool.head); // O(1) amortised: no shift() on a long queue
        pool.head = 0;
      }
      const sent = sinceStart();
      proc.busy = true;
      proc.child.request("tasks", { payloads: batch.map((t) => t.payload) }).then(
        (replies) => {
          proc.busy = false;
          const received = sinceStart();
          const results = [];
          batch.forEach((task, i) => {
            const reply = replies[i] ?? { ok: false, t0: 0, t1: 0 };
            addTask(proc, {
              task: task.task,
              size: task.size,
              start: at(reply.t0),
              end: at(reply.t1),
              ok: reply.ok,
              sent, // handed to this worker, and its result back, on the page's clock
              received,
              ...chunkFacts(task, reply, at),
            });
            results.push({
              task: task.task,
              ok: reply.ok,
              value: reply.value,
              error: reply.error,
              traceback: reply.traceback,
            });
          });
          tell({ type: "results", results });
          proc.tasksDone += batch.length;
          if (pool.maxtasks && proc.tasksDone >= pool.maxtasks) return retire(pool, proc);
          pool.idle.push(proc);
          dispatch(pool);
        },
        (error) => {
          if (pool.ended) return;
          // A pool worker that ended outside Python: CPython's Pool would wait forever for the
          // lost task; the lab says what happened instead (concurrent.futures' BrokenProcessPool).
          proc.busy = false;
          end(proc, exitcodeOf(error));
          proc.release?.(); // gone: a closed pool's join() waits only for the members still alive
          for (const task of batch) {
            tell({
              type: "broken",
              task: task.task,
              message: `${proc.name} ended abruptly (${error.message}) while running a task, so the pool is broken: CPython's Pool would wait forever for that task; the lab stops waiting and says so.`,
            });
          }
        },
      );
    }
    // Closed, nothing queued, and every member idle — or never started: a member still waiting
    // for a slot has no work left, so it is not started at all.
    const done = pool.members.every((p) => pool.idle.includes(p) || !p.live);
    if (pool.closed && pool.head >= pool.queue.length && done) endPool(pool, 0);
    unblock();
  }

  function endPool(pool, exitcode) {
    if (pool.ended) return;
    pool.ended = true;
    for (const proc of pool.members) {
      end(proc, exitcode);
      proc.release?.();
    }
    tell({ type: "exit", pid: pool.id, exitcode });
  }

  /** The one-at-a-time rung: the main program reports the children it runs itself (inline.py). */
  function inline(m, t) {
    if (m.type === "spawn-inline") byPid.set(m.pid, record(m.name, "process"));
    else if (m.type === "inline-start" && byPid.has(m.pid)) {
      const proc = byPid.get(m.pid);
      proc.booted = proc.started = at(t);
      proc.bootMs = 0;
      emit("started", proc);
    } else if (m.type === "inline-end" && byPid.has(m.pid)) end(byPid.get(m.pid), m.exitcode, at(t));
    else if (m.type === "pool-inline") {
      const pool = { id: m.pool, members: m.names.map((name) => record(name, "pool")) };
      for (const proc of pool.members) {
        proc.booted = proc.started = proc.spawned;
        proc.bootMs = 0;
      }
      pools.set(m.pool, pool);
    } else if (m.type === "inline-task" && pools.get(m.pool)?.members[m.member]) {
      const proc = pools.get(m.pool).members[m.member];
      addTask(proc, { task: m.task, size: m.size, start: at(m.t0), end: at(m.t1), ok: m.ok });
    } else if (m.type === "pool-end" && pools.has(m.pool)) {
      for (const proc of pools.get(m.pool).members) end(proc, m.exitcode, at(t));
    }
  }

  function onMainCall(raw, t) {
    if (raw?.type === "sync" && rung !== "one-at-a-time") return onSync(mainProc)(raw);
    const m = checkedCall(raw);
    if (!m) return;
    if (rung === "one-at-a-time") return inline(m, t);
    if (m.type === "spawn") spawnChild(m);
    else if (m.type === "pool") startPool(m);
    else if (m.type === "tasks" && pools.has(m.pool)) {
      const pool = pools.get(m.pool);
      for (const task of m.tasks) pool.queue.push(task); // no spread: 150 000 tasks overflow the stack
      dispatch(pool);
    } else if (m.type === "close" && pools.has(m.pool)) {
      pools.get(m.pool).closed = true;
      dispatch(pools.get(m.pool));
    } else if (m.type === "terminate-pool" && pools.has(m.pool)) endPool(pools.get(m.pool), -15);
    else if (m.type === "terminate" && byPid.has(m.pid)) finishChild(m.pid, -(m.signal ?? 15));
    else if (m.type === "signal") sendSignal(m);
  }

  const mainProc = record("MainProcess", "main");
  mainProc.mailbox = mailbox;
  byOsPid.set(MAIN_PID, mainProc);
  try {
    main = await Promise.race([
      spawnProcess(workerUrl("MainProcess"), {
        what: "Python process (the main program)",
        name: "MainProcess",
        init: {
          role: "main",
          name: "MainProcess",
          pid: MAIN_PID,
          ppid: 1,
          cores,
          poolSize,
          source,
          blocking: rung,
          channel: channelInit("MainProcess"),
          maxProcesses: MAX_PROCESSES,
          mailbox: mailboxBuffer,
          ...memoryInit,
          wasm,
          files,
          ...(snapshot ? { snapshot } : { makeSnapshot: true }),
        },
        deadlineMs: bootDeadlineMs(),
        onEvent: eventsFrom(mainProc, onMainCall),
        onSpawn: (process) => {
          main = process;
          workers.add(process);
        },
      }),
      failed,
    ]);
    const info = main.info;
    if (info.snapshot instanceof Uint8Array) {
      madeSnapshot ??= info.snapshot;
      snapshot ??= info.snapshot;
    }
    startSpare(); // the others follow, one at a time
    mainProc.booted = at(info.t);
    mainProc.bootMs = info.bootMs;
    mainProc.bootParts = info.parts;
    mainProc.fromSnapshot = !info.snapshot;
    emit("booted", mainProc);
    const { exitcode, slept } = await Promise.race([main.request("main"), failed]);
    mainProc.slept = slept;
    end(mainProc, exitcode);
    return {
      exitcode,
      blocking: { rung, why, label: RUNGS[rung].label, parallel: RUNGS[rung].parallel },
      droppedLines: processes.reduce((n, p) => n + (p.dropped ?? 0), 0),
      totalS: sinceStart(),
      cores,
      processes: processes.map(
        ({ worker, child, release, released, live, busy, gapShown, asking, mailbox: _m, mailboxBuffer: _b, ...p }) => p,
      ),
      mailboxBytes: mailboxBuffer ? MAILBOX_BYTES : 0,
      queued,
      liveCap,
      peakInterpreters,
      memory: { budgetBytes: budget.totalBytes, perInterpreterBytes: budget.perInterpreterBytes, peakBytes: peakHeld },
    };
  } finally {
    ended = true; // no spare starts after this; those alive are terminated with every Worker
    signal?.removeEventListener("abort", onAbort);
    channel?.close();
    broker.close();
    for (const w of workers) w.terminate();
    workers.clear();
    waiting.length = 0;
    for (const proc of processes) if (proc.ended === null) end(proc, null);
  }
}

/**
 * What the card's task view and advice read of one chunk besides its times: which of its map's
 * items it held (`first`, `size`), the seconds it slept, and its pickled arguments and result in
 * bytes (base64 on the way: three bytes in four characters).
 */
function chunkFacts(task, reply, at) {
  const bytes = (b64) => (typeof b64 === "string" ? Math.floor((b64.length * 3) / 4) : 0);
  const workStart = Number.isFinite(reply.w0) ? at(reply.w0) : undefined;
  const workEnd = Number.isFinite(reply.w1) ? at(reply.w1) : undefined;
  return {
    workStart,
    workEnd,
    // unpickling its arguments and pickling its result (what a merged record must remember)
    moving: workStart === undefined ? 0 : workStart - at(reply.t0) + (at(reply.t1) - workEnd),
    first: task.first ?? null,
    slept: Number.isFinite(reply.slept) ? reply.slept : 0,
    argBytes: bytes(task.payload),
    resultBytes: bytes(reply.value),
  };
}

/** A child that ended outside Python: its exit code if the error says one (`os._exit(3)`), else 1. */
function exitcodeOf(error) {
  const code = /exit(?:ed)?(?: with)?(?: code| status)?\s*\(?(-?\d+)/i.exec(String(error?.message ?? ""));
  return code ? Number(code[1]) : 1;
}
