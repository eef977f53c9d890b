/**
 * What the processes of one Python run share — `Queue`, `Pipe`, `Lock`, `RLock`, `Semaphore`,
 * `Event`, `Condition`, `Barrier`, `Value` and `Array` — held in one place, the page, which every
 * process can reach on every rung. A process asks (`{op, id, req, …}`) and, if the
 * answer cannot come yet (an empty queue, a held lock), waits for it the way it waits for a child
 * (blocking.js); the broker answers when it can, or when the request's timeout has passed.
 *
 * Values travel as the processes' own pickles (base64 text): the broker never reads them, so
 * anything CPython can pickle can be put in a queue. It is a pure module (no DOM, no Worker):
 * `tests/python-sync.test.mjs` drives it directly, and session.js wires it to the processes.
 *
 * `syncBroker({reply, later})`: `reply(process, {type: "reply", req, ok, value?, error?})` sends an
 * answer; `later(fn, ms)` → cancel() sets a timer (setTimeout in the page, a fake in tests).
 * `handle(process, message)` takes one request; `close()` drops every timer.
 */

/** CPython's names for what a request can end in, which the Python side turns into exceptions. */
export const ERRORS = {
  empty: "Empty",
  full: "Full",
  eof: "EOFError",
  closed: "OSError",
  overReleased: "ValueError",
  notOwner: "AssertionError",
  broken: "BrokenBarrierError",
  notFound: "KeyError",
  bad: "ValueError",
};

const KINDS = ["queue", "lock", "rlock", "semaphore", "event", "condition", "barrier", "store"];
/** At most this many shared objects in one run (each is a few hundred bytes on the page). */
export const MAX_OBJECTS = 100_000;

export function syncBroker({ reply, later }) {
  const objects = new Map();
  const timers = new Set();
  const ok = (who, req, value) => reply(who, { type: "reply", req, ok: true, value });
  const fail = (who, req, error, message = "") => reply(who, { type: "reply", req, ok: false, error, message });
  /**
   * `fn` after `seconds`, as one of the broker's timers: the stop it returns may be called any
   * number of times (after the timer fired too), and close() stops those still pending.
   */
  const after = (seconds, fn) => {
    const cancel = later(() => {
      timers.delete(stop);
      fn();
    }, seconds * 1000);
    const stop = () => {
      timers.delete(stop);
      cancel();
    };
    timers.add(stop);
    return stop;
  };

  /**
   * A request that cannot be answered yet: `tryNow()` answers it and returns true when it can;
   * `onTimeout()` answers it when its time is up. Returns the waiter, kept in `list`.
   */
  function wait(list, who, req, timeout, tryNow, onTimeout) {
    const waiter = { who, req, tryNow, cancel: null };
    if (typeof timeout === "number" && timeout >= 0) {
      waiter.cancel = after(timeout, () => {
        const at = list.indexOf(waiter);
        if (at < 0) return;
        list.splice(at, 1);
        onTimeout();
      });
    }
    list.push(waiter);
    return waiter;
  }
  /** Answer, first come first served, every waiter of `list` that can be answered now. */
  function wake(list) {
    for (let i = 0; i < list.length; ) {
      const w = list[i];
      if (w.tryNow()) {
        list.splice(i, 1);
        w.cancel?.();
      } else i++;
    }
  }
  const blocking = (m) => m.block !== false;
  /** For a waiter's `tryNow`: answer `req` with `value` and say it was answered. */
  const answered = (who, req, value) => {
    ok(who, req, value);
    return true;
  };

  // --- locks and semaphores: one counter, an owner for RLock ----------------------------------
  function tryAcquire(o, who) {
    if (o.kind === "rlock") {
      if (o.owner === who) {
        o.count++;
        return true;
      }
      if (o.owner !== null) return false;
      o.owner = who;
      o.count = 1;
      return true;
    }
    if (o.value <= 0) return false;
    o.value--;
    if (o.lock) o.holder = who;
    return true;
  }
  function release(o, who) {
    if (o.kind === "rlock") {
      if (o.owner !== who) return ERRORS.notOwner;
      if (--o.count === 0) o.owner = null;
    } else {
      if (o.max !== null && o.value >= o.max) return ERRORS.overReleased;
      o.value++;
      if (o.lock) o.holder = null;
    }
    wake(o.waiters);
    return null;
  }
  function acquire(o, who, m) {
    if (tryAcquire(o, who)) return ok(who, m.req, true);
    if (!blocking(m)) return ok(who, m.req, false);
    wait(
      o.waiters,
      who,
      m.req,
      m.timeout,
      () => tryAcquire(o, who) && answered(who, m.req, true),
      () => ok(who, m.req, false),
    );
  }
  /** A lock as a Condition waits on it: released whatever its count, the count kept to restore. */
  function releaseAll(o, who) {
    if (o.kind === "rlock") {
      if (o.owner !== who) return null;
      const count = o.count;
      o.owner = null;
      o.count = 0;
      wake(o.waiters);
      return count;
    }
    if (release(o, who)) return null;
    return 1;
  }
  function reacquire(o, who, count, then) {
    const take = () => {
      if (!tryAcquire(o, who)) return false;
      if (o.kind === "rlock") o.count = count;
      then();
      return true;
    };
    if (!take()) wait(o.waiters, who, null, null, take, () => {});
  }

  // --- queues (Queue, SimpleQueue, JoinableQueue, and each direction of a Pipe) --------------
  function tryPut(o, m, who) {
    if (o.maxsize > 0 && o.items.length >= o.maxsize) return false;
    o.items.push(m.item);
    o.unfinished++;
    ok(who, m.req, null);
    wake(o.getters);
    wake(o.pollers);
    return true;
  }
  function tryGet(o, m, who) {
    if (!o.items.length) {
      if (o.writerClosed) {
        fail(who, m.req, ERRORS.eof);
        return true;
      }
      return false;
    }
    ok(who, m.req, o.items.shift());
    wake(o.putters);
    wake(o.pollers);
    return true;
  }
  function tryPoll(o, m, who) {
    if (!o.items.length && !o.writerClosed) return false;
    ok(who, m.req, true);
    return true;
  }

  /**
   * A pipe's write end is open while some process holds a copy: its creator, and each process it
   * was handed to (`hold`, sent as the end is pickled for that process, as CPython duplicates the
   * handle then). Its reader sees EOF only once every copy is closed — by close(), or by the
   * holder's end (`ended`).
   */
  function dropWriter(o, who, n) {
    if (!o.writers?.has(who)) return;
    const left = o.writers.get(who) - n;
    if (left > 0) o.writers.set(who, left);
    else o.writers.delete(who);
    if (o.writers.size === 0) {
      o.writerClosed = true;
      wake(o.getters);
      wake(o.pollers);
    }
  }

  // --- the requests ----------------------------------------------------------------------------
  const ops = {
    acquire: (o, who, m) => acquire(o, who, m),
    release(o, who, m) {
      const error = release(o, who);
      if (error) {
        const text =
          error === ERRORS.notOwner
            ? "attempt to release recursive lock not owned by thread"
            : "semaphore or lock released too many times";
        return fail(who, m.req, error, text);
      }
      ok(who, m.req, null);
    },
    value: (o, who, m) => ok(who, m.req, o.value),
    owned: (o, who, m) => ok(who, m.req, o.kind === "rlock" ? o.owner === who : o.value === 0),
    /** Who holds a Lock or RLock, and how many times (for their reprs): {holder, count}. */
    holder: (o, who, m) =>
      ok(
        who,
        m.req,
        o.kind === "rlock" ? { holder: o.owner, count: o.count } : { holder: o.holder ?? null, count: 1 - o.value },
      ),
    put(o, who, m) {
      if (o.writers && !o.writers.has(who)) return fail(who, m.req, ERRORS.closed, "handle is closed");
      if (tryPut(o, m, who)) return;
      if (!blocking(m)) return fail(who, m.req, ERRORS.full);
      wait(
        o.putters,
        who,
        m.req,
        m.timeout,
        () => tryPut(o, m, who),
        () => fail(who, m.req, ERRORS.full),
      );
    },
    get(o, who, m) {
      if (tryGet(o, m, who)) return;
      if (!blocking(m)) return fail(who, m.req, ERRORS.empty);
      wait(
        o.getters,
        who,
        m.req,
        m.timeout,
        () => tryGet(o, m, who),
        () => fail(who, m.req, ERRORS.empty),
      );
    },
    poll(o, who, m) {
      if (tryPoll(o, m, who)) return;
      if (!(m.timeout > 0) && m.timeout !== null) return ok(who, m.req, false);
      wait(
        o.pollers,
        who,
        m.req,
        m.timeout,
        () => tryPoll(o, m, who),
        () => ok(who, m.req, false),
      );
    },
    qsize: (o, who, m) => ok(who, m.req, o.items.length),
    "close-writer"(o, who, m) {
      dropWriter(o, who, 1);
      ok(who, m.req, null);
    },
    "task-done"(o, who, m) {
      if (o.unfinished <= 0) return fail(who, m.req, ERRORS.overReleased, "task_done() called too many times");
      o.unfinished--;
      wake(o.joiners);
      ok(who, m.req, null);
    },
    join(o, who, m) {
      const done = () => o.unfinished === 0 && answered(who, m.req, null);
      if (!done()) wait(o.joiners, who, m.req, null, done, () => {});
    },
    set(o, who, m) {
      if (o.kind === "event") {
        o.flag = true;
        wake(o.waiters);
      } else if (Array.isArray(m.values) && Number.isSafeInteger(m.start) && m.start >= 0) {
        if (m.start + m.values.length > o.values.length) return fail(who, m.req, ERRORS.bad, "index out of range");
        o.values.splice(m.start, m.values.length, ...m.values);
      } else return fail(who, m.req, ERRORS.bad, "bad values");
      ok(who, m.req, null);
    },
    clear(o, who, m) {
      o.flag = false;
      ok(who, m.req, null);
    },
    "is-set": (o, who, m) => ok(who, m.req, o.flag),
    wait(o, who, m) {
      if (o.kind === "event") {
        if (o.flag) return ok(who, m.req, true);
        if (m.timeout === 0) return ok(who, m.req, false);
        return wait(
          o.waiters,
          who,
          m.req,
          m.timeout,
          () => o.flag && answered(who, m.req, true),
          () => ok(who, m.req, false),
        );
      }
      if (o.kind === "condition") return conditionWait(o, who, m);
      if (o.kind === "barrier") return barrierWait(o, who, m);
      fail(who, m.req, ERRORS.bad, "no wait on this object");
    },
    notify(o, who, m) {
      const n = m.all ? o.sleepers.length : Math.max(0, Number(m.n) || 0);
      for (const sleeper of o.sleepers.splice(0, n)) sleeper.wake(true);
      ok(who, m.req, null);
    },
    go(o, who, m) {
      for (const [i, w] of o.held.splice(0).entries()) ok(w.who, w.req, i);
      ok(who, m.req, null);
    },
    abort(o, who, m) {
      breakBarrier(o);
      ok(who, m.req, null);
    },
    /**
     * The process stopped waiting for its request `m.of` (a signal's handler raised in it, as
     * KeyboardInterrupt ends a wait in CPython): forget that waiter. A Condition's waiter gets
     * its lock back first (CPython's wait() re-acquires it in `finally`); a Barrier breaks, as
     * threading's does when a wait ends in an exception. Answered once done.
     */
    abandon(o, who, m) {
      const mine = (w) => w.who === who && w.req === m.of;
      const sleeper = o.sleepers?.find(mine);
      if (sleeper) {
        o.sleepers.splice(o.sleepers.indexOf(sleeper), 1);
        sleeper.cancel?.();
        const lock = objects.get(o.lock);
        sleeper.done = true;
        return reacquire(lock, who, sleeper.count, () => ok(who, m.req, null));
      }
      if (o.kind === "barrier" && o.arrived.some(mine)) breakBarrier(o);
      for (const list of [o.waiters, o.getters, o.putters, o.pollers, o.joiners]) {
        const at = list ? list.findIndex(mine) : -1;
        if (at >= 0) list.splice(at, 1)[0].cancel?.();
      }
      ok(who, m.req, null);
    },
    reset(o, who, m) {
      breakBarrier(o);
      o.broken = false;
      ok(who, m.req, null);
    },
    state: (o, who, m) =>
      ok(who, m.req, o.kind === "barrier" ? { waiting: o.arrived.length, broken: o.broken } : o.values),
    get_values(o, who, m) {
      const start = Number.isSafeInteger(m.start) ? m.start : 0;
      const stop = Number.isSafeInteger(m.stop) ? m.stop : o.values.length;
      ok(who, m.req, o.values.slice(start, stop));
    },
  };

  function conditionWait(o, who, m) {
    const lock = objects.get(o.lock);
    const count = lock && releaseAll(lock, who);
    if (!count) return fail(who, m.req, ERRORS.bad, "cannot wait on un-acquired lock");
    const sleeper = {
      who,
      req: m.req,
      count,
      wake(notified) {
        if (sleeper.done) return;
        sleeper.done = true;
        sleeper.cancel?.();
        reacquire(lock, who, count, () => ok(who, m.req, notified));
      },
    };
    if (typeof m.timeout === "number" && m.timeout >= 0) {
      sleeper.cancel = after(m.timeout, () => {
        const at = o.sleepers.indexOf(sleeper);
        if (at >= 0) o.sleepers.splice(at, 1);
        sleeper.wake(false);
      });
    }
    o.sleepers.push(sleeper);
  }

  function breakBarrier(o) {
    o.broken = true;
    for (const w of [...o.arrived.splice(0), ...o.held.splice(0)]) {
      w.cancel?.();
      fail(w.who, w.req, ERRORS.broken);
    }
  }
  function barrierWait(o, who, m) {
    if (o.broken) return fail(who, m.req, ERRORS.broken);
    const index = o.arrived.length;
    if (index + 1 === o.parties) {
      // The last one: everyone goes, each with its arrival index (CPython's `wait()` return). With
      // an action, as CPython's, the last one runs it first and the others go when it says
      // `go` (or all break, if the action raised: `abort`).
      const all = o.arrived.splice(0);
      for (const w of all) w.cancel?.();
      if (m.action) o.held = all;
      else for (const [i, w] of all.entries()) ok(w.who, w.req, i);
      return ok(who, m.req, index);
    }
    const waiter = { who, req: m.req, cancel: null };
    const timeout = typeof m.timeout === "number" ? m.timeout : o.timeout;
    if (typeof timeout === "number" && timeout >= 0) {
      waiter.cancel = after(timeout, () => {
        if (o.arrived.includes(waiter)) breakBarrier(o);
      });
    }
    o.arrived.push(waiter);
  }

  function create(m) {
    if (!KINDS.includes(m.kind) || objects.has(m.id) || objects.size >= MAX_OBJECTS) return false;
    const base = { kind: m.kind, waiters: [] };
    const n = (x, fallback) => (Number.isSafeInteger(x) ? x : fallback);
    switch (m.kind) {
      case "queue":
        Object.assign(base, {
          items: [],
          maxsize: Math.max(0, n(m.maxsize, 0)),
          unfinished: 0,
          writerClosed: false,
          // A pipe's direction: who holds its write end, and how many copies (see dropWriter).
          writers: typeof m.writer === "string" ? new Map([[m.writer, 1]]) : null,
          getters: [],
          putters: [],
          pollers: [],
          joiners: [],
        });
        break;
      case "lock":
      case "semaphore":
        base.value = m.kind === "lock" ? 1 : Math.max(0, n(m.value, 1));
        base.max = m.kind === "lock" ? 1 : Number.isSafeInteger(m.max) ? m.max : null;
        if (m.kind === "lock") Object.assign(base, { kind: "semaphore", lock: true, holder: null });
        break;
      case "rlock":
        Object.assign(base, { owner: null, count: 0 });
        break;
      case "event":
        base.flag = false;
        break;
      case "condition":
        if (typeof m.lock !== "string" || !objects.has(m.lock)) return false;
        Object.assign(base, { lock: m.lock, sleepers: [] });
        break;
      case "barrier":
        if (!(n(m.parties, 0) >= 1)) return false;
        Object.assign(base, {
          parties: m.parties,
          timeout: typeof m.timeout === "number" ? m.timeout : null,
          arrived: [],
          held: [],
          broken: false,
        });
        break;
      case "store":
        if (!Array.isArray(m.values) || m.values.length > 1e7) return false;
        base.values = m.values.slice();
        break;
    }
    objects.set(m.id, base);
    return true;
  }

  return {
    /** One message from `who` (a process's name): `new` (no answer) or a request (one answer). */
    handle(who, m) {
      if (typeof m?.id !== "string" || m.id.length > 200) return;
      if (m.op === "new") {
        create(m);
        return;
      }
      if (m.op === "hold") {
        // One more copy of a pipe's write end, for process `m.for` (no answer).
        const o = objects.get(m.id);
        if (o?.writers && !o.writerClosed && typeof m.for === "string" && m.for.length <= 200) {
          o.writers.set(m.for, (o.writers.get(m.for) ?? 0) + 1);
        }
        return;
      }
      if (!Number.isSafeInteger(m.req)) return;
      const o = objects.get(m.id);
      const op = Object.hasOwn(ops, m.op) ? ops[m.op] : null;
      if (!o || !op) return fail(who, m.req, ERRORS.notFound, `no shared object ${m.id} for ${m.op}`);
      op(o, who, m);
    },
    /** Process `who` has ended: every pipe end it held is closed, as at a process's exit. */
    ended(who) {
      for (const o of objects.values()) if (o.writers) dropWriter(o, who, Number.POSITIVE_INFINITY);
    },
    close() {
      for (const cancel of timers) cancel();
      timers.clear();
      objects.clear();
    },
    get size() {
      return objects.size;
    },
  };
}
