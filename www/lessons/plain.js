/**
 * Plain words for a card's answer sentence (`lesson.answer`): how a beginner says a ratio of
 * two times, without the "×" the details use.
 */

import { int } from "../ui/format.js";

/** One decimal, or none from 10 on: "1.9", "12", "21 212". */
const one = (x) => (x < 10 ? x.toFixed(1) : int(x));

/**
 * A verb phrase saying how a time compares with `than`'s: "ran 1.9 times as fast as the loop",
 * "ran about as fast as the loop", "took 3.2 times as long as the loop". `gain` is than's time ÷
 * this time (a speedup).
 */
export function asFast(gain, than) {
  if (!Number.isFinite(gain) || gain <= 0) return `was not compared with ${than}`;
  if (gain >= 1.05) return `ran ${one(gain)} times as fast as ${than}`;
  if (gain > 1 / 1.05) return `ran about as fast as ${than}`;
  return `took ${one(1 / gain)} times as long as ${than}`;
}

/** "1 worker", "2 workers". */
export const count = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "6, 28 and 496". */
export function list(items) {
  const xs = items.map(String);
  return xs.length < 2 ? (xs[0] ?? "none") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;
}
