/**
 * Small statistics for the benchmark: every figure is the median of several runs (robust to one
 * run disturbed by something else on the machine), shown with its range so noise is visible.
 * The median and the perfect numbers are the lessons' own (www/lessons/common.js), so the
 * benchmark and the cards compute them alike.
 */
import { median as medianOf, perfectBelow } from "../www/lessons/common.js";

/** The median of a non-empty list of numbers (no values is an error here, not NaN). */
export function median(values) {
  if (values.length === 0) throw new Error("median of no values");
  return medianOf(values);
}

/** A measured row: its runs (ms) and their median, min and max. */
export function summarize(runs) {
  return { runs, medianMs: median(runs), minMs: Math.min(...runs), maxMs: Math.max(...runs) };
}

/** Throw unless `results` are exactly the perfect numbers below `n`: a wrong answer is not a benchmark. */
export function checkPerfect(what, n, results) {
  const want = perfectBelow(n);
  if (JSON.stringify(results) !== JSON.stringify(want)) {
    throw new Error(`${what} found ${JSON.stringify(results)} below ${n}, expected ${JSON.stringify(want)}.`);
  }
}
