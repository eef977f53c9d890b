/**
 * A python run as a trace Perfetto (ui.perfetto.dev) and Chrome's tracing page open: the Chrome
 * trace-event JSON format. One process per process of the run (its name, in the run's order);
 * on its first track its life — start-up (spawn to interpreter up), then running, with each task
 * or chunk it ran inside (complete events: a start and a duration) — and on a second track the transfers, each chunk's arguments on their
 * way to the worker and its result on its way back (async slices: they overlap). Times in µs
 * from the run's start, as measured by the lab (session.js), nothing estimated. Beside it, the
 * same spans as CSV rows (`spanRows`).
 */

const US = 1e6; // the summary's times are seconds since the run began
const us = (s) => Math.max(0, Math.round(s * US));

/**
 * The spans of one process: `[kind, name, start s, end s, args]`. A task is clamped into the
 * process's running span and after the task before it (its times come from the worker's clock,
 * mapped to the page's: a few µs either way must not break the nesting a trace viewer needs).
 */
function spansOf(p, end) {
  const spans = [];
  if (Number.isFinite(p.spawned) && Number.isFinite(p.booted)) {
    spans.push(["life", "start-up", p.spawned, Math.max(p.spawned, p.booted), {}]);
  }
  const from = Math.max(p.started ?? p.booted ?? Number.NaN, p.booted ?? Number.NEGATIVE_INFINITY);
  const to = Math.max(from, p.ended ?? end);
  if (!Number.isFinite(from)) return spans;
  spans.push(["life", "running", from, to, { exitcode: p.exitcode }]);
  const clamp = (x) => Math.min(to, Math.max(from, x));
  const tasks = (p.tasks ?? []).filter((t) => Number.isFinite(t.start) && Number.isFinite(t.end));
  let free = from; // a process runs one task at a time: the next starts no earlier than the last ended
  for (const t of [...tasks].sort((x, y) => x.start - y.start)) {
    const name = t.lastTask !== undefined ? `tasks ${t.task}–${t.lastTask}` : `task ${t.task}`;
    const a = clamp(Math.max(t.start, free));
    const b = clamp(Math.max(a, t.end));
    free = b;
    spans.push(["task", name, a, b, { size: t.size, ok: t.ok }]);
    if (Number.isFinite(t.sent) && t.sent <= a) spans.push(["transfer", `${name}: arguments`, t.sent, a, {}]);
    if (Number.isFinite(t.received) && t.received >= b) spans.push(["transfer", `${name}: result`, b, t.received, {}]);
  }
  return spans;
}

/** The Chrome trace-event JSON object of `python` (a run's summary: `processes`, `totalS`). */
export function traceEvents(python) {
  const end = python.totalS ?? 0;
  const events = [];
  let asyncId = 0;
  python.processes.forEach((p, i) => {
    const pid = i + 1;
    events.push({ name: "process_name", ph: "M", pid, tid: 1, args: { name: p.name } });
    events.push({ name: "process_sort_index", ph: "M", pid, tid: 1, args: { sort_index: i } });
    events.push({ name: "thread_name", ph: "M", pid, tid: 1, args: { name: "life and tasks" } });
    events.push({ name: "thread_name", ph: "M", pid, tid: 2, args: { name: "transfers" } });
    const spans = spansOf(p, end);
    // The life track nests: start-up, then running holding the tasks. Complete events ("X",
    // a start and a duration), so a span of no length (an inline process's start-up on the
    // one-at-a-time rung, a task under a coarse clock) is as well formed as any; in time order,
    // the longer first at one instant (the enclosing span before what it holds).
    const life = spans
      .filter(([kind]) => kind !== "transfer")
      .map(([kind, name, a, b, args]) => ({
        name,
        cat: kind,
        ph: "X",
        pid,
        tid: 1,
        ts: us(a),
        dur: us(b) - us(a),
        args,
      }))
      .sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    events.push(...life);
    const transfers = spans
      .filter(([kind]) => kind === "transfer")
      .flatMap(([, name, a, b]) => {
        const id = ++asyncId;
        return [
          { name, cat: "transfer", ph: "b", id, pid, tid: 2, ts: us(a) },
          { name, cat: "transfer", ph: "e", id, pid, tid: 2, ts: us(b) },
        ];
      });
    events.push(...transfers.sort((x, y) => x.ts - y.ts)); // a stable sort: a span's end after its begin
  });
  return { traceEvents: events, displayTimeUnit: "ms", otherData: { source: "Speedup Lab, the python card" } };
}

/** The same spans as CSV rows: `{ columns, rows }` (one row per span, seconds since the run began). */
export function spanRows(python) {
  const end = python.totalS ?? 0;
  const rows = python.processes.flatMap((p) =>
    spansOf(p, end).map(([kind, name, a, b]) => [p.name, p.kind, kind, name, a.toFixed(6), b.toFixed(6)]),
  );
  return { columns: ["process", "process kind", "span", "name", "start (s)", "end (s)"], rows };
}
