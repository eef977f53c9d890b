// The Embed dialog's recipes as text (www/share/recipes.js): the Jupyter cell is valid Python
// whose `_esm` is a valid ES module re-export (its URL quoted), a Hugo argument survives a
// trailing backslash, and the python card's recipes say how its processes will block.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { recipes } from "../www/share/recipes.js";

const LAB = "https://lab.example/";
const find = (list, id) => list.find((r) => r.id === id);

test("the Jupyter cell is valid Python, and its _esm a module that re-exports the lab's", () => {
  const cell = find(
    recipes(LAB, [
      ["experiment", "perfect"],
      ["n", "100000"],
    ]),
    "jupyter",
  ).blocks[0].text;
  const esm = execFileSync(
    "python3",
    [
      "-c",
      "import ast, sys; t = ast.parse(sys.stdin.read()); print([n.value.value for c in t.body if isinstance(c, ast.ClassDef) for n in c.body if isinstance(n, ast.Assign) and n.targets[0].id == '_esm'][0])",
    ],
    { input: cell, encoding: "utf8" },
  ).trim();
  assert.equal(esm, `export { default } from "${LAB}www/widget/anywidget.js";`);
});

test("a Hugo shortcode argument with a backslash or a quote is a raw string", () => {
  const page = find(
    recipes(LAB, [
      ["experiment", "python"],
      ["n", 'a\\b"c\\'],
    ]),
    "hugo",
  ).blocks[1].text;
  assert.equal(page, '{{< speedup-lab experiment="python" n=`a\\b"c\\` >}}');
});

test("a Hugo shortcode argument is not HTML-escaped: Hugo's template escapes what the shortcode writes", () => {
  const page = find(
    recipes(LAB, [
      ["experiment", "perfect"],
      ["n", "a<b&c"],
    ]),
    "hugo",
  ).blocks[1].text;
  assert.equal(page, '{{< speedup-lab experiment="perfect" n="a<b&c" >}}');
});

test("the python card's recipes say which browsers run its processes in parallel, and the others' don't", () => {
  for (const r of recipes(LAB, [["experiment", "python"]]))
    assert.match(r.note, /Python's processes: in parallel in Chromium/);
  for (const r of recipes(LAB, [["experiment", "perfect"]])) assert.doesNotMatch(r.note, /Python's processes/);
});
