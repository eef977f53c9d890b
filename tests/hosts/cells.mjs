/**
 * The notebook the hosts run: the Embed dialog's "jupyter" recipe (www/share/recipes.js, the text
 * an author copies — read from there, never retyped) for a Rust lesson and for the python card,
 * and the Python that changes a trait from the kernel afterwards.
 */
import { recipes } from "../../www/share/recipes.js";

/** The cards, with the settings the Embed dialog would have (EMBEDDING.md's example). */
export const PERFECT = [
  ["experiment", "perfect"],
  ["n", "100000"],
  ["workers", "4"],
];
export const PYTHON = [["experiment", "python"]];

/** The recipe's one block: the notebook cell, exactly as the dialog shows it. */
export function recipeCell(lab, settings) {
  const recipe = recipes(lab, settings).find((r) => r.id === "jupyter");
  if (recipe?.blocks.length !== 1) throw new Error("the jupyter recipe is expected to be one cell");
  return recipe.blocks[0].text;
}

/**
 * Python that sets trait `name` of every live widget of `experiment` to the Python expression
 * `value` (the recipe's last line makes the widget without a name, so it is found among the
 * kernel's objects; the names are underscored: marimo keeps such names to their cell).
 */
export function setTrait(experiment, name, value) {
  return `import gc as _gc
import anywidget as _anywidget
for _w in _gc.get_objects():
    if isinstance(_w, _anywidget.AnyWidget) and getattr(_w, "experiment", None) == ${JSON.stringify(experiment)}:
        _w.${name} = ${value}`;
}

/** The label of the marimo number whose value the kernel copies into the perfect card's `n`. */
export const MARIMO_N_LABEL = "n, set from the kernel";

/**
 * marimo's cells after the recipes: a number (a UI element; changing it reruns the next cell in
 * the kernel) and the cell that sets the card's `n` from it — marimo's way to run code later.
 */
export function marimoControls() {
  return [
    `import marimo as mo\nn_from_kernel = mo.ui.number(start=2, stop=200000, value=${Number(PERFECT[1][1])}, label=${JSON.stringify(MARIMO_N_LABEL)})\nn_from_kernel`,
    setTrait("perfect", "n", "n_from_kernel.value"),
  ];
}
