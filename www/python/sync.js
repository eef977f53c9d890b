/**
 * What the processes of one Python run share — `Queue`, `Pipe`, `Lock`, `RLock`, `Semaphore`,
 * `Event`, `Condition`, `Barrier`, `Value` and `Array` — held in one place, the page, which every
 * process can reach on every rung. A process asks (`{op, id, req, …}`) and, if the
 * answer cannot come yet (an empty queue, a held lock), waits for it the way it waits for a child
 * (blocking.js); the broker answers when it can, or when the request's timeout has passed.
 *
 * Values travel as the processes' own pickles (base64 text): the broker never reads them, so
 * anything CPython can pickle can be put in a queue. It is a pure module (no DOM, no Worker):
 * `tests/python-sync.test.mjs` drives it directly, and run-news.js wires it to the processes.
 *
 * `syncBroker({reply, later})`: `reply(process, {type: "reply", req, ok, value?, error?})` sends an
 * answer; `later(fn, ms)` → cancel() sets a timer (setTimeout in the page, a fake in tests).
 * `handle(process, message)` takes one request; `close()` drops every timer.
 *
 * This file is the broker itself — the objects by id, the waiters, the timers, the requests that
 * every kind answers alike — and each family of objects is a module of its own, made from the
 * broker's `core`: sync-locks.js (Lock, RLock, Semaphore, Condition), sync-queues.js (Queue, Pipe),
 * sync-events.js (Event, Barrier) and sync-values.js (Value, Array).
 */
import { eventFamily } from "./sync-events.js";
import { lockFamily } from "./sync-locks.js";
import { queueFamily } from "./sync-queues.js";
import { valueFamily } from "./sync-values.js";

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

  /** What every family of objects is made from. */
  const core = { objects, ok, fail, after, wait, wake, blocking, answered, ERRORS };
  const locks = lockFamily(core);
  const queues = queueFamily(core);
  const events = eventFamily(core);
  const values = valueFamily(core);
  const families = [queues, locks, events, values];
  /** Each kind of object, and the family that makes it. */
  const familyOf = new Map(families.flatMap((family) => family.kinds.map((kind) => [kind, family])));

  // --- the requests: each family's own, and those that more than one kind answers -------------
  const ops = {
    ...locks.ops,
    ...queues.ops,
    ...events.ops,
    ...values.ops,
    set: (o, who, m) => (o.kind === "event" ? events.set(o, who, m) : values.set(o, who, m)),
    wait(o, who, m) {
      if (o.kind === "event") return events.eventWait(o, who, m);
      if (o.kind === "condition") return locks.conditionWait(o, who, m);
      if (o.kind === "barrier") return events.barrierWait(o, who, m);
      fail(who, m.req, ERRORS.bad, "no wait on this object");
    },
    state: (o, who, m) => (o.kind === "barrier" ? events.state(o, who, m) : values.state(o, who, m)),
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
        return locks.reacquire(lock, who, sleeper.count, () => ok(who, m.req, null));
      }
      if (o.kind === "barrier" && o.arrived.some(mine)) events.breakBarrier(o);
      for (const list of [o.waiters, o.getters, o.putters, o.pollers, o.joiners]) {
        const at = list ? list.findIndex(mine) : -1;
        if (at >= 0) list.splice(at, 1)[0].cancel?.();
      }
      ok(who, m.req, null);
    },
  };

  function create(m) {
    if (!familyOf.has(m.kind) || objects.has(m.id) || objects.size >= MAX_OBJECTS) return false;
    const base = { kind: m.kind, waiters: [] };
    const n = (x, fallback) => (Number.isSafeInteger(x) ? x : fallback);
    if (!familyOf.get(m.kind).make(base, m, n)) return false;
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
        queues.hold(objects.get(m.id), m); // one more copy of a pipe's write end (no answer)
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
      for (const o of objects.values()) if (o.writers) queues.dropWriter(o, who, Number.POSITIVE_INFINITY);
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
