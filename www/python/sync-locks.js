/**
 * The lock family of a run's shared objects (sync.js): `Lock`, `RLock`, `Semaphore` and
 * `BoundedSemaphore` — one counter, and an owner for RLock — and `Condition`, which waits by
 * releasing its lock and taking it back. Together because a Condition's wait is made of the
 * lock's own release and acquire.
 *
 * `lockFamily(core)`: `core` is the broker's (sync.js): its objects, answers, timers and waiters.
 */
export function lockFamily({ objects, ok, fail, after, wait, wake, blocking, answered, ERRORS }) {
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

  /** The requests only this family answers. */
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
    notify(o, who, m) {
      const n = m.all ? o.sleepers.length : Math.max(0, Number(m.n) || 0);
      for (const sleeper of o.sleepers.splice(0, n)) sleeper.wake(true);
      ok(who, m.req, null);
    },
  };

  /** A new object of this family from its `new` message `m` onto `base`; false if `m` is not valid. */
  function make(base, m, n) {
    switch (m.kind) {
      case "lock":
      case "semaphore":
        base.value = m.kind === "lock" ? 1 : Math.max(0, n(m.value, 1));
        base.max = m.kind === "lock" ? 1 : Number.isSafeInteger(m.max) ? m.max : null;
        if (m.kind === "lock") Object.assign(base, { kind: "semaphore", lock: true, holder: null });
        return true;
      case "rlock":
        Object.assign(base, { owner: null, count: 0 });
        return true;
      case "condition":
        if (typeof m.lock !== "string" || !objects.has(m.lock)) return false;
        Object.assign(base, { lock: m.lock, sleepers: [] });
        return true;
    }
    return false;
  }

  return { kinds: ["lock", "rlock", "semaphore", "condition"], ops, make, conditionWait, reacquire };
}
