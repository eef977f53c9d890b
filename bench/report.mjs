/**
 * The HTML report (bench/results/<date>.html): bench/report-template.html filled with the tables
 * of tables.mjs and an SVG bar chart drawn here. The lab's pages use Chart.js; this report is a
 * static file to open from disk or attach to an issue, so it has no script at all.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeRunTable, fmtMs, overheadTable, perfectTable, ROW_ORDER, ratioTable, targetTable } from "./tables.mjs";

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), "report-template.html");

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** An HTML table; with `verdicts`, the last column is styled PASS / FAIL / SKIP. */
function htmlTable(table, { verdicts = false } = {}) {
  const [head, ...body] = table;
  const cell = (c, i, row) => {
    const cls = verdicts && i === row.length - 1 ? ` class="${esc(c)}"` : "";
    return `<td${cls}>${esc(c)}</td>`;
  };
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body
    .map((row) => `<tr>${row.map(cell).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** Horizontal bars on a log time axis (the rows span three orders of magnitude). */
export function barChart(rows) {
  const ids = ROW_ORDER.filter((id) => rows[id]);
  const labelW = 430;
  const plotW = 520;
  const barH = 20;
  const gap = 8;
  const top = 24;
  const height = top + ids.length * (barH + gap) + 10;
  const values = ids.map((id) => rows[id].medianMs);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (ms) => labelW + (Math.log10(ms / lo) / Math.log10(hi / lo)) * plotW;
  const parts = [];
  for (let t = lo; t <= hi; t *= 10) {
    parts.push(
      `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${height - 6}"/>`,
      `<text x="${x(t)}" y="${top - 10}" text-anchor="middle">${esc(fmtMs(t))}</text>`,
    );
  }
  ids.forEach((id, i) => {
    const r = rows[id];
    const y = top + i * (barH + gap);
    const label = r.n === rows[ids[0]].n ? r.label : `${r.label}, N = ${r.n}`;
    parts.push(
      `<text x="${labelW - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${esc(label)}</text>`,
      `<rect class="${esc(r.platform)}" x="${labelW}" y="${y}" width="${Math.max(1, x(r.medianMs) - labelW)}" height="${barH}"><title>${esc(`${r.label}: ${fmtMs(r.medianMs)}`)}</title></rect>`,
      `<text x="${x(r.medianMs) + 6}" y="${y + barH / 2 + 4}">${esc(fmtMs(r.medianMs))}</text>`,
    );
  });
  const width = labelW + plotW + 80;
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="median times, log scale">${parts.join("")}</svg>`;
}

/** The whole report page. */
export function reportHtml(result) {
  const m = result.machine;
  const machine = [
    `${m.cores} cores (${m.cpu})`,
    m.chromium,
    m.rustc,
    `Node ${m.node}`,
    m.python ?? "no python3",
    `median of ${result.reps} runs (CPython: ${result.pythonReps})`,
    `mode ${result.mode}`,
    `commit ${result.git.commit}${result.git.dirty ? " + uncommitted changes" : ""}`,
  ].join(" · ");
  const fill = {
    TITLE: `Speedup Lab benchmark, ${result.date}`,
    MACHINE: machine,
    N: result.n.toLocaleString("en-US").replace(/,/g, " "),
    CHART: barChart(result.perfect.rows),
    PERFECT: htmlTable(perfectTable(result)),
    RATIOS: htmlTable(ratioTable(result)),
    OVERHEADS: htmlTable(overheadTable(result)),
    BEFORERUN: htmlTable(beforeRunTable(result)),
    TARGETS: htmlTable(targetTable(result), { verdicts: true }),
    NOTES: result.notes.join(" "),
  };
  return readFileSync(TEMPLATE, "utf8").replace(/\{\{([A-Z]+)\}\}/g, (_, key) =>
    key in fill
      ? ["CHART", "PERFECT", "RATIOS", "OVERHEADS", "BEFORERUN", "TARGETS"].includes(key)
        ? fill[key]
        : esc(fill[key])
      : "",
  );
}
