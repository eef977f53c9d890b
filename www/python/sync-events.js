/**
 * The family of a run's shared objects (sync.js) that processes wait on for one another: `Event`
 * (a flag: every waiter goes once it is set) and `Barrier` (all go once `parties` have arrived,
 * each with its arrival index; broken by a timeout, an abort or a reset, as threading's).
 *
 * `eventFamily(core)`: `core` is the broker's (sync.js): its objects, answers, timers and waiters.
 */
export function eventFamily({ ok, fail, after, wait, wake, answered, ERRORS }) {
  function eventWait(o, who, m) {
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
  /** Set an Event: every process waiting on it goes. */
  function set(o, who, m) {
    o.flag = true;
    wake(o.waiters);
    ok(who, m.req, null);
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
  /** A Barrier's state (for its `n_waiting` and `broken`). */
  const state = (o, who, m) => ok(who, m.req, { waiting: o.arrived.length, broken: o.broken });

  /** The requests only this family answers. */
  const ops = {
    clear(o, who, m) {
      o.flag = false;
      ok(who, m.req, null);
    },
    "is-set": (o, who, m) => ok(who, m.req, o.flag),
    go(o, who, m) {
      for (const [i, w] of o.held.splice(0).entries()) ok(w.who, w.req, i);
      ok(who, m.req, null);
    },
    abort(o, who, m) {
      breakBarrier(o);
      ok(who, m.req, null);
    },
    reset(o, who, m) {
      breakBarrier(o);
      o.broken = false;
      ok(who, m.req, null);
    },
  };

  /** A new Event or Barrier from its `new` message `m` onto `base`; false if `m` is not valid. */
  function make(base, m, n) {
    if (m.kind === "event") {
      base.flag = false;
      return true;
    }
    if (!(n(m.parties, 0) >= 1)) return false;
    Object.assign(base, {
      parties: m.parties,
      timeout: typeof m.timeout === "number" ? m.timeout : null,
      arrived: [],
      held: [],
      broken: false,
    });
    return true;
  }

  return { kinds: ["event", "barrier"], ops, make, set, eventWait, barrierWait, breakBarrier, state };
}
