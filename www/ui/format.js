/** Number formatting shared by cards, charts and tests. */

/** "12.3 ms", "1.24 s", "2 min 3 s". */
export function ms(value) {
  if (!Number.isFinite(value)) return "–";
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 1000) return `${value.toFixed(1)} ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(2)} s`;
  return `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1000)} s`;
}

/** "−44.4 %": the guide's way of comparing two times (negative = faster than `base`). */
export function reduction(time, base) {
  const pct = ((time - base) / base) * 100;
  // Past +100 % a percentage stops reading well ("+354 499 %"): say how many times slower.
  if (pct > 100) return `${(time / base).toFixed(time / base < 10 ? 1 : 0)}× slower`;
  const sign = pct < 0 ? "−" : "+";
  return `${sign}${Math.abs(pct).toFixed(1)} %`;
}

/** "1.93×". */
export function times(x) {
  if (!Number.isFinite(x)) return "–";
  return x < 0.1 ? `${x.toPrecision(2)}×` : `${x.toFixed(2)}×`;
}

/** Digit groups with thin spaces: 20 000. */
export function int(n) {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
}

/** Time in units, e.g. "15.02 units". */
export function units(value, unitMs) {
  return `${(value / unitMs).toFixed(2)} units`;
}

/** A 32-bit checksum (XXH32) as 8 hex digits. */
export const hex = (crc) => (crc >>> 0).toString(16).padStart(8, "0");
