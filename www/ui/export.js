/**
 * Save what a card measured, so a reader can put the figures in a report or an issue: every
 * trace of the run (the lesson's labelled traces, lessons/contract.js) as CSV (one row per
 * span: a task, or a chunk of consecutive tasks) and as JSON (traces and summary), and the
 * card's charts as one PNG. A lesson whose runs are
 * not per-worker spans (parallel-writes: one rate per run) gives its own CSV rows with a
 * `csv(summary)` → `{ columns, rows }` hook.
 *
 * Files are made in the page (Blob + object URL + `<a download>`): nothing is uploaded, no
 * third-party request, and it works under the page's strict CSP (a download is not a fetch).
 */
import { h } from "./dom.js";

/** The columns of the CSV, in order; one row per span of every trace. */
export const CSV_COLUMNS = [
  "run",
  "strategy",
  "engine",
  "workers",
  "hardwareConcurrency",
  "chunksize",
  "totalMs",
  "worker",
  "firstTask",
  "lastTask",
  "startMs",
  "endMs",
];

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value) {
  const s = value === undefined || value === null ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * CSV text with a header line: the rows of `table` (`{ columns, rows }`, a lesson's own) when
 * given, else every span of every trace of `result` (a LessonResult: lessons/contract.js).
 */
export function toCsv(result, table) {
  if (table) {
    return `${[table.columns, ...table.rows].map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;
  }
  const lines = [CSV_COLUMNS.join(",")];
  for (const { label, trace: t } of result.traces) {
    for (const s of t.spans) {
      const row = [
        label,
        t.strategy,
        t.engine,
        t.workers,
        t.hardwareConcurrency,
        t.chunksize,
        t.totalMs,
        s.worker,
        s.first,
        s.last,
        s.start,
        s.end,
      ];
      lines.push(row.map(field).join(","));
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * The lesson's result as JSON: `{lesson, params, savedAt, traces, summary}`. Where the summary
 * refers to one of the traces, it says `"trace: <label>"` instead of repeating it. Functions
 * (a fit's model) are left out by JSON itself; typed arrays (a forest's predictions) are
 * written as plain arrays.
 */
export function toJson(lessonId, params, { traces, summary }) {
  const plain = (_key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value);
  const labels = new Map(traces.map(({ label, trace }) => [trace, label]));
  const byLabel = (key, value) => (labels.has(value) ? `trace: ${labels.get(value)}` : plain(key, value));
  const refs = JSON.parse(JSON.stringify(summary, byLabel) ?? "null");
  const saved = { lesson: lessonId, params, savedAt: new Date().toISOString(), traces, summary: refs };
  return `${JSON.stringify(saved, plain, 2)}\n`;
}

/**
 * The charts inside `container`, stacked into one canvas on the card's background colour,
 * resolving to a PNG Blob (null when there is no chart).
 */
export function chartsPng(container, background) {
  const canvases = [...container.querySelectorAll("canvas")].filter((c) => c.width > 0 && c.height > 0);
  if (canvases.length === 0) return Promise.resolve(null);
  const width = Math.max(...canvases.map((c) => c.width));
  const height = canvases.reduce((sum, c) => sum + c.height, 0);
  const out = document.createElement("canvas");
  out.width = width;
  out.height = height;
  const g = out.getContext("2d");
  g.fillStyle = background || "#ffffff";
  g.fillRect(0, 0, width, height);
  let y = 0;
  for (const c of canvases) {
    g.drawImage(c, 0, y);
    y += c.height;
  }
  return new Promise((resolve) => out.toBlob(resolve, "image/png"));
}

/** Save `blob` as `filename` through a temporary object URL. */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "speedup-lab-perfect-2026-11-26T13-05-00". */
function baseName(lessonId) {
  return `speedup-lab-${lessonId}-${new Date().toISOString().slice(0, 19).replaceAll(":", "-")}`;
}

/**
 * The card's "Save as" buttons (CSV, JSON, PNG, and Trace for a lesson that gives one) for one result; `charts` is the element that
 * holds the card's canvases, `table` the lesson's own CSV rows (see `toCsv`), if it has any.
 */
export function exportButtons({ lessonId, params, result, charts, table, trace }) {
  const button = (text, label, onclick) =>
    h("button", {
      type: "button",
      class: "export",
      "data-export": text.toLowerCase(),
      "aria-label": label,
      text,
      onclick,
    });
  const csv = button("CSV", table ? "save every run as CSV" : "save every trace as CSV", () =>
    download(new Blob([toCsv(result, table)], { type: "text/csv" }), `${baseName(lessonId)}.csv`),
  );
  const json = button("JSON", "save the whole result as JSON", () =>
    download(new Blob([toJson(lessonId, params, result)], { type: "application/json" }), `${baseName(lessonId)}.json`),
  );
  const png = button("PNG", "save the charts as a PNG image", async () => {
    const bg = getComputedStyle(charts).getPropertyValue("--bg").trim();
    const blob = await chartsPng(charts, bg);
    if (blob) download(blob, `${baseName(lessonId)}.png`);
  });
  png.disabled = charts.querySelector("canvas") === null;
  // A lesson's trace in the Chrome trace-event format (the python card's), for Perfetto.
  const traceButton =
    trace &&
    button("Trace", "save a trace for Perfetto or Chrome's tracing page", () =>
      download(new Blob([JSON.stringify(trace)], { type: "application/json" }), `${baseName(lessonId)}.trace.json`),
    );
  return h(
    "div",
    { class: "exports", role: "group", "aria-label": "save the results" },
    "Save: ",
    csv,
    json,
    png,
    traceButton,
  );
}
