/**
 * Small statistics for the benchmark: every figure is the median of several runs (robust to one
 * run disturbed by something else on the machine), shown with its range so noise is visible.
 */

/** The median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A measured row: its runs (ms) and their median, min and max. */
export function summarize(runs) {
  return { runs, medianMs: median(runs), minMs: Math.min(...runs), maxMs: Math.max(...runs) };
}

/** The perfect numbers below `n` (OEIS A000396; the next one, 33 550 336, is far beyond any N here). */
export function perfectBelow(n) {
  return [6, 28, 496, 8128, 33_550_336].filter((p) => p < n);
}

/** Throw unless `results` are exactly the perfect numbers below `n`: a wrong answer is not a benchmark. */
export function checkPerfect(what, n, results) {
  const want = perfectBelow(n);
  if (JSON.stringify(results) !== JSON.stringify(want)) {
    throw new Error(`${what} found ${JSON.stringify(results)} below ${n}, expected ${JSON.stringify(want)}.`);
  }
}
