/**
 * MiB/s against writer count for one regime: the median of the repeats as a line, the spread
 * (min–max) as a floating bar behind it — latency-bound runs spread widely, and a reader must
 * see that before reading anything into a median.
 */

import { chartClass } from "../ui/chart-lib.js";
import { h } from "../ui/dom.js";

export function rateChart(container, { points, title, color }) {
  const canvas = h("canvas", { role: "img", "aria-label": title });
  const box = h("div", { class: "chart" }, canvas);
  box.style.height = "240px"; // CSSOM, allowed under a strict CSP
  container.append(box);
  const style = getComputedStyle(container);
  const text = style.getPropertyValue("--fg").trim() || "#222";
  const grid = style.getPropertyValue("--grid").trim() || "rgba(128,128,128,0.25)";
  // Colours per chart, never in Chart.defaults: a host page's own charts must not change.
  const fmt = (x) => x.toFixed(x < 100 ? 1 : 0);
  return new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: points.map((p) => `${p.k}`),
      datasets: [
        {
          type: "line",
          label: "median",
          data: points.map((p) => p.median),
          borderColor: color,
          backgroundColor: color,
          pointRadius: 4,
        },
        {
          label: "min–max of the repeats",
          data: points.map((p) => [p.min, p.max]),
          backgroundColor: `${color}55`,
          borderColor: color,
          borderWidth: 1,
          borderSkipped: false,
          barPercentage: 0.3,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      color: text,
      plugins: {
        legend: { display: true, labels: { boxWidth: 12, color: text } },
        title: { display: true, text: title, color: text, font: { weight: "600" } },
        tooltip: {
          callbacks: {
            label: (c) =>
              Array.isArray(c.raw) ? `spread ${fmt(c.raw[0])}–${fmt(c.raw[1])} MiB/s` : `median ${fmt(c.raw)} MiB/s`,
          },
        },
      },
      scales: {
        x: {
          grid: { color: grid },
          ticks: { color: text },
          title: { display: true, text: "writer workers", color: text },
        },
        y: {
          grid: { color: grid },
          ticks: { color: text },
          title: { display: true, text: "MiB/s (higher is better)", color: text },
          beginAtZero: true,
        },
      },
    },
  });
}
