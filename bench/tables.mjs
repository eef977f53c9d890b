/**
 * The result as tables of strings — one source for the terminal, the HTML report and the
 * Markdown in BENCHMARKS.md, so the three never disagree.
 */

/** Row ids in reading order: native, wasm, JS, CPython. */
export const ROW_ORDER = [
  "native-sequential",
  "native-pool-map",
  "native-work-stealing",
  "native-lanes-v2-sequential",
  "native-lanes-v2-work-stealing",
  "native-lanes-cpu-sequential",
  "native-lanes-cpu-work-stealing",
  "wasm-sequential",
  "wasm-plain-sequential",
  "wasm-threads-pool-map",
  "wasm-threads-work-stealing",
  "wasm-sequential-lanes",
  "wasm-threads-work-stealing-lanes",
  "wasm-processes-pool-map",
  "js-loop",
  "python-loop",
  "python-pool",
  "python-loop-small",
  "python-process-per-number",
];

const int = (x) => Math.round(x).toLocaleString("en-US").replace(/,/g, " ");

/** 0.84 ms, 12.3 ms, 748 ms, 15.2 s. */
export function fmtMs(ms) {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export const fmtRatio = (x) => (x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
export const fmtKb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The perfect-number table: header + one line per measured row. */
export function perfectTable(result) {
  const { rows } = result.perfect;
  const base = rows["native-sequential"];
  const head = ["what", "N", "workers", "median", "min – max", "÷ native seq."];
  const body = ROW_ORDER.filter((id) => rows[id]).map((id) => {
    const r = rows[id];
    const rel = base && r.n === base.n ? fmtRatio(r.medianMs / base.medianMs) : "(other N)";
    return [r.label, int(r.n), String(r.workers), fmtMs(r.medianMs), `${fmtMs(r.minMs)} – ${fmtMs(r.maxMs)}`, rel];
  });
  return [head, ...body];
}

/** The ratios, each with the two rows it divides. */
export function ratioTable(result) {
  return [
    ["ratio", "value", "range", "= row ÷ row"],
    ...result.ratios.map((r) => [
      r.label,
      fmtRatio(r.value),
      `${fmtRatio(r.min)} – ${fmtRatio(r.max)}`,
      `${r.of} ÷ ${r.over}`,
    ]),
  ];
}

/** Divisor tests of the naive loop over 1..n-1: Σ (k − 1) for k < n. */
export const divisorTests = (n) => ((n - 1) * (n - 2)) / 2;

/**
 * The division limit: nanoseconds per divisor test of every row at the main N (per row, and per
 * worker: a pool of k divides the row's time by k cores at best).
 */
export function limitTable(result) {
  const { rows } = result.perfect;
  const tests = divisorTests(result.n);
  const ns = (ms) => ((ms * 1e6) / tests).toFixed(3);
  return [
    ["what", "ns per divisor test", "× workers (per-worker cost)"],
    ...ROW_ORDER.filter((id) => rows[id] && rows[id].n === result.n).map((id) => {
      const r = rows[id];
      return [r.label, ns(r.medianMs), ns(r.medianMs * r.workers)];
    }),
  ];
}

/** Overheads and sizes. */
export function overheadTable(result) {
  const o = result.overheads;
  const timed = (x) => [x.label, fmtMs(x.medianMs), `${fmtMs(x.minMs)} – ${fmtMs(x.maxMs)}`];
  const sleep = o.poolMapSleep;
  const size = (label, s) => [label, `${fmtKb(s.bytes)} raw`, `${fmtKb(s.gzipBytes)} gzipped`];
  return [
    ["overhead", "median", "min – max / detail"],
    timed(o.threadsBoot),
    timed(o.spawnPerWorker),
    [
      sleep.label,
      fmtMs(sleep.medianMs),
      `${sleep.offByPct >= 0 ? "+" : ""}${sleep.offByPct.toFixed(1)} % against ${fmtMs(sleep.idealMs)}`,
    ],
    timed(o.firstResult),
    timed(o.firstChart),
    size("threaded .wasm (dist/www/pkg/threads)", o.wasm.threads),
    size("plain .wasm (dist/www/pkg/plain: page, processes, writers; no forest)", o.wasm.plain),
    ...(o.wasm.plainForest
      ? [size("plain-forest .wasm (dist/www/pkg/plain-forest: the forest's processes only)", o.wasm.plainForest)]
      : []),
    [
      `page weight: the ${o.pageWeight.files} files index.html loads before its first Run`,
      `${fmtKb(o.pageWeight.bytes)} raw`,
      `${fmtKb(o.pageWeight.gzipBytes)} gzipped`,
    ],
    ...(o.dataset ? [size(`the forest's dataset (${o.dataset.path}, fetched when its card runs)`, o.dataset)] : []),
    ...(o.editor
      ? [size("the python card's editor (CodeMirror, its code and CSS; fetched when opened or run)", o.editor)]
      : []),
  ];
}

/**
 * What each page costs a reader before the first Run (bench/page-cost.mjs): bytes of the lab's
 * files (gzipped, each distinct file once), Workers (every one, Workers' Workers included),
 * requests (the article's own included) and main-thread time (long tasks summed over all frames;
 * every task of the top document). Older results have no `beforeRun`: an empty table.
 */
export function beforeRunTable(result) {
  const pages = Object.values(result.overheads.beforeRun ?? {});
  return [
    ["before the first Run", "gzipped (files)", "Workers", "requests", "main thread: long tasks / all tasks"],
    ...pages.map((c) => [
      c.label,
      `${fmtKb(c.weight.gzipBytes)} (${c.weight.files})`,
      String(c.workers),
      String(c.requests),
      `${fmtMs(c.longTaskMs)} / ${c.taskMs === null ? "n/a" : fmtMs(c.taskMs)}`,
    ]),
  ];
}

/** The targets with PASS / FAIL / SKIP. */
export function targetTable(result) {
  const show = (t) => {
    if (t.value === null) return t.note ?? "not measured";
    const v =
      t.unit === "×"
        ? fmtRatio(t.value)
        : t.unit === "ms"
          ? fmtMs(t.value)
          : `${Number.isInteger(t.value) ? t.value : t.value.toFixed(1)} ${t.unit}`;
    const lim = t.unit === "×" ? fmtRatio(t.limit) : t.unit === "ms" ? fmtMs(t.limit) : `${t.limit} ${t.unit}`;
    return `${v} (${t.cmp === "<=" ? "≤" : "≥"} ${lim})`;
  };
  return [
    ["target", "measured", "verdict"],
    ...result.targets.map((t) => [t.label, show(t), t.pass === null ? "SKIP" : t.pass ? "PASS" : "FAIL"]),
  ];
}

/** Pad a table for the terminal. */
export function textTable(table) {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => [...row[c]].length)));
  const line = (row) =>
    row
      .map((cell, c) => cell + " ".repeat(widths[c] - [...cell].length))
      .join("  ")
      .trimEnd();
  return [line(table[0]), widths.map((w) => "─".repeat(w)).join("  "), ...table.slice(1).map(line)].join("\n");
}

/** A GitHub-flavoured Markdown table. */
export function markdownTable(table) {
  const esc = (s) => s.replace(/\|/g, "\\|");
  const line = (row) => `| ${row.map(esc).join(" | ")} |`;
  return [line(table[0]), `|${table[0].map(() => "---").join("|")}|`, ...table.slice(1).map(line)].join("\n");
}
