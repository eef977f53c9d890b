/**
 * The card's form: the lesson's own inputs (its `mount()`, e.g. the python card's editor), one
 * input per parameter the lesson lists — labelled, limited and checked by the core's table
 * (src/limits.rs, through core-deps.js: `core` is `{ paramsFor, parseParam }`) — and Run and
 * Cancel. Also the two ways back from the form: the parameters it holds (`readParams`) and the
 * card's settings as attributes (`settingsOf`), for a snippet or a link.
 */
import { h } from "../ui/dom.js";

/**
 * Build the form of `lesson` for `env`. `attr(name)` reads the element's attribute; `authorCode`
 * is the element's own text (a lesson with an editor starts from it). Returns the parts the card
 * keeps: `{ form, mounted, inputs, runButton, cancelButton }`.
 */
export function buildForm({ lesson, env, core, attr, authorCode, onInput, onRun, onCancel }) {
  const form = h("form", {
    class: "controls",
    onsubmit: (e) => {
      e.preventDefault();
      onRun();
    },
  });
  const mounted = lesson.mount?.({ authorCode }) ?? null;
  if (mounted) form.append(...mounted.form);
  const inputs = {};
  const table = core.paramsFor(env);
  for (const name of lesson.params) {
    const def = table[name];
    const fallback =
      typeof lesson.defaults?.[name] === "function" ? lesson.defaults[name](env) : lesson.defaults?.[name];
    const initial = attr(def.attr) ?? fallback ?? def.initial;
    const label = lesson.labels?.[name] ?? def.label;
    const input = h("input", { name, inputmode: "numeric", placeholder: def.hint ?? "", "aria-label": label });
    input.value = initial === null ? "" : String(initial);
    input.addEventListener("input", onInput);
    inputs[name] = { input, fallback };
    form.append(h("label", {}, h("span", { text: label }), input));
  }
  const runButton = h("button", { type: "submit", class: "run", text: "Run" });
  const cancelButton = h("button", {
    type: "button",
    class: "cancel",
    text: "Cancel",
    disabled: true,
    onclick: onCancel,
  });
  form.append(h("div", { class: "buttons" }, runButton, cancelButton));
  return { form, mounted, inputs, runButton, cancelButton };
}

/** Say each input's range (from the core's table, for `ui.env`) in its tooltip and data-min/max. */
export function showLimits(ui, core) {
  const table = core.paramsFor(ui.env);
  for (const [name, { input }] of Object.entries(ui.inputs)) {
    const p = table[name];
    input.dataset.min = String(p.min);
    input.dataset.max = String(p.max);
    input.title = `A whole number from ${p.min} to ${p.max}${p.hint ? ` (${p.hint})` : ""}`;
  }
}

/** Read and check the form of `ui`: `{ params }` or `{ error }` (the core's message). */
export function readParams(ui, core) {
  const params = {};
  for (const [name, { input, fallback }] of Object.entries(ui.inputs)) {
    const r = core.parseParam(name, input.value, ui.env, fallback);
    if (r.error) return { error: r.error };
    params[name] = r.value;
  }
  return { params };
}

/**
 * The parameters of `ui` as attributes, `[[attr, value], …]`: each set by an attribute
 * (`hasAttr`) or whose input differs from its default. Only a value the core accepts: an
 * out-of-range one (typed, or from a crafted URL) is left out, so whoever pastes the snippet
 * gets the default.
 */
export function settingsOf(ui, core, hasAttr) {
  const table = core.paramsFor(ui.env);
  const out = [];
  for (const [name, { input, fallback }] of Object.entries(ui.inputs)) {
    const initial = fallback ?? table[name].initial;
    const value = input.value.trim();
    const { attr } = table[name];
    if (value !== "" && core.parseParam(name, value, ui.env, fallback).error) continue;
    if (value !== String(initial ?? "") || hasAttr(attr)) out.push([attr, value]);
  }
  return out;
}
