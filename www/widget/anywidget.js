/**
 * The lab as an anywidget module (https://anywidget.dev, "AFM"): `export default { render }`,
 * where `render({ model, el })` mounts one lesson in `el` and returns its clean-up.
 *
 * One module for every host that speaks the contract: MyST / Jupyter Book 2's `{anywidget}`
 * directive (the model is the directive's JSON body), and JupyterLab, Notebook, marimo and Colab
 * through the Python `anywidget` package (the model is the widget's synced traits). See
 * EMBEDDING.md, "MyST" and "Jupyter".
 *
 * The model's keys are the element's attributes — `experiment` and the parameters of the core's
 * table (src/limits.rs), e.g. `n`, `workers`, `unit-ms` — plus `engine`, `theme` and `autorun`.
 * A key may also be written with underscores (`unit_ms`), because Python traits cannot hold a
 * hyphen. Values are set as attributes (strings, through setAttribute: nothing reaches markup),
 * so a bad value gets the card's usual message. The widget finds its modules, Workers and wasm
 * from its own URL, like the element (speedup-lab.js beside this file) — unless the model's `lab`
 * says where the lab is: MyST copies a remote module into the site it builds (a `<hash>.mjs`), and
 * the copy cannot find the lab from its own URL.
 */

/** The element's module: beside this file, or in the lab the model names. */
function widgetModule(model) {
  const lab = model.get("lab");
  return typeof lab === "string" && lab
    ? new URL("www/widget/speedup-lab.js", lab.endsWith("/") ? lab : `${lab}/`).href
    : new URL("./speedup-lab.js", import.meta.url).href;
}

/** Set the card's attributes from the model (a boolean `autorun` adds or removes the attribute). */
function apply(card, model, names) {
  for (const name of names) {
    const value = model.get(name) ?? model.get(name.replaceAll("-", "_"));
    if (value === undefined || value === null || value === false) card.removeAttribute(name);
    else if (value === true) card.setAttribute(name, "");
    else card.setAttribute(name, String(value).slice(0, 64)); // set-setting.js's cut (no import: MyST copies this file alone)
  }
}

async function render({ model, el }) {
  await import(widgetModule(model));
  const card = document.createElement("speedup-lab");
  const names = await card.constructor.attributeNames();
  apply(card, model, names);
  if (!card.hasAttribute("experiment")) card.setAttribute("experiment", "");
  el.append(card);
  // A trait changed from Python (or another view) updates the card; changing an attribute during
  // a run cancels it, as on any page.
  const onChange = () => apply(card, model, names);
  const events = names.flatMap((n) => [`change:${n}`, `change:${n.replaceAll("-", "_")}`]);
  for (const e of new Set(events)) model.on(e, onChange);
  return () => {
    for (const e of new Set(events)) {
      try {
        model.off?.(e, onChange);
      } catch {
        // MyST's model has no off() yet (it throws "not implemented"); its model goes with the page.
      }
    }
    card.cancel();
    card.remove(); // disconnecting also cancels a run in progress
  };
}

export default { render };
