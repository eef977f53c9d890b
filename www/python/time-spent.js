/**
 * Where a python run's time went, per process, from the lab's own measurements (session.js: each
 * process's spawn, boot, start and end, each task's or chunk's start and end in its worker, and
 * when its arguments left the page and its result came back). Nothing is estimated: a process's
 * wall time, spawn to end, is cut into parts that do not overlap and sum to it exactly —
 *
 *   start-up   spawn → interpreter up (the spawn cost)
 *   waiting    up, no work handed over yet (a pool worker before its first chunk, between chunks)
 *   receiving  work handed over, not started: the arguments on their way (pickled and posted)
 *              and unpickled in the worker
 *   working    running a task or chunk's calls — or, for the main program and a Process, running
 *   sending    a result pickled in the worker and on its way back to the page
 *   idle       after its last result, until the process ended (while the others still worked)
 *
 * The python card draws them (one stacked bar per process) and says them in a sentence.
 */

export const PARTS = ["start-up", "waiting", "receiving", "working", "sending", "idle"];

/** Seconds per part for one process; `end` is the run's end (for a process still alive). */
export function partsOf(p, end) {
  const parts = Object.fromEntries(PARTS.map((k) => [k, 0]));
  const from = Number.isFinite(p.spawned) ? p.spawned : 0;
  const to = Math.max(from, Number.isFinite(p.ended) ? p.ended : end);
  const up = Math.min(to, Math.max(from, Number.isFinite(p.booted) ? p.booted : to));
  parts["start-up"] = up - from;
  const tasks = (p.tasks ?? [])
    .filter((t) => Number.isFinite(t.start) && Number.isFinite(t.end))
    .sort((a, b) => a.start - b.start);
  if (tasks.length === 0) {
    // the main program and a Process: from up to its end it runs its own code
    parts.working = to - up;
    return parts;
  }
  let now = up;
  const add = (part, until) => {
    const u = Math.min(to, Math.max(now, until));
    parts[part] += u - now;
    now = u;
  };
  tasks.forEach((t, k) => {
    // before the task: waiting for work until it was handed over, then receiving it
    const sent = Number.isFinite(t.sent) ? t.sent : t.start;
    add("waiting", Math.min(sent, t.start));
    add("receiving", t.start);
    // in the worker: unpickling its arguments, then the work, then pickling its result
    const workStart = Number.isFinite(t.workStart) ? t.workStart : t.start;
    const workEnd = Number.isFinite(t.workEnd) ? t.workEnd : t.end;
    add("receiving", workStart);
    // a record that stands for many chunks (run-records.js's addTask, past its cap) knows how much
    // of its span went between them and into their pickles: transfer, not work
    const moving = t.moving && t.chunks > 1 ? t.moving : 0;
    add("working", workEnd - Math.min(moving, Math.max(0, workEnd - now)));
    add("receiving", workEnd);
    add("sending", t.end);
    // the last chunk of a batch (one message out, one back): its results' way back to the page
    const next = tasks[k + 1];
    if (!next || next.sent !== t.sent) add("sending", Number.isFinite(t.received) ? t.received : t.end);
  });
  add("idle", to);
  return parts;
}

/** Every process's parts and wall time, and the run's totals per part: `{ processes, totals, wall }`. */
export function timeSpent(python) {
  const end = python.totalS ?? 0;
  const processes = python.processes.map((p) => {
    const parts = partsOf(p, end);
    const wall = PARTS.reduce((s, k) => s + parts[k], 0);
    return { name: p.name, kind: p.kind, parts, wall };
  });
  const totals = Object.fromEntries(PARTS.map((k) => [k, processes.reduce((s, p) => s + p.parts[k], 0)]));
  const wall = processes.reduce((s, p) => s + p.wall, 0);
  return { processes, totals, wall };
}
