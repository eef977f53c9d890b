/**
 * The python card's "Task by task": which process ran which task or chunk, and when. A pool's
 * chunks (Pool.map and friends, ProcessPoolExecutor) in the order they were handed out, each bar
 * its work in seconds coloured by the process that ran it, labelled with the map's items it held
 * — so a naturally imbalanced map (the perfect-number search: larger numbers cost more) shows as
 * bars that grow along the axis, and chunk boundaries as the bars themselves. A Process is one
 * task: its target. The same rows as a table, with the hand-over and the time slept.
 */
import { chartClass } from "../ui/chart-lib.js";
import { base, canvasIn } from "../ui/charts.js";
import { RUN as COLORS } from "./process-chart.js";

/** Rows in the table (the chart draws them all; run-records.js already caps the records). */
const TABLE_ROWS = 300;

const items = (t) =>
  Number.isInteger(t.first)
    ? t.size > 1
      ? `${t.first}–${t.first + t.size - 1}`
      : String(t.first)
    : `${t.size ?? 1} task${(t.size ?? 1) === 1 ? "" : "s"}`;

/** One row per chunk a pool worker ran and per Process target, in the order they were handed out. */
export function taskRows(python) {
  const rows = [];
  for (const p of python.processes) {
    if (p.kind === "pool") {
      for (const t of p.tasks ?? []) {
        if (!Number.isFinite(t.start) || !Number.isFinite(t.end)) continue;
        rows.push({
          process: p.name,
          order: t.task,
          what: items(t),
          size: t.size ?? 1,
          sent: Number.isFinite(t.sent) ? t.sent : t.start,
          start: t.start,
          end: t.end,
          slept: t.slept ?? 0,
          chunks: t.chunks ?? 1,
        });
      }
    } else if (p.kind === "process" && Number.isFinite(p.started)) {
      const end = Number.isFinite(p.ended) ? p.ended : python.totalS;
      rows.push({
        process: p.name,
        order: -1,
        what: "its target",
        size: 1,
        sent: p.spawned,
        start: p.started,
        end,
        slept: p.slept ?? 0,
        chunks: 1,
      });
    }
  }
  return rows.sort((a, b) => a.order - b.order || a.sent - b.sent);
}

/** Draw it in `out` (the card's result view), when the run handed out at least two tasks. */
export function taskView(out, python) {
  const rows = taskRows(python);
  if (rows.length < 2) return;
  const label = `Task by task: which process ran what, and when (${rows.length} ${rows.some((r) => r.order >= 0) ? "chunks and targets" : "targets"})`;
  const box = out.more(label);
  const names = [...new Set(rows.map((r) => r.process))].sort();
  const colour = (name) => COLORS[names.indexOf(name) % COLORS.length];
  const title = "Each task or chunk's work, in the order handed out";
  const canvas = canvasIn(box, title, 260);
  const options = base(box, { x: "items of the map (in the order handed out)", y: "work (s)", legend: true, title });
  options.scales.x.stacked = true; // one bar per label, whichever process's dataset holds it
  options.plugins.tooltip = {
    callbacks: {
      label: (c) => {
        const r = rows[c.dataIndex];
        return `${r.process}: ${r.what}, ${r.start.toFixed(2)} → ${r.end.toFixed(2)} s (${(r.end - r.start).toFixed(3)} s of work${r.slept > 0 ? `, ${r.slept.toFixed(2)} s asleep` : ""})`;
      },
    },
  };
  new (chartClass())(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => r.what),
      datasets: names.map((name) => ({
        label: name,
        data: rows.map((r) => (r.process === name ? r.end - r.start : null)),
        backgroundColor: colour(name),
        borderColor: "#fff",
        borderWidth: 1, // chunk boundaries: adjacent bars stay apart
      })),
    },
    options,
  });
  out.table(
    ["order", "process", "items", "handed over (s)", "started (s)", "ended (s)", "work (s)", "asleep (s)"],
    rows
      .slice(0, TABLE_ROWS)
      .map((r, i) => [
        String(i + 1),
        r.process,
        r.chunks > 1 ? `${r.what} (${r.chunks} chunks)` : r.what,
        r.sent.toFixed(3),
        r.start.toFixed(3),
        r.end.toFixed(3),
        (r.end - r.start).toFixed(3),
        r.slept.toFixed(2),
      ]),
    rows.length > TABLE_ROWS ? `The first ${TABLE_ROWS} of ${rows.length}` : "Every task and chunk",
    label,
  );
}
