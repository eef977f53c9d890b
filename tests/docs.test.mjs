// The docs agree with the code where the code has the fact: the lesson list (www/lessons/index.js),
// the reader's parameters, their ranges and initial values (the core's table, src/limits.rs, read
// through the `limits` binding of the page's plain wasm), the lessons' own defaults
// (www/lessons/*.js), and the files and exports of the wasm bindings. Each test fails, naming
// the line, when a doc says something else. Needs www/pkg/ (npm test builds it first).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { ROOT } from "../scripts/lib/site.mjs";
import { LESSON_IDS, LESSONS } from "../www/lessons/index.js";

const WASM = join(ROOT, "www", "pkg", "plain", "speedup_lab_bg.wasm");
const built = existsSync(WASM);
const skip = !built && "www/pkg/ is not built (npm run build)";

/** The core's table as the page gets it, for a pool of 10 on 2 cores (only fixed bounds are checked). */
async function coreLimits() {
  const core = await import("../www/pkg/plain/speedup_lab.js");
  core.initSync({ module: readFileSync(WASM) });
  return core.limits(10, 2);
}

const read = (file) => readFileSync(join(ROOT, file), "utf8");
/** "200 000" and "1 048 576" as the docs group digits → 200000, 1048576. */
const plain = (text) => text.replace(/(\d) (?=\d{3}(?!\d))/g, "$1");
/** The cells of the Markdown table row whose first cell starts with `start`. */
function row(doc, start) {
  const line = doc.split("\n").find((l) => l.startsWith(`| ${start}`));
  return line?.split(" | ").map((c) => c.replace(/^\| |\s*\|$/g, ""));
}
/** Does `text` say the range `min – max` (not as part of a longer number)? */
const saysRange = (text, min, max) => new RegExp(`(^|\\D)${min} – ${max}(\\D|$)`).test(text);
/** Every lesson id written as `id` in `text`. */
const idsIn = (text) =>
  [...text.matchAll(/`([a-z]+(?:-[a-z]+)*)`/g)].map((m) => m[1]).filter((id) => LESSON_IDS.includes(id));

test("every lesson is documented: EMBEDDING.md, README.md; index.html has its section", () => {
  const embedding = row(read("EMBEDDING.md"), "`experiment`");
  assert.deepEqual(idsIn(embedding[1]), LESSON_IDS, "EMBEDDING.md's `experiment` values, in the lab's order");
  const readme = read("README.md");
  const table = readme.slice(readme.indexOf("## The lessons"), readme.indexOf("## What is where"));
  const rows = table.split("\n").filter((l) => /^\| `[a-z-]+` \|/.test(l));
  assert.deepEqual(
    rows.map((l) => l.match(/^\| `([a-z-]+)`/)[1]).sort(),
    [...LESSON_IDS].sort(),
    "README's lesson table",
  );
  // index.html holds only the sections: each lesson's card goes into the one it names (www/share/cards.js)
  const sections = [...read("index.html").matchAll(/<section id="([a-z-]+)">/g)].map((m) => m[1]);
  for (const lesson of LESSONS) {
    assert.ok(sections.includes(lesson.section), `${lesson.id}: index.html has no <section id="${lesson.section}">`);
  }
  assert.doesNotMatch(read("index.html"), /<speedup-lab/, "index.html names no lesson: the lessons place their cards");
  assert.doesNotMatch(readme, /all \d+ cards/, 'README says "every card", not a count to keep up by hand');
});

test("EMBEDDING.md's attributes are the widget's, with the core's ranges and initial values", { skip }, async () => {
  const { params } = await coreLimits();
  const doc = read("EMBEDDING.md");
  const table = doc.slice(doc.indexOf("### Attributes"), doc.indexOf("### API"));
  const documented = [...table.matchAll(/^\| ((?:`[a-z-]+`(?:, )?)+) \|/gm)].flatMap((m) =>
    [...m[1].matchAll(/`([a-z-]+)`/g)].map((a) => a[1]),
  );
  const attrs = params.filter((p) => p.attr).map((p) => p.attr);
  assert.deepEqual(documented.sort(), ["experiment", ...attrs, "engine", "autorun", "theme"].sort());
  for (const p of params.filter((q) => q.attr)) {
    const line = table.split("\n").find((l) => l.includes(`\`${p.attr}\``));
    const [, values, initial] = line.split(" | ").map(plain);
    if (p.key !== "workers" && p.key !== "chunksize") {
      // a fixed range: "min – max" in the values; the initial value in the default column
      assert.ok(saysRange(values, p.min, p.max), `${p.attr}: "${values}" lacks ${p.min} – ${p.max}`);
    }
    if (p.initial !== null && p.key !== "workers") {
      assert.match(initial, new RegExp(`(^|\\D)${p.initial}(\\D|$)`), `${p.attr}: default ${p.initial}`);
    }
  }
});

test("a lesson's own default, where EMBEDDING.md names it, is the lesson's", { skip }, async () => {
  const { params } = await coreLimits();
  const table = read("EMBEDDING.md");
  for (const p of params.filter((q) => q.attr)) {
    const line = table.split("\n").find((l) => l.startsWith(`| \`${p.attr}\``));
    if (!line) continue;
    const initial = plain(line.split(" | ")[2]);
    // "(`speedup`: 10 000)" and "10 for `many-sleepers`" name a lesson's default
    const named = [
      ...[...initial.matchAll(/`([a-z-]+)`: (\d+)/g)].map((m) => [m[1], Number(m[2])]),
      ...[...initial.matchAll(/(\d+) for `([a-z-]+)`/g)].map((m) => [m[2], Number(m[1])]),
    ];
    for (const [id, value] of named) {
      const lesson = LESSONS.find((l) => l.id === id);
      assert.ok(lesson, `${p.attr}: no lesson ${id}`);
      const own = lesson.defaults?.[p.key];
      assert.equal(value, typeof own === "number" ? own : p.initial, `${p.attr} of ${id}`);
    }
  }
  // and every lesson default that is a number is named there
  for (const lesson of LESSONS) {
    for (const [key, value] of Object.entries(lesson.defaults ?? {})) {
      const p = params.find((q) => q.key === key);
      if (typeof value !== "number" || value === p.initial) continue;
      const line = plain(table.split("\n").find((l) => l.startsWith(`| \`${p.attr}\``)));
      assert.ok(line.includes(`${value} for \`${lesson.id}\``), `EMBEDDING.md: ${p.attr} of ${lesson.id} is ${value}`);
    }
  }
});

test("RELIABILITY.md's limits are the core's", { skip }, async () => {
  const { params, maxSpawnN, maxWorkers } = await coreLimits();
  const doc = read("RELIABILITY.md");
  for (const p of params.filter((q) => q.attr && q.key !== "workers" && q.key !== "chunksize")) {
    const cells = row(doc, `\`${p.attr}\``);
    assert.ok(cells, `RELIABILITY.md has no row for ${p.attr}`);
    assert.ok(saysRange(plain(cells[1]), p.min, p.max), `${p.attr}: "${cells[1]}" lacks ${p.min} – ${p.max}`);
  }
  assert.match(plain(row(doc, "`n` with `spawn-per-task`")[1]), new RegExp(`≤ ${maxSpawnN}(\\D|$)`), "spawn's cap");
  assert.match(plain(row(doc, "`workers`")[1]), new RegExp(`at most ${maxWorkers}(\\D|$)`), "the workers' ceiling");
  const unit = params.find((q) => q.key === "unitMs").initial;
  assert.match(read("README.md"), new RegExp(`The time unit defaults to ${unit} ms`));
});

test("README names every file with wasm-bindgen exports, and every export of the three builds", { skip }, () => {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".rs") ? [join(dir, e.name)] : [],
    );
  const readme = read("README.md");
  const files = walk(join(ROOT, "src")).filter((f) => readFileSync(f, "utf8").includes("#[wasm_bindgen"));
  assert.ok(files.length >= 1);
  for (const file of files) {
    const path = relative(ROOT, file);
    assert.ok(readme.includes(`\`${path}\``), `README.md does not name ${path}`);
  }
  // what JS can import: the generated modules' exports, but wasm-bindgen-rayon's own
  for (const flavour of ["plain", "plain-forest", "threads"]) {
    const js = read(join("www", "pkg", flavour, "speedup_lab.js"));
    const exported = [...js.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
    for (const name of exported.filter((n) => n !== "initThreadPool" && !n.startsWith("wbg_rayon_"))) {
      assert.ok(readme.includes(`\`${name}\``), `README.md does not name ${name} (${flavour} build)`);
    }
  }
});

test("docs/toolchain.md's versions are the pinned ones (rust-toolchain.toml, Cargo.lock, package-lock.json)", () => {
  const doc = read("docs/toolchain.md");
  const cell = (what) => row(doc, what)?.[1] ?? "";
  const channel = read("rust-toolchain.toml").match(/channel = "([^"]+)"/)[1];
  assert.ok(cell("Rust").includes(`\`${channel}\``), `Rust: ${cell("Rust")} (pinned: ${channel})`);
  const lock = read("Cargo.lock");
  const crate = (name) => lock.match(new RegExp(`name = "${name}"\\nversion = "([^"]+)"`))[1];
  assert.ok(cell("wasm-bindgen (crate)").startsWith(crate("wasm-bindgen")), "wasm-bindgen");
  assert.equal(cell("js-sys"), crate("js-sys"));
  const [rayon, wbr] = cell("rayon / wasm-bindgen-rayon").split(", ")[0].split(" / ");
  assert.ok(crate("rayon").startsWith(rayon), `rayon ${rayon} (locked: ${crate("rayon")})`);
  assert.equal(wbr, crate("wasm-bindgen-rayon"));
  const npm = JSON.parse(read("package-lock.json")).packages;
  assert.ok(npm["node_modules/binaryen"].version.startsWith(`${cell("binaryen (`wasm-opt`)").split(",")[0]}.`));
  const playwright = npm["node_modules/playwright-core"].version.split(".").slice(0, 2).join(".");
  assert.match(cell("Chromium"), new RegExp(`playwright-core ${playwright.replace(".", "\\.")}(\\D|$)`));
});

test("EMBEDDING.md's CORS folders are the ones the server and _headers open (scripts/lib/site.mjs)", async () => {
  const { EMBED_FOLDERS } = await import("../scripts/lib/site.mjs");
  const doc = read("EMBEDDING.md");
  const rows = doc.split("\n").filter((l) => l.startsWith("| `") && l.includes("CORS `*`"));
  // folders only (a trailing slash): single files such as `www/embed.js` have rows of their own
  const folders = rows.flatMap((l) =>
    [...l.split(" | ")[0].matchAll(/`((?:www\/)?[a-z]+\/)`/g)].map((m) => `/${m[1]}`),
  );
  assert.deepEqual(folders.sort(), [...EMBED_FOLDERS].sort());
});
