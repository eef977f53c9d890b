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
 *
 * The run's parts are modules of their own, each made for one run from the run's state (`run`,
 * below) and reached through it: what an interpreter boots from (interpreter-boot.js), the memory
 * and the slots of the interpreters alive (run-memory.js, run-slots.js), the processes' records and
 * the summary (run-records.js), the messages to and from the processes (run-news.js), the children
 * (children.js), the interpreters booted ahead (spares.js), the pools (pool-dispatch.js) and the
 * one-at-a-time rung's reports (inline-reports.js). This file makes the run and its main program.
 */
import { abortError } from "../engine/abort.js";
import { spawnProcess } from "../engine/bridge.js";
import { blockingRung } from "./blocking.js";
import { openChannel } from "./channel.js";
import { runChildren } from "./children.js";
import { inlineReports } from "./inline-reports.js";
import {
  bootDeadlineMs,
  channelInit,
  compiledPyodide,
  keepSnapshot,
  pythonUnavailableReason,
  snapshotFor,
  vendorFiles,
  workerUrl,
} from "./interpreter-boot.js";
import { mailboxWriter, newMailbox } from "./mailbox.js";
import { checkedCall, MAIN_PID, MAX_PROCESSES } from "./messages.js";
import { poolDispatcher } from "./pool-dispatch.js";
import { runMemory } from "./run-memory.js";
import { runNews } from "./run-news.js";
import { runRecords, summary } from "./run-records.js";
import { runSlots } from "./run-slots.js";
import { runSpares } from "./spares.js";

export { BOOT_DEADLINE_MS, pythonUnavailableReason } from "./interpreter-boot.js";
export { MAX_TASK_RECORDS } from "./run-records.js";
export { maxLive } from "./run-slots.js";

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
  let failRun;
  const failed = new Promise((_, reject) => {
    failRun = reject;
  });
  failed.catch(() => {});
  /** The run's state, shared by its parts: each part is made from it and put on it. */
  const run = {
    rung,
    cores,
    poolSize,
    source,
    onLine,
    onEvent,
    /** Seconds since the run began, of a time on the epoch's clock (a Worker's `t`), or of now. */
    at: (epochMs) => (epochMs - origin) / 1000,
    sinceStart: () => (performance.timeOrigin + performance.now() - origin) / 1000,
    /** Stops the run with `error` (a Worker that could not start, the memory budget, the cap). */
    failRun,
    workers: new Set(), // every Worker started, terminated at the end
    processes: [], // every process's record, in the order they were asked for
    byPid: new Map(), // the main program's key of a Process (its pid in messages) → its record
    byName: new Map(),
    byOsPid: new Map(), // os.getpid() of each process → its record (for signals)
    pools: new Map(),
    ended: false,
    main: null, // the main program's Worker
    wasm: null,
    files: null,
    snapshot: null, // the build's or this page's; null on JSPI until the main program has made one
    mailboxBuffer: null,
    mailbox: null,
    channel: null,
  };
  run.memory = runMemory(run);
  run.slots = runSlots(run);
  const onAbort = () => failRun(abortError());
  signal?.addEventListener("abort", onAbort);
  // Cancel does not wait for the first download of Pyodide (seconds to minutes on a slow link).
  [run.wasm, run.files, run.snapshot] = await Promise.race([
    Promise.all([compiledPyodide(), vendorFiles(), snapshotFor(rung)]),
    failed,
  ]);
  signal?.throwIfAborted();
  run.mailboxBuffer = rung === "shared-memory" ? newMailbox() : null;
  run.mailbox = run.mailboxBuffer && mailboxWriter(run.mailboxBuffer);
  run.channel = rung === "service-worker" ? await Promise.race([openChannel(), failed]) : null;
  if (rung === "service-worker" && !run.channel) {
    rung = "one-at-a-time";
    why =
      "the lab's service worker could not take this page (blocked, or private browsing), and this browser has neither shared memory here nor JSPI";
  }
  run.rung = rung;
  run.records = runRecords(run);
  run.news = runNews(run);
  run.children = runChildren(run);
  run.spares = runSpares(run);
  run.dispatcher = poolDispatcher(run);
  const inline = inlineReports(run);
  const { startPool, dispatch, endPool } = run.dispatcher;
  const { spawnChild, finishChild } = run.children;
  const { end } = run.records;

  /** What the main program asks of the page: a child, a pool and its tasks, an end, a signal. */
  function onMainCall(raw, t) {
    if (raw?.type === "sync" && rung !== "one-at-a-time") return run.news.onSync(mainProc)(raw);
    const m = checkedCall(raw);
    if (!m) return;
    if (rung === "one-at-a-time") return inline(m, t);
    const { pools } = run;
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
    else if (m.type === "terminate" && run.byPid.has(m.pid)) finishChild(m.pid, -(m.signal ?? 15));
    else if (m.type === "signal") run.news.sendSignal(m);
  }

  const mainProc = run.records.record("MainProcess", "main");
  mainProc.mailbox = run.mailbox;
  run.byOsPid.set(MAIN_PID, mainProc);
  try {
    run.main = await Promise.race([
      spawnProcess(workerUrl(rung, "MainProcess"), {
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
          channel: channelInit(run.channel, "MainProcess"),
          maxProcesses: MAX_PROCESSES,
          mailbox: run.mailboxBuffer,
          ...run.memory.memoryInit,
          wasm: run.wasm,
          files: run.files,
          ...(run.snapshot ? { snapshot: run.snapshot } : { makeSnapshot: true }),
        },
        deadlineMs: bootDeadlineMs(),
        onEvent: run.news.eventsFrom(mainProc, onMainCall),
        onSpawn: (process) => {
          run.main = process;
          run.workers.add(process);
        },
      }),
      failed,
    ]);
    const info = run.main.info;
    if (info.snapshot instanceof Uint8Array) {
      keepSnapshot(info.snapshot);
      run.snapshot ??= info.snapshot;
    }
    run.spares.startSpare(); // the others follow, one at a time
    mainProc.booted = run.at(info.t);
    mainProc.bootMs = info.bootMs;
    mainProc.bootParts = info.parts;
    mainProc.fromSnapshot = !info.snapshot;
    run.records.emit("booted", mainProc);
    const { exitcode, slept } = await Promise.race([run.main.request("main"), failed]);
    mainProc.slept = slept;
    end(mainProc, exitcode);
    return summary(run, exitcode, why);
  } finally {
    run.ended = true; // no spare starts after this; those alive are terminated with every Worker
    signal?.removeEventListener("abort", onAbort);
    run.channel?.close();
    run.news.broker.close();
    for (const w of run.workers) w.terminate();
    run.workers.clear();
    run.slots.clear();
    for (const proc of run.processes) if (proc.ended === null) end(proc, null);
  }
}
