/**
 * The timeline of a Python run, drawn like the other cards' timelines (www/ui/charts.js): one
 * row per process, a grey bar while its interpreter boots (spawned → ready), then a coloured bar
 * while it runs its target, or one bar per chunk of tasks for a pool worker. Seconds since Run.
 */

import { chartClass } from "../ui/chart-lib.js";
import { base, canvasIn, SPAN_BAR } from "../ui/charts.js";

const BOOT = "rgba(140,140,140,0.55)";
/** One colour per process (or chunk), shared by the task view (task-view.js). */
export const RUN = ["#3b82c4", "#2a9d6f", "#e07b39", "#c4493b", "#8d6cc4", "#c49a3b", "#3bb0c4", "#c43b8d"];

/** Bars of `processes` (session.js's summary): `{ row, from, to, kind, label }`, seconds. */
export function processBars(processes, totalS) {
  const bars = [];
  for (const p of processes) {
    const booted = p.booted ?? p.ended ?? totalS;
    bars.push({ row: p.name, from: p.spawned, to: booted, kind: "boot", label: "starting its interpreter" });
    if (p.kind === "pool") {
      for (const t of p.tasks)
        bars.push({ row: p.name, from: t.start, to: t.end, kind: "task", label: `task ${t.task}` });
    } else if (p.started !== null) {
      const label = p.kind === "main" ? "main program" : `target (exit code ${p.exitcode ?? "–"})`;
      bars.push({ row: p.name, from: p.started, to: p.ended ?? totalS, kind: "run", label });
    }
  }
  return bars;
}

export function processTimeline(container, processes, { title, totalS }) {
  const rows = processes.map((p) => p.name);
  const bars = processBars(processes, totalS);
  // Title, legend (two lines on a phone) and the time axis take ~130 px before any row: a run
  // with the main program alone still gets a row that shows its bars.
  const canvas = canvasIn(container, title, 150 + rows.length * 30);
  const options = base(container, { x: "seconds since Run", title, legend: true });
  options.indexAxis = "y";
  options.scales.y.ticks.autoSkip = false;
  options.scales.y.beginAtZero = false;
  options.scales.x.min = 0;
  options.plugins.tooltip = {
    callbacks: {
      label: (c) => {
        const b = c.raw.bar;
        return `${b.row}: ${b.label}, ${b.from.toFixed(2)} → ${b.to.toFixed(2)} s (${(b.to - b.from).toFixed(2)} s)`;
      },
    },
  };
  const dataset = (label, kinds, color) => {
    const mine = bars.filter((b) => kinds.includes(b.kind));
    return {
      label,
      data: mine.map((b) => ({ x: [b.from, b.to], y: b.row, bar: b })),
      backgroundColor: mine.map((b, i) => (typeof color === "function" ? color(b, i) : color)),
      ...SPAN_BAR,
    };
  };
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: rows,
      datasets: [
        dataset("interpreter starting", ["boot"], BOOT),
        dataset("running (a pool's bars: one chunk of tasks each)", ["run", "task"], (b) =>
          b.kind === "task" ? RUN[(Number(b.label.split(" ")[1]) || 0) % RUN.length] : RUN[0],
        ),
      ],
    },
    options,
  });
}
