/**
 * Every chart of the lab, built with Chart.js (tree-shaken, ~61 KB gz; chosen over uPlot's
 * ~24 KB because floating bars make a per-worker timeline a first-class chart rather than a
 * hand-drawn canvas hook, and its tooltips and legends read well on a 360 px phone).
 *
 * Each function takes a container and data derived from traces, and returns the Chart.
 */
import { chartClass } from "./chart-lib.js";
import { h } from "./dom.js";
import { ms } from "./format.js";

/**
 * One hue per strategy, keyed by the strategy's name (the same names as in Rust), used by every
 * chart and lesson; readable on light and dark backgrounds. `guide` is the guide's own figures.
 */
export const STRATEGY_COLORS = {
  sequential: "#8c8c8c",
  "spawn-per-task": "#e07b39",
  "pool-map": "#3b82c4",
  "work-stealing": "#2a9d6f",
  guide: "#b58cd9",
};
/** Lines that are not strategies (the ideal, a fit): hues no strategy uses. */
const REFERENCE_COLORS = { ideal: "#666666", fit: "#c4493b" };
const WORKER_COLORS = ["#3b82c4", "#2a9d6f", "#e07b39", "#c4493b", "#8d6cc4", "#c49a3b", "#3bb0c4", "#c43b8d"];

function themeOf(container) {
  const style = getComputedStyle(container);
  return {
    text: style.getPropertyValue("--fg").trim() || "#222",
    grid: style.getPropertyValue("--grid").trim() || "rgba(128,128,128,0.25)",
  };
}

export function canvasIn(container, label, height) {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const box = h("div", { class: "chart" }, canvas);
  box.style.height = `${height}px`; // CSSOM, not a style attribute: allowed under a strict CSP
  container.append(box);
  return canvas;
}

/**
 * Options every chart starts from. Colours are set per chart, never in `Chart.defaults`: a
 * host page that uses Chart.js itself must not see its defaults change.
 */
export function base(container, { x, y, legend = false, title }) {
  const t = themeOf(container);
  const axis = (text) => ({
    grid: { color: t.grid },
    ticks: { color: t.text },
    title: { display: Boolean(text), text, color: t.text },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    color: t.text,
    plugins: {
      legend: { display: legend, labels: { boxWidth: 12, color: t.text } },
      title: { display: Boolean(title), text: title, color: t.text, font: { weight: "600" } },
    },
    scales: { x: axis(x), y: { ...axis(y), beginAtZero: true } },
  };
}

/**
 * Horizontal bars of times, one per row, each labelled with its note (e.g. "−48.2 %"). A row's
 * label may be a list of lines (a long label on a phone's narrow axis).
 */
export function timeBars(container, rows, { title, x = "time (ms)" } = {}) {
  // Rows of up to two label lines get 40 px; a third line (a long label split) needs more.
  const lines = Math.max(...rows.map((r) => [r.label].flat().length + (r.note ? 1 : 0)));
  const canvas = canvasIn(container, title ?? "times", 48 + rows.length * Math.max(40, lines * 16 + 6));
  const values = rows.map((r) => r.value).filter((v) => v > 0);
  // When one bar is 50× another (spawn-per-task, say), a linear axis hides the short ones.
  const log = Math.max(...values) / Math.min(...values) > 50;
  const options = base(container, { x: log ? `${x}, log scale` : x, title });
  if (log) options.scales.x.type = "logarithmic";
  options.indexAxis = "y";
  options.plugins.tooltip = { callbacks: { label: (c) => `${ms(c.raw)}  ${rows[c.dataIndex].note ?? ""}` } };
  options.scales.y.ticks.autoSkip = false;
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => (r.note ? [r.label, r.note].flat() : r.label)),
      datasets: [
        {
          data: rows.map((r) => r.value),
          backgroundColor: rows.map((r) => r.color ?? STRATEGY_COLORS[r.key] ?? "#3b82c4"),
          barPercentage: 0.8,
        },
      ],
    },
    options,
  });
}

/** How a span is drawn on every timeline (the lessons' and the python card's): one floating bar
 * per span, outlined, full row height, never grouped side by side. */
export const SPAN_BAR = {
  borderColor: "rgba(0,0,0,0.35)",
  borderWidth: 1,
  borderSkipped: false,
  grouped: false,
  barPercentage: 0.75,
  categoryPercentage: 1,
};

/**
 * A per-worker timeline (Gantt) from a trace: one row per worker, one bar per span (a task, or
 * a chunk of consecutive tasks). Hover shows the tasks, start and end.
 */
export function timeline(container, trace, { title, unitMs } = {}) {
  const workers = [...new Set(trace.spans.map((s) => s.worker))].sort((a, b) => a - b);
  const rowOf = new Map(workers.map((w, i) => [w, i]));
  const labels = workers.map((w) => `worker ${w}`);
  const canvas = canvasIn(container, title ?? "timeline", 56 + workers.length * 26);
  const xLabel = unitMs ? `time (units of ${unitMs} ms)` : "time (ms)";
  const scale = unitMs ? 1 / unitMs : 1;
  const options = base(container, { x: xLabel, title });
  options.indexAxis = "y";
  options.scales.y.ticks.autoSkip = false;
  options.scales.y.beginAtZero = false;
  options.scales.x.min = 0;
  const spanText = (s) => (s.first === s.last ? `task ${s.first}` : `tasks ${s.first}–${s.last}`);
  options.plugins.tooltip = {
    callbacks: {
      title: (items) => spanText(items[0].raw.span),
      label: (c) => {
        const s = c.raw.span;
        return `worker ${s.worker}: ${ms(s.start)} → ${ms(s.end)} (${ms(s.end - s.start)})`;
      },
    },
  };
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          data: trace.spans.map((s) => ({
            x: [s.start * scale, s.end * scale],
            y: labels[rowOf.get(s.worker)],
            span: s,
          })),
          backgroundColor: trace.spans.map((s) => WORKER_COLORS[(s.first - 1) % WORKER_COLORS.length]),
          ...SPAN_BAR,
        },
      ],
    },
    options,
  });
}

/**
 * Speedup against worker count: measured points (in the colour of the `strategy` that ran),
 * the ideal line, the Amdahl fit, the cores. `range(point)`, when given, returns the point's
 * [min, max] speedup, drawn as a whisker in the same colour (a lesson's own fields may mean
 * something else, e.g. min–max times: the lesson says which numbers are the speedup range).
 */
export function speedupChart(container, { points, cores, fit, title, strategy, range }) {
  const color = STRATEGY_COLORS[strategy] ?? STRATEGY_COLORS["work-stealing"];
  const canvas = canvasIn(container, title ?? "speedup", 280);
  const options = base(container, { x: "workers", y: "speedup (× sequential)", legend: true, title });
  options.scales.x.type = "linear";
  options.scales.x.ticks.stepSize = 1;
  const maxK = Math.max(...points.map((p) => p.k));
  const ks = Array.from({ length: maxK }, (_, i) => i + 1);
  return new (chartClass())(canvas, {
    type: "scatter",
    plugins: [
      whiskers(
        range
          ? points.map((p) => {
              const [min, max] = range(p);
              return { x: p.k, min, max };
            })
          : [],
        { color },
      ),
    ],
    data: {
      datasets: [
        {
          label: strategy ? `measured (${strategy})` : "measured",
          data: points.map((p) => ({ x: p.k, y: p.speedup })),
          showLine: true,
          borderColor: color,
          backgroundColor: color,
          pointRadius: 4,
        },
        {
          label: `ideal (capped at ${cores} cores)`,
          data: ks.map((k) => ({ x: k, y: Math.min(k, cores) })),
          showLine: true,
          borderDash: [6, 4],
          borderColor: REFERENCE_COLORS.ideal,
          pointRadius: 0,
        },
        fit && {
          label: `Amdahl fit (serial ${(fit.serial * 100).toFixed(1)} %)`,
          data: ks.map((k) => ({ x: k, y: fit.at(Math.min(k, cores)) })),
          showLine: true,
          borderColor: REFERENCE_COLORS.fit,
          borderWidth: 1.5,
          pointRadius: 0,
        },
      ].filter(Boolean),
    },
    options,
  });
}

/**
 * Min–max whiskers for ranges `{x, min, max}` (a median of repeats): a vertical line with end
 * caps at each x, drawn over the datasets in the chart's own `color` (set per chart, like every
 * colour here). The y axis is widened to fit them. Ranges that are not finite draw nothing.
 */
export function whiskers(ranges, { color, cap = 5 }) {
  const ranged = ranges.filter((p) => Number.isFinite(p.min) && Number.isFinite(p.max));
  return {
    id: "whiskers",
    afterDataLimits(_chart, { scale }) {
      if (scale.axis !== "y" || ranged.length === 0) return;
      scale.max = Math.max(scale.max, ...ranged.map((p) => p.max));
      scale.min = Math.min(scale.min, ...ranged.map((p) => p.min));
    },
    afterDatasetsDraw(chart) {
      if (ranged.length === 0) return;
      const { ctx, scales } = chart;
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      for (const p of ranged) {
        const x = scales.x.getPixelForValue(p.x);
        const lo = scales.y.getPixelForValue(p.min);
        const hi = scales.y.getPixelForValue(p.max);
        ctx.beginPath();
        ctx.moveTo(x, lo);
        ctx.lineTo(x, hi);
        ctx.moveTo(x - cap, lo);
        ctx.lineTo(x + cap, lo);
        ctx.moveTo(x - cap, hi);
        ctx.lineTo(x + cap, hi);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

/** Busy time per worker, grouped by strategy: the load-balance chart. */
export function busyChart(container, { series, title }) {
  const workers = Math.max(...series.map((s) => s.busy.length));
  const canvas = canvasIn(container, title ?? "busy time per worker", 260);
  const options = base(container, { x: "worker", y: "busy time (ms)", legend: true, title });
  options.plugins.tooltip = { callbacks: { label: (c) => `${c.dataset.label}: ${ms(c.raw)}` } };
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: Array.from({ length: workers }, (_, i) => `worker ${i}`),
      datasets: series.map((s) => ({
        label: s.label,
        data: s.busy,
        backgroundColor: s.color,
      })),
    },
    options,
  });
}

/**
 * One horizontal bar per row, stacked from parts (`rows`: `{ label, values }`, `parts`: `{ key,
 * label, color }`, values in seconds): where each row's time went.
 */
export function stackedBars(container, { rows, parts, title, x = "seconds" }) {
  const canvas = canvasIn(container, title ?? "where the time went", 70 + rows.length * 34);
  const options = base(container, { x, title, legend: true });
  options.indexAxis = "y";
  options.scales.x.stacked = true;
  options.scales.y.stacked = true;
  options.scales.y.ticks.autoSkip = false;
  options.plugins.tooltip = { callbacks: { label: (c) => `${c.dataset.label}: ${c.raw.toFixed(2)} s` } };
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => r.label),
      datasets: parts.map((p) => ({
        label: p.label,
        data: rows.map((r) => r.values[p.key]),
        backgroundColor: p.color,
        barPercentage: 0.8,
      })),
    },
    options,
  });
}
