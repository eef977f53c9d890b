/**
 * Ratios and the targets of issues 5 and 11. Every ratio divides two medians measured in this very run
 * (never a figure from another day or machine), and names the two rows it divides, so a reader —
 * or tests/browser/bench.test.mjs — can recompute it from the JSON.
 */

/** [id, what it says, numerator row, denominator row]. */
const RATIOS = [
  [
    "wasm-vs-native",
    "wasm sequential ÷ native sequential (1 = as fast as native)",
    "wasm-sequential",
    "native-sequential",
  ],
  [
    "plain-vs-threads-build",
    "wasm sequential: plain build ÷ threads build",
    "wasm-plain-sequential",
    "wasm-sequential",
  ],
  ["speedup-native-pool-map", "speedup, native pool-map (sequential ÷ pool)", "native-sequential", "native-pool-map"],
  ["speedup-native-work-stealing", "speedup, native work-stealing", "native-sequential", "native-work-stealing"],
  ["speedup-threads-pool-map", "speedup, wasm threads pool-map", "wasm-sequential", "wasm-threads-pool-map"],
  [
    "speedup-threads-work-stealing",
    "speedup, wasm threads work-stealing",
    "wasm-sequential",
    "wasm-threads-work-stealing",
  ],
  [
    "speedup-processes-pool-map",
    "speedup, wasm processes pool-map (against the plain build's loop)",
    "wasm-plain-sequential",
    "wasm-processes-pool-map",
  ],
  ["wasm-vs-js", "wasm sequential ÷ plain JS loop (below 1: wasm is faster)", "wasm-sequential", "js-loop"],
  ["python-loop-vs-wasm", "CPython loop ÷ wasm sequential", "python-loop", "wasm-sequential"],
  ["python-pool-vs-wasm-pool", "CPython Pool ÷ wasm threads pool-map", "python-pool", "wasm-threads-pool-map"],
  [
    "python-pool-vs-wasm-lanes",
    "beyond the guide: CPython Pool ÷ wasm work-stealing + SIMD lanes",
    "python-pool",
    "wasm-threads-work-stealing-lanes",
  ],
  [
    "wasm-lanes-vs-native-limit",
    "beyond the guide: wasm lanes ÷ native lanes (target-cpu=native), one thread (1 = at the native limit)",
    "wasm-sequential-lanes",
    "native-lanes-cpu-sequential",
  ],
  [
    "wasm-lanes-vs-native-v2",
    "beyond the guide: wasm lanes ÷ native lanes (x86-64-v2), one thread",
    "wasm-sequential-lanes",
    "native-lanes-v2-sequential",
  ],
  [
    "wasm-lanes-threads-vs-native-limit",
    "beyond the guide: wasm work-stealing + lanes ÷ native (target-cpu=native), all workers",
    "wasm-threads-work-stealing-lanes",
    "native-lanes-cpu-work-stealing",
  ],
  ["python-pool-vs-loop", "CPython Pool ÷ CPython loop (the guide: 74.2 / 258.9 = 0.29)", "python-pool", "python-loop"],
  [
    "python-processes-vs-loop",
    "CPython one Process per number ÷ loop, smaller N (the guide: 0.55 at N = 100 000)",
    "python-process-per-number",
    "python-loop-small",
  ],
];

/** The ratios whose two rows were both measured. */
export function ratios(rows) {
  return RATIOS.filter(([, , a, b]) => rows[a] && rows[b]).map(([id, label, of, over]) => ({
    id,
    label,
    of,
    over,
    value: rows[of].medianMs / rows[over].medianMs,
    // The spread: the extremes divided crosswise, so the range holds every pairing of runs.
    min: rows[of].minMs / rows[over].maxMs,
    max: rows[of].maxMs / rows[over].minMs,
  }));
}

const KB = 1000;

/** One target; `pass` is null when its value could not be measured on this machine. */
function target({ id, label, value, cmp, limit, unit, ratio, note }) {
  const measured = typeof value === "number" && Number.isFinite(value);
  return {
    id,
    label,
    value: measured ? value : null,
    unit,
    cmp,
    limit,
    pass: measured ? (cmp === "<=" ? value <= limit : value >= limit) : null,
    ...(ratio ? { ratio } : {}),
    ...(note && !measured ? { note } : {}),
  };
}

/**
 * The targets of issues 5 and 11 (sizes), each `{ id, label, value, unit, cmp, limit, pass }`. Those that are a
 * ratio name it (`ratio`), so their value is that ratio's, not a second computation.
 */
export function targets({ ratios: list, overheads, cores, pythonSkipped }) {
  const r = Object.fromEntries(list.map((x) => [x.id, x.value]));
  const fromRatio = (ratio, rest) => target({ ...rest, ratio, value: r[ratio], unit: "×" });
  const speedup = 0.95 * cores;
  return [
    fromRatio("wasm-vs-native", {
      id: "wasm-vs-native",
      label: "wasm sequential ≤ 1.05 × native sequential (warm)",
      cmp: "<=",
      limit: 1.05,
    }),
    fromRatio("speedup-threads-pool-map", {
      id: "pool-speedup-pool-map",
      label: `threads pool-map speedup ≥ 0.95 × ${cores} cores`,
      cmp: ">=",
      limit: speedup,
    }),
    fromRatio("speedup-threads-work-stealing", {
      id: "pool-speedup-work-stealing",
      label: `threads work-stealing speedup ≥ 0.95 × ${cores} cores`,
      cmp: ">=",
      limit: speedup,
    }),
    fromRatio("python-pool-vs-wasm-pool", {
      id: "wasm-vs-cpython-pool",
      label: "wasm pool (threads pool-map) ≥ 20× faster than CPython's Pool, same N",
      cmp: ">=",
      limit: 20,
      note: `not measured: ${pythonSkipped ?? "no CPython result"}`,
    }),
    fromRatio("python-pool-vs-wasm-lanes", {
      id: "lanes-vs-cpython-pool",
      label: "beyond the guide: wasm work-stealing + SIMD lanes ≥ 90× faster than CPython's Pool (goal 100×)",
      cmp: ">=",
      limit: 90,
      note: `not measured: ${pythonSkipped ?? "no CPython result"}`,
    }),
    fromRatio("wasm-vs-js", {
      id: "wasm-vs-js",
      label: "wasm sequential no slower than the plain JS loop (wasm ÷ JS ≤ 1)",
      cmp: "<=",
      limit: 1,
    }),
    target({
      id: "pool-map-sleep",
      label: "pool-map-sleep within 3 % of 15 units",
      value: Math.abs(overheads.poolMapSleep.offByPct),
      cmp: "<=",
      limit: 3,
      unit: "%",
    }),
    target({
      id: "first-result",
      label: "page load to first result ≤ 1.0 s (index.html, cold)",
      value: overheads.firstResult.medianMs,
      cmp: "<=",
      limit: 1000,
      unit: "ms",
    }),
    target({
      id: "first-chart",
      label: "page load to first chart ≤ 1.0 s (embed.html autorun card, cold)",
      value: overheads.firstChart.medianMs,
      cmp: "<=",
      limit: 1000,
      unit: "ms",
    }),
    // Issue 11's budgets: every lesson in the threaded .wasm, and the page before any dataset.
    target({
      id: "wasm-size",
      label: "threaded .wasm ≤ 100 kB gzipped, all lessons (1 kB = 1 000 bytes)",
      value: overheads.wasm.threads.gzipBytes / KB,
      cmp: "<=",
      limit: 100,
      unit: "kB",
    }),
    // Issue 15: nothing starts before Run.
    target({
      id: "before-run-weight",
      label: "index.html ≤ 150 kB gzipped before its first Run",
      value: overheads.beforeRun ? overheads.beforeRun.gzipBytes / KB : null,
      cmp: "<=",
      limit: 150,
      unit: "kB",
    }),
    target({
      id: "before-run-workers",
      label: "index.html starts 0 Workers before its first Run",
      value: overheads.beforeRun ? overheads.beforeRun.workers : null,
      cmp: "<=",
      limit: 0,
      unit: "Workers",
    }),
    target({
      id: "page-weight",
      label: "page ≤ 250 kB gzipped: what index.html loads up to its first result, before any dataset",
      value: overheads.pageWeight ? overheads.pageWeight.gzipBytes / KB : null,
      cmp: "<=",
      limit: 250,
      unit: "kB",
    }),
  ];
}
