/**
 * Deadlines said and read one way. Why it exists: the engine's boot (boot-deadline.js) and a
 * process's spawn (bridge.js) each have a deadline that a page or a test may shorten, and each
 * names it in its error; written once, an override is read alike and a deadline reads alike
 * ("20 s", "500 ms") in every message.
 */

/** `wanted` as a number of ms when it is a positive finite number, else `fallback`. */
export function deadlineOr(wanted, fallback) {
  const ms = Number(wanted);
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

/** A deadline in words: whole seconds from 1 s ("20 s"), else whole ms ("500 ms"). */
export function deadlineText(ms) {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`;
}
