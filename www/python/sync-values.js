/**
 * The values of a run's shared objects (sync.js): `Value` and `Array` where the page has no shared
 * memory for them (_block.py), kept as a list the processes read and write in slices.
 *
 * `valueFamily(core)`: `core` is the broker's (sync.js): its answers.
 */
export function valueFamily({ ok, fail, ERRORS }) {
  /** Write `m.values` from index `m.start` on. */
  function set(o, who, m) {
    if (Array.isArray(m.values) && Number.isSafeInteger(m.start) && m.start >= 0) {
      if (m.start + m.values.length > o.values.length) return fail(who, m.req, ERRORS.bad, "index out of range");
      o.values.splice(m.start, m.values.length, ...m.values);
    } else return fail(who, m.req, ERRORS.bad, "bad values");
    ok(who, m.req, null);
  }
  /** Every value. */
  const state = (o, who, m) => ok(who, m.req, o.values);

  /** The requests only this family answers. */
  const ops = {
    get_values(o, who, m) {
      const start = Number.isSafeInteger(m.start) ? m.start : 0;
      const stop = Number.isSafeInteger(m.stop) ? m.stop : o.values.length;
      ok(who, m.req, o.values.slice(start, stop));
    },
  };

  /** A new store from its `new` message `m` onto `base`; false if `m` is not valid. */
  function make(base, m) {
    if (!Array.isArray(m.values) || m.values.length > 1e7) return false;
    base.values = m.values.slice();
    return true;
  }

  return { kinds: ["store"], ops, make, set, state };
}
