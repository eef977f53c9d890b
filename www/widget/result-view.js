/**
 * The card's result view: a lesson's result shown beginner-first. The lesson's `answer` sentence
 * (this run's numbers, in plain words) replaces the sentence under the title; its main chart comes
 * first in the results, its warnings right after, and every other figure (facts, notes, more
 * charts, tables) in labelled disclosures whose open state survives the next run.
 *
 * What a lesson's `render(summary, out, params, env)` gets in `out`:
 * - `charts`: the main chart's container (what the answer is about; usually one chart);
 * - `more(label, key?)`: a container inside the disclosure `label` (made on first use), for
 *   further charts; `key` keeps its open state when the label carries numbers;
 * - `facts(rows, label?)`: name–value rows, in "All the figures" unless labelled otherwise;
 * - `note(text, label?)`: with a label, a paragraph in that disclosure; without, a warning
 *   shown under the chart (a run that does not show the lesson must say so in view);
 * - `table(headers, rows, caption, label?)`: a table in the disclosure `label` (else its caption);
 * - `mounted`: what the lesson's own `mount()` built in this card (the python card's editor and
 *   console), so that render never looks for it in the card's Shadow DOM.
 */
import { resultNotes } from "../lessons/contract.js";
import { chartOn } from "../ui/chart-lib.js";
import { disclosure } from "../ui/details.js";
import { h } from "../ui/dom.js";
import { exportButtons } from "../ui/export.js";

const FIGURES = "All the figures";

/** A table with its caption, column headers and rows, all as text. */
function tableOf(headers, rows, caption) {
  return h(
    "table",
    {},
    caption && h("caption", { text: caption }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        headers.map((x) => h("th", { scope: "col", text: x })),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          r.map((c) => h("td", { text: c })),
        ),
      ),
    ),
  );
}

/**
 * Show `result` in the card's `ui` (its `lesson`, `env`, `results`, `sentence`, `live`,
 * `toolbar` and `mounted`); `open` is the card's map of disclosures the reader opened.
 */
export function showResult(ui, result, open) {
  ui.results.replaceChildren();
  const charts = h("div", { class: "charts" });
  const notes = h("div", { class: "notes" });
  const details = h("div", { class: "details" });
  ui.results.append(charts, notes, details);
  const boxes = new Map();
  const box = (label, key = label) => {
    if (!boxes.has(key)) {
      const inner = h("div", { class: "detail" });
      details.append(disclosure(label, [inner], { key, state: open }));
      boxes.set(key, inner);
    }
    return boxes.get(key);
  };
  const out = {
    charts,
    mounted: ui.mounted,
    more: (label, key) => box(label, key),
    facts(rows, label = FIGURES) {
      const facts = h("dl", { class: "facts" });
      for (const [k, v] of rows) facts.append(h("dt", { text: k }), h("dd", { text: v }));
      box(label).append(facts);
    },
    note(text, label) {
      const p = h("p", { class: "note", text });
      if (label) box(label).append(p);
      else notes.append(p);
    },
    table(headers, rows, caption, label) {
      const wrap = h("div", { class: "table-wrap", tabindex: "0" }, tableOf(headers, rows, caption));
      box(label ?? caption ?? "Table").append(wrap);
    },
  };
  ui.lesson.render(result.summary, out, result.params, ui.env);
  ui.sentence.textContent = ui.lesson.answer?.(result.summary, result.params, ui.env) ?? ui.lesson.lede;
  ui.live.hidden = true; // what the run said while it ran: the answer now says it with the result
  for (const note of resultNotes(result)) out.note(note);
  ui.toolbar.replaceChildren(
    exportButtons({
      lessonId: ui.lesson.id,
      params: result.params,
      result,
      charts: ui.results,
      table: ui.lesson.csv?.(result.summary),
      trace: ui.lesson.traceEvents?.(result.summary),
    }),
  );
}

/** Destroy the charts below `root`: Chart.js keeps every instance in a registry until then. */
export function dropCharts(root) {
  for (const canvas of root.querySelectorAll("canvas")) chartOn(canvas)?.destroy();
}

/** Show `message` in the card's error line (a role="alert" paragraph). */
export function showError(ui, message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}
