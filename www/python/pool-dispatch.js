/**
 * The pools of a Python run, kept on the page: each pool's first-in, first-out queue of chunks,
 * its workers (children.js starts them), and the dispatcher that hands the chunks to whichever
 * worker is free — in batches while many wait — and sends their results to the main program.
 *
 * Why on the page, not in the main program: the main program blocks while it waits for results,
 * so it cannot hand out chunks; the page can, as soon as a worker is idle. It also replaces a
 * worker that has run its `maxtasksperchild`, and says so when one ends abruptly (CPython's Pool
 * would wait forever). `poolDispatcher(run)` for one run (session.js).
 */
import { exitcodeOf } from "./children.js";
import { MAIN_PID, MAX_PROCESSES } from "./messages.js";
import { chunkFacts } from "./run-records.js";

/** At most this many chunks handed to one pool worker in one message (see dispatch). */
const MAX_BATCH = 64;

export function poolDispatcher(run) {
  const { end, record, addTask } = run.records;
  const { tell } = run.news;
  let poolWorkerCount = 0;

  function startPool({ pool: id, processes: n, init, maxtasks, names = [], pids = [] }) {
    const pool = { id, queue: [], head: 0, idle: [], members: [], closed: false, ended: false, init, maxtasks };
    run.pools.set(id, pool);
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
    while (!name && run.byName.has(`SpawnPoolWorker-${k}`)) k++;
    const proc = record(name ?? `SpawnPoolWorker-${k}`, "pool");
    const ospid = pid ?? MAIN_PID + MAX_PROCESSES + poolWorkerCount;
    if (replacing) {
      const index = pool.members.indexOf(replacing);
      pool.members[index] = proc;
      // The main program's Pool._pool lists the new one in its place (CPython's _repopulate_pool).
      tell({ type: "pool-member", pool: pool.id, index, name: proc.name, pid: ospid });
    } else pool.members.push(proc);
    proc.tasksDone = 0;
    run.children.startChild(
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
      const sent = run.sinceStart();
      proc.busy = true;
      proc.child.request("tasks", { payloads: batch.map((t) => t.payload) }).then(
        (replies) => {
          proc.busy = false;
          const received = run.sinceStart();
          const results = [];
          batch.forEach((task, i) => {
            const reply = replies[i] ?? { ok: false, t0: 0, t1: 0 };
            addTask(proc, {
              task: task.task,
              size: task.size,
              start: run.at(reply.t0),
              end: run.at(reply.t1),
              ok: reply.ok,
              sent, // handed to this worker, and its result back, on the page's clock
              received,
              ...chunkFacts(task, reply, run.at),
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
    run.slots.unblock();
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

  return { startPool, dispatch, endPool };
}
