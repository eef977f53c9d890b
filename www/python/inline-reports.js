/**
 * The one-at-a-time rung on the page's side: there is no child Worker at all — the main program
 * runs each child itself (inline.py) and reports it as it goes (spawned, started, each pool chunk,
 * ended), so the run's summary and timeline hold the same records as on a parallel rung.
 *
 * `inlineReports(run)` for one run (session.js): the handler of the main program's reports.
 */
export function inlineReports(run) {
  const { emit, end, record, addTask } = run.records;
  const { at, byPid, pools } = run;
  /** One report `m` from the main program, sent at `t` (its clock, ms since the epoch). */
  return function inline(m, t) {
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
  };
}
