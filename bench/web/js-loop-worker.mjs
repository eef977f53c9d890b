/**
 * The guide's naive perfect-number loop in plain JavaScript, in a Web Worker: the baseline a
 * web developer would write instead of Rust + wasm. Timed here, next to the work, exactly like
 * the wasm engines time theirs (`totalMs` from just before the loop to just after it).
 *
 * Message in: `{ n }`. Message out: `{ totalMs, results }` (the perfect numbers below n).
 */
function isPerfect(n) {
  let sum = 0;
  for (let d = 1; d < n; d++) {
    if (n % d === 0) sum += d;
  }
  return sum === n && n > 0;
}

self.addEventListener("message", ({ data }) => {
  const t0 = performance.now();
  const results = [];
  for (let k = 1; k < data.n; k++) {
    if (isPerfect(k)) results.push(k);
  }
  self.postMessage({ totalMs: performance.now() - t0, results });
});
