// The anywidget recipe where authors live (issue 25, items 1–2): JupyterLab and marimo with a real
// kernel, from PyPI (scripts/setup-notebooks.sh, pinned in tests/hosts/requirements.txt). The
// notebook holds the Embed dialog's "jupyter" recipe, read from www/share/recipes.js, for a Rust
// lesson and for the python card. JupyterLab: a server on a free loopback port with a token, the
// notebook put there through its REST API, its cells run by the kernel from the page. marimo: the
// same notebook made an app by `marimo convert`, served by `marimo run`. In Chromium and Firefox,
// each card renders and runs (the page is not isolated: processes, and the python card on JSPI),
// and `n` changed from the kernel updates the card and cancels its run in progress. The lab is the
// repository served with its headers on another origin, as in sites.test.mjs. Hosts that cannot
// be installed skip, saying why; SKIP_BROWSERS leaves a browser out. Every server started here is
// stopped (its process group and its kernels) in `after`.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Key } from "selenium-webdriver";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { consoleProblems, inPage, openBrowser, skippedBrowsers, watchConsole } from "../../scripts/lib/webdriver.mjs";
import { MARIMO_N_LABEL, marimoControls, PERFECT, PYTHON, recipeCell, setTrait } from "../hosts/cells.mjs";
import { notebook, startJupyterLab } from "../hosts/jupyter.mjs";
import { startMarimo } from "../hosts/marimo.mjs";
import { missing, versions } from "../hosts/venv.mjs";
import {
  findDeep,
  jupyterExecute,
  jupyterRunAll,
  mountedCards,
  runCardDeep,
  runOutcome,
  runToEnd,
  startRun,
} from "./notebook-pages.mjs";
import { SNIPPET_CHECKS } from "./python-checks.mjs";

const SKIP = skippedBrowsers();
/** The two browsers; WebKitGTK is not run here (EMBEDDING.md's table says so). */
const BROWSERS = ["chromium", "firefox"];
const SHOTS = join(ROOT, "test-results", "notebooks");
const CARDS = ["perfect", "python"];

let lab;
before(async () => {
  lab = await serve({ root: ROOT, isolation: true });
});
after(async () => {
  await lab?.close();
});

/** The notebook's cells: the recipe for each card, then `extra`. */
const cells = (extra = []) => [recipeCell(`${lab.url}/`, PERFECT), recipeCell(`${lab.url}/`, PYTHON), ...extra];

async function screenshot(driver, name) {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await driver.takeScreenshot(), "base64"));
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * Each host: how to start it (once, for both browsers), open the notebook in a browser and run
 * its cells, and change the perfect card's `n` to 5000 from the kernel.
 */
const HOSTS = [
  {
    name: "JupyterLab",
    tool: "jupyter-lab",
    packages: ["jupyterlab", "jupyter_server", "ipykernel", "anywidget", "ipywidgets"],
    start: () => startJupyterLab(),
    async open(server, { driver }, browser) {
      // A notebook per browser, so each gets a kernel of its own.
      const name = `lab-${browser}.ipynb`;
      await server.api(`/api/contents/${name}`, { method: "PUT", body: JSON.stringify(notebook(cells())) });
      await driver.get(server.page(name, browser));
      await watchConsole(driver);
      const out = await inPage(driver, jupyterRunAll, name, CARDS.length);
      assert.equal(out.kernel, "python3");
      assert.deepEqual(out.executionCounts, [1, 2], "each cell run once, by the kernel");
      assert.equal(out.otherCards, 0, "no other notebook open in this workspace");
      return out.experiments;
    },
    lessonPage() {}, // one page holds both cards
    pythonPage() {},
    async setN(_server, { driver }, browser) {
      const code = setTrait("perfect", "n", "5000");
      assert.equal(await inPage(driver, jupyterExecute, `lab-${browser}.ipynb`, code), "ok");
    },
  },
  {
    name: "marimo",
    tool: "marimo",
    packages: ["marimo", "anywidget"],
    // An app per recipe (marimo.mjs says why), the controls beside the Rust lesson's.
    start: () =>
      startMarimo({
        perfect: notebook([recipeCell(`${lab.url}/`, PERFECT), ...marimoControls()]).content,
        python: notebook([recipeCell(`${lab.url}/`, PYTHON)]).content,
      }),
    async open(server, { driver }) {
      // Each app's first cell is the recipe's text as it is (indented as a marimo cell's body).
      for (const [app, settings] of [
        ["perfect", PERFECT],
        ["python", PYTHON],
      ]) {
        const body = recipeCell(`${lab.url}/`, settings).replace(/^(?=.)/gm, "    ");
        assert.ok(server.sources[app].includes(`def _():\n${body}\n    return\n`), server.sources[app]);
      }
      await driver.get(server.page("perfect"));
      await watchConsole(driver);
      const perfect = await inPage(driver, mountedCards, 1);
      await driver.get(server.page("python"));
      await watchConsole(driver);
      return [...perfect, ...(await inPage(driver, mountedCards, 1))];
    },
    async lessonPage(server, { driver }) {
      await driver.get(server.page("perfect"));
      await watchConsole(driver);
      assert.deepEqual(await inPage(driver, mountedCards, 1), ["perfect"]);
    },
    async pythonPage(server, { driver }) {
      await driver.get(server.page("python"));
      await watchConsole(driver);
      assert.deepEqual(await inPage(driver, mountedCards, 1), ["python"]);
    },
    async setN(_server, { driver }) {
      // Focused by script first (geckodriver's keys reached no unfocused field, and a click can
      // land on marimo's chrome over it), then emptied by Backspace: chromedriver types at the end
      // of the field whatever was selected.
      const input = await findDeep(driver, `input[aria-label*="${MARIMO_N_LABEL}"]`);
      await driver.executeScript('arguments[0].scrollIntoView({ block: "center" }); arguments[0].focus();', input);
      const value = await driver.executeScript("return arguments[0].value;", input);
      await input.sendKeys(...Array(value.length + 1).fill(Key.BACK_SPACE), "5000", Key.ENTER);
    },
  },
];

for (const host of HOSTS) {
  describe(host.name, { skip: missing(host.tool) ?? false }, () => {
    let server;
    let startedIn;
    before(async () => {
      const t0 = Date.now();
      server = await host.start();
      startedIn = seconds(t0);
    });
    after(async () => {
      await server?.stop();
    });

    for (const name of BROWSERS) {
      describe(name, { skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}` }, () => {
        let browser;
        before(async () => {
          browser = await openBrowser(name, { width: 1100, height: 1000 });
        });
        after(async () => {
          await browser?.close();
        });

        test("the recipe's cells, run by a real kernel, render the Rust lesson's card and the python card", async (t) => {
          const t0 = Date.now();
          assert.deepEqual(await host.open(server, browser, name), CARDS);
          t.diagnostic(`${host.name} started in ${startedIn}; notebook open and run in ${seconds(t0)}`);
          t.diagnostic(JSON.stringify(versions(host.packages)));
        });

        test("n = 5000 set from the kernel updates the card and cancels its run; the next run finds 6, 28, 496 on processes", async () => {
          const { driver } = browser;
          await host.lessonPage(server, browser);
          assert.deepEqual(await inPage(driver, startRun, "perfect"), { n: PERFECT[1][1] });
          await host.setN(server, browser, name);
          assert.deepEqual(await inPage(driver, runOutcome, "perfect"), {
            outcome: "cancelled",
            attribute: "5000",
            field: "5000",
          });
          assert.deepEqual(await inPage(driver, runToEnd, "perfect"), {
            engine: "processes",
            tasks: 4999,
            results: [6, 28, 496],
          });
        });

        test("the python card's programs run on JSPI", async (t) => {
          const { driver } = browser;
          await host.pythonPage(server, browser);
          for (const { id, check } of SNIPPET_CHECKS.filter((c) => c.id === "start-join" || c.id === "perfect-pool")) {
            const r = await inPage(driver, runCardDeep, { id });
            assert.equal(r.data?.python.blocking.rung, "jspi", r.error);
            check(r);
          }
          await screenshot(driver, `${host.name.toLowerCase()}-${name}`);
          // Nothing from the lab on the page's console; the host's own warnings are only listed.
          const problems = await consoleProblems(browser);
          assert.deepEqual(
            problems.filter((p) => p.includes(lab.url) || /speedup|anywidget/i.test(p)),
            [],
          );
          for (const p of new Set(problems)) t.diagnostic(`${host.name}'s own console: ${p.slice(0, 200)}`);
        });
      });
    }
  });
}
