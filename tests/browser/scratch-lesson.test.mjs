// "A lesson on an existing workload is 2 files" (www/lessons/README.md), proven: a temporary copy
// of the site gets a scratch lesson — its file in www/lessons/ and its line in index.js, nothing
// else of code — plus its two rows of prose (README's lesson table, EMBEDDING.md's `experiment`
// values). Then, in that copy, the docs test passes, the hosted page places its card in its
// section and in the table of contents, runs it to a checked result, and the beginner-first
// checks hold for it on a phone (the copy's own tests/browser/beginner.test.mjs, which finds the
// card's small settings on the lesson). Chromium; ~1 min.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

const execFileAsync = promisify(execFile);
/** `node --test …` in the copy, reporting as a plain run does (not to this test runner: a child
 * of `node --test` inherits NODE_TEST_CONTEXT and would report in its binary protocol). */
function run(args) {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return execFileAsync(process.execPath, ["--test", "--test-reporter=tap", ...args], {
    cwd: copy,
    env,
    maxBuffer: 16 << 20,
  });
}
const ID = "scratch-loop";

/** The scratch lesson: the perfect workload (the core has it), one sequential run, checked. */
const LESSON = `import { timeline } from "../ui/charts.js";
import { int, ms } from "../ui/format.js";
import { checkResults, perfectBelow } from "./common.js";
import { lessonResult } from "./contract.js";

export const scratchLoop = {
  id: "${ID}",
  section: "beyond",
  quick: { n: 2000 },
  small: { n: 2000 },
  title: "Scratch: one loop",
  lede: "One worker loops over the numbers below N, timed and checked.",
  why: "Added by a test, to show that a lesson on an existing workload is two files.",
  params: ["n"],
  code: { rust: "// the perfect workload, sequential", python: "for n in range(2, N): ..." },
  expect: (p) => \`One loop over the \${int(p.n)} numbers below N.\`,
  async run(p, ctx) {
    const trace = await ctx.run({ workload: "perfect", n: p.n, strategy: "sequential", workers: 1 });
    checkResults(trace, perfectBelow(p.n), "the known list");
    return lessonResult([["sequential", trace]], { trace });
  },
  render(summary, out) {
    timeline(out.charts, summary.trace, { title: "one loop" });
    out.facts([["total", ms(summary.trace.totalMs)]]);
  },
  answer: (summary) => \`One worker found \${summary.trace.results.length} perfect numbers in \${ms(summary.trace.totalMs)}.\`,
};
`;

let copy;
before(() => {
  copy = mkdtempSync(join(tmpdir(), "speedup-lab-scratch-"));
  // The repository's top files (the pages, the docs the docs test reads, the pins) and its docs.
  for (const f of readdirSync(ROOT)) {
    if (/\.(html|md|toml|lock|json)$|^coi-serviceworker/.test(f)) cpSync(join(ROOT, f), join(copy, f));
  }
  for (const folder of ["docs", "src"]) cpSync(join(ROOT, folder), join(copy, folder), { recursive: true });
  // The site without Pyodide (no python card runs here), the scripts and the tests it needs.
  cpSync(join(ROOT, "www"), join(copy, "www"), { recursive: true, filter: (src) => !src.includes("/vendor/pyodide") });
  cpSync(join(ROOT, "scripts", "lib"), join(copy, "scripts", "lib"), { recursive: true });
  cpSync(join(ROOT, "tests"), join(copy, "tests"), {
    recursive: true,
    filter: (src) => !/\/tests\/sites\/(\.venv|node_modules)/.test(src),
  });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));

  // The two files of code.
  writeFileSync(join(copy, "www", "lessons", `${ID}.js`), LESSON);
  const index = join(copy, "www", "lessons", "index.js");
  const source = readFileSync(index, "utf8")
    .replace('import { speedup } from "./speedup.js";', `$&\nimport { scratchLoop } from "./${ID}.js";`)
    .replace("  loadBalance,\n];", "  loadBalance,\n  scratchLoop,\n];");
  assert.match(source, /scratchLoop,\n\];/, "index.js still lists the lessons as this test expects");
  writeFileSync(index, source);

  // The two rows of prose.
  const readme = join(copy, "README.md");
  writeFileSync(
    readme,
    readFileSync(readme, "utf8").replace(
      /^(\| `load-balance` \|.*)$/m,
      `$1\n| \`${ID}\` | one loop, timed (a test's scratch lesson) |`,
    ),
  );
  const embedding = join(copy, "EMBEDDING.md");
  const values = "`speedup`, `load-balance` |";
  const embeddingText = readFileSync(embedding, "utf8");
  assert.ok(embeddingText.includes(values), "EMBEDDING.md's `experiment` row ends as this test expects");
  writeFileSync(embedding, embeddingText.replace(values, `\`speedup\`, \`load-balance\`, \`${ID}\` |`));
});
after(() => {
  if (copy && !process.env.KEEP_SCRATCH) rmSync(copy, { recursive: true, force: true });
  else if (copy) console.log(`kept ${copy}`);
});

test("the docs test passes on the copy with the scratch lesson", async () => {
  const { stdout } = await run(["tests/docs.test.mjs"]);
  assert.match(stdout, /# fail 0/);
  assert.doesNotMatch(stdout, /# pass 0\b/);
});

test("the hosted page places, lists and runs the scratch card", async () => {
  const server = await serve({ root: copy });
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser, `${server.url}/`);
    await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, { timeout: 60_000 });
    const placed = await page.evaluate((id) => {
      const card = document.getElementById(id);
      return {
        section: card?.closest("section")?.id,
        last: card === document.querySelector("#beyond speedup-lab:last-of-type"),
        toc: [...document.querySelectorAll("#toc a")].some((a) => a.getAttribute("href") === `#${id}`),
      };
    }, ID);
    assert.deepEqual(placed, { section: "beyond", last: true, toc: true });
    const answer = await page.locator(`speedup-lab#${ID}`).evaluate(async (el) => {
      el.setAttribute("n", "2000");
      await el.run();
      return el.shadowRoot.querySelector(".lede").textContent;
    });
    assert.match(answer, /^One worker found 3 perfect numbers in /);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test("the page and beginner-first tests pass on the copy for the scratch card", async () => {
  const { stdout } = await run([
    "--test-concurrency=1",
    `--test-name-pattern=${ID}|every card on the hosted page|cross-origin isolated|perfect numbers below`,
    "tests/browser/beginner.test.mjs",
    "tests/browser/page.test.mjs",
  ]);
  assert.match(stdout, /# fail 0/);
  assert.match(stdout, new RegExp(`ok \\d+ - ${ID}: after Run`), "the beginner check ran on the scratch card");
});
