// The python card's trace export (www/python/trace-events.js): valid Chrome trace-event JSON that
// Perfetto and Chrome's tracing page open — one process per process of the run, every begin with
// its end on its own track in order, every async transfer closed, times monotonic on each track —
// and the same spans as CSV rows. Perfetto's trace processor cannot be had from the registries
// here (its Python package downloads the binary from Google at run time), so this is the schema
// check the issue allows instead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { spanRows, traceEvents } from "../www/python/trace-events.js";

/** A run as session.js summarises it: a main program, a Process, and a Pool(2) whose chunks overlap their transfers. */
const RUN = {
  totalS: 3.2,
  processes: [
    { name: "MainProcess", kind: "main", spawned: 0, booted: 0.4, started: 0.4, ended: 3.2, exitcode: 0, tasks: [] },
    {
      name: "Process-1",
      kind: "process",
      spawned: 0.5,
      booted: 0.8,
      started: 0.81,
      ended: 1.9,
      exitcode: 0,
      tasks: [],
    },
    {
      name: "SpawnPoolWorker-1",
      kind: "pool",
      spawned: 1.0,
      booted: 1.3,
      started: 1.3,
      ended: 3.0,
      exitcode: -15,
      tasks: [
        // a batch of two chunks sent at once: the second's arguments wait while the first runs
        { task: 1, lastTask: 4, size: 4, start: 1.31, end: 1.8, ok: true, sent: 1.305, received: 1.81 },
        { task: 9, size: 1, start: 1.8, end: 2.2, ok: true, sent: 1.305, received: 2.21 },
        // its clock a hair behind: starts before the last one ended, and before the process started
        { task: 10, size: 1, start: 2.1999, end: 2.9, ok: false, sent: 2.19, received: 2.95 },
      ],
    },
    {
      name: "SpawnPoolWorker-2",
      kind: "pool",
      spawned: 1.0,
      booted: null,
      started: null,
      ended: 3.0,
      exitcode: null,
      tasks: [],
    },
  ],
};

test("the trace is JSON a trace viewer reads: one process each, spans nested, async spans closed", () => {
  const trace = JSON.parse(JSON.stringify(traceEvents(RUN)));
  assert.equal(trace.displayTimeUnit, "ms");
  const events = trace.traceEvents;
  const names = events.filter((e) => e.ph === "M" && e.name === "process_name").map((e) => [e.pid, e.args.name]);
  assert.deepEqual(
    names,
    RUN.processes.map((p, i) => [i + 1, p.name]),
    "one process per process, in order",
  );
  const last = new Map();
  const open = new Map();
  const held = new Map(); // per track: the enclosing complete spans still open at this point
  for (const e of events.filter((x) => x.ph !== "M")) {
    assert.ok(Number.isInteger(e.ts) && e.ts >= 0, `µs from the run's start: ${JSON.stringify(e)}`);
    const track = `${e.pid}/${e.tid}`;
    assert.ok(e.ts >= (last.get(track) ?? 0), `time runs forward on ${track}: ${JSON.stringify(e)}`);
    last.set(track, e.ts);
    if (e.ph === "X") {
      assert.ok(Number.isInteger(e.dur) && e.dur >= 0, `a complete span has its length: ${JSON.stringify(e)}`);
      // properly nested: a span that starts inside an open one ends inside it too
      const stack = (held.get(track) ?? []).filter((o) => o.ts + o.dur > e.ts || (o.dur === 0 && o.ts === e.ts));
      const outer = stack.at(-1);
      if (outer && e.ts < outer.ts + outer.dur)
        assert.ok(e.ts + e.dur <= outer.ts + outer.dur, `${e.name} inside ${outer.name}`);
      held.set(track, [...stack, e]);
    }
    if (e.ph === "b") open.set(e.id, e);
    if (e.ph === "e") {
      assert.equal(open.get(e.id)?.name, e.name, "an async end has its begin");
      open.delete(e.id);
    }
  }
  assert.equal(open.size, 0, "every transfer ends");
  // what is there: start-up and running per booted process, each chunk, each transfer
  const on = (pid, ph) => events.filter((e) => e.pid === pid && e.ph === ph).map((e) => e.name);
  assert.deepEqual(on(3, "X"), ["start-up", "running", "tasks 1–4", "task 9", "task 10"]);
  assert.equal(on(3, "b").length, 6, "arguments and result of each of the three chunks");
  assert.deepEqual(on(4, "X"), [], "a pool worker that never booted has no span");
  // an inline process of the one-at-a-time rung: booted = started = spawned, a start-up of no length
  const inline = traceEvents({ totalS: 1, processes: [{ ...RUN.processes[1], booted: 0.5, started: 0.5 }] });
  const spans = inline.traceEvents.filter((e) => e.ph === "X");
  assert.deepEqual(
    spans.map((e) => [e.name, e.ts, e.dur]),
    [
      ["running", 500000, 1400000],
      ["start-up", 500000, 0],
    ],
    "the enclosing span first at one instant; a span of no length is still one",
  );
});

test("the same spans as CSV rows, seconds since the run began", () => {
  const { columns, rows } = spanRows(RUN);
  assert.deepEqual(columns, ["process", "process kind", "span", "name", "start (s)", "end (s)"]);
  assert.deepEqual(rows[0], ["MainProcess", "main", "life", "start-up", "0.000000", "0.400000"]);
  assert.equal(rows.filter((r) => r[2] === "transfer").length, 6);
  for (const r of rows) assert.ok(Number(r[5]) >= Number(r[4]), `a span ends after it starts: ${r}`);
});
