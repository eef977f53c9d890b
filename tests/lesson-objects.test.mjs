// Each lesson object (www/lessons/) is the one place a lesson is registered: the hosted page's
// card (its `section`), the tests' quick settings (`quick`), the pictures' small ones (`small`:
// link cards, phone checks) and its hooks come from it. These checks hold the shape the card,
// the page and the tests rely on, so a new lesson that forgets one fails here, by name.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../scripts/lib/site.mjs";
import { LESSONS } from "../www/lessons/index.js";

const sections = [...readFileSync(join(ROOT, "index.html"), "utf8").matchAll(/<section id="([a-z-]+)">/g)].map(
  (m) => m[1],
);
const OWN_ATTRS = ["engine", "autorun", "theme"];
const WASM = join(ROOT, "www", "pkg", "plain", "speedup_lab_bg.wasm");
const skip = !existsSync(WASM) && "www/pkg/ is not built (npm run build)";

/** The core's parameter table, by key (the page's plain wasm, as tests/docs.test.mjs reads it). */
async function paramTable() {
  const core = await import("../www/pkg/plain/speedup_lab.js");
  core.initSync({ module: readFileSync(WASM) });
  return Object.fromEntries(core.limits(10, 2).params.map((p) => [p.key, p]));
}

for (const lesson of LESSONS) {
  test(`${lesson.id}: the card, the page and the tests find what they need on it`, { skip }, async () => {
    for (const field of ["id", "title", "lede", "why"]) assert.equal(typeof lesson[field], "string", field);
    for (const fn of ["expect", "run", "render", "answer"]) assert.equal(typeof lesson[fn], "function", fn);
    assert.ok(Array.isArray(lesson.params), "params: the keys it reads from the core's table");
    assert.equal(typeof lesson.code?.rust, "string");
    assert.equal(typeof lesson.code?.python, "string");
    assert.ok(sections.includes(lesson.section), `section "${lesson.section}": one of index.html's ${sections}`);
    // quick and small are attribute → value, only attributes the card reads for this lesson
    const table = await paramTable();
    const attrs = lesson.params.map((key) => table[key].attr);
    for (const settings of ["quick", "small"]) {
      assert.equal(typeof lesson[settings], "object", `${settings}: attribute → value`);
      for (const attr of Object.keys(lesson[settings])) {
        assert.ok(
          [...attrs, ...OWN_ATTRS].includes(attr),
          `${settings}: "${attr}" is not an attribute of ${lesson.id}`,
        );
      }
    }
    if (lesson.warm !== undefined) {
      assert.equal(typeof lesson.warm.workload, "string", "warm: a run spec (lessons/common.js WARM_UP), not a flag");
    }
    for (const hook of ["connected", "mount", "csv", "traceEvents", "engineNote"]) {
      if (lesson[hook] !== undefined && hook !== "engineNote") assert.equal(typeof lesson[hook], "function", hook);
    }
  });
}

test("ids are unique and kebab-case", () => {
  const ids = LESSONS.map((l) => l.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
});
