/**
 * The queue family of a run's shared objects (sync.js): `Queue`, `SimpleQueue`, `JoinableQueue`,
 * and each direction of a `Pipe` — a list of pickled items, with those waiting to put, to get, to
 * poll and to join. A pipe's direction also knows who holds its write end, so that its reader sees
 * EOF once every copy is closed.
 *
 * `queueFamily(core)`: `core` is the broker's (sync.js): its objects, answers, timers and waiters.
 */
export function queueFamily({ ok, fail, wait, wake, blocking, answered, ERRORS }) {
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
  /** One more copy of a pipe's write end, for process `m.for` (no answer). */
  function hold(o, m) {
    if (o?.writers && !o.writerClosed && typeof m.for === "string" && m.for.length <= 200) {
      o.writers.set(m.for, (o.writers.get(m.for) ?? 0) + 1);
    }
  }

  /** The requests only this family answers. */
  const ops = {
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
  };

  /** A new queue from its `new` message `m` onto `base`. */
  function make(base, m, n) {
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
    return true;
  }

  return { kinds: ["queue"], ops, make, dropWriter, hold };
}
