/**
 * The record a Python run keeps of its processes, and the summary made of it: one record per
 * process (spawned, booted, started, ended, exitcode; seconds since the run began), the chunks each
 * ran, and the events that tell the caller as it happens (`onEvent`).
 *
 * Why in one module: the summary's shape is read by others — time-spent.js, advice.js,
 * task-view.js, trace-events.js, process-chart.js and lessons/python.js — so what goes into a
 * record, and what is left out of the summary (the page's handles), is written in one place.
 *
 * `runRecords(run)` for one run (session.js); `summary(run, …)` once its main program has ended.
 */
import { RUNGS } from "./blocking.js";
import { MAILBOX_BYTES } from "./mailbox.js";

/** At most this many task records per process in a run's summary (see addTask). */
export const MAX_TASK_RECORDS = 2000;

export function runRecords(run) {
  const emit = (type, proc, extra) => run.onEvent?.({ type, process: proc.name, t: run.sinceStart(), ...extra });
  const record = (name, kind) => {
    const proc = { name, kind, spawned: run.sinceStart(), booted: null, started: null, ended: null, exitcode: null };
    proc.tasks = [];
    run.processes.push(proc);
    run.byName.set(name, proc);
    emit("spawned", proc);
    return proc;
  };
  const end = (proc, exitcode, t = run.sinceStart()) => {
    if (proc.ended !== null) return;
    proc.ended = t;
    proc.exitcode = exitcode;
    run.news.broker.ended(proc.name); // the pipe ends it held close, as at a process's exit
    emit("ended", proc, { exitcode });
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

  return { emit, record, end, addTask };
}

/**
 * What the card's task view and advice read of one chunk besides its times: which of its map's
 * items it held (`first`, `size`), the seconds it slept, and its pickled arguments and result in
 * bytes (base64 on the way: three bytes in four characters).
 */
export function chunkFacts(task, reply, at) {
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

/**
 * The run's summary, once its main program has ended with `exitcode`: the rung (and `why`), every
 * process's record without the page's handles on it (its Worker, its slot, its mailbox), and the
 * run's limits and peaks.
 */
export function summary(run, exitcode, why) {
  const { rung, processes } = run;
  return {
    exitcode,
    blocking: { rung, why, label: RUNGS[rung].label, parallel: RUNGS[rung].parallel },
    droppedLines: processes.reduce((n, p) => n + (p.dropped ?? 0), 0),
    totalS: run.sinceStart(),
    cores: run.cores,
    processes: processes.map(
      ({ worker, child, release, released, live, busy, gapShown, asking, mailbox: _m, mailboxBuffer: _b, ...p }) => p,
    ),
    mailboxBytes: run.mailboxBuffer ? MAILBOX_BYTES : 0,
    queued: run.slots.queued,
    liveCap: run.slots.liveCap,
    peakInterpreters: run.slots.peakInterpreters,
    memory: {
      budgetBytes: run.memory.budget.totalBytes,
      perInterpreterBytes: run.memory.budget.perInterpreterBytes,
      peakBytes: run.memory.peakHeld,
    },
  };
}
