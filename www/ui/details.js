/**
 * A labelled disclosure: `<details>` with a `<summary>` that says what is inside. A card keeps
 * its answer and main chart in view and everything else (fine print, arithmetic, tables, code)
 * one click away; native `<details>` is reachable by keyboard and announced as expandable by
 * screen readers, with nothing to script.
 *
 * A card re-renders its whole Shadow DOM after each run and on every attribute change, so the
 * open state lives outside the DOM: `state` (a Map the card keeps for its lifetime) maps each
 * disclosure's `key` to whether the reader left it open.
 */
import { h } from "./dom.js";

/**
 * `<details data-key=key>` labelled `label`, holding `children`, open when `state` says the
 * reader opened it before (else when `open`). `key` defaults to the label: give a stable one
 * when the label carries a run's numbers.
 */
export function disclosure(label, children = [], { key = label, state, open = false, className } = {}) {
  const el = h(
    "details",
    { class: className, "data-key": key, open: state?.has(key) ? state.get(key) : open },
    h("summary", { text: label }),
    children,
  );
  el.addEventListener("toggle", () => state?.set(key, el.open));
  return el;
}
