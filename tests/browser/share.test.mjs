// For authors (issue 17): the Embed dialog's snippets, taken from the dialog and pasted unchanged
// into an article on another origin, run; a card's settings live in the hosted page's URL; the
// anywidget module renders, runs and cleans up; the element's API works from a script at
// DOMContentLoaded and load (in three browsers: api-at-load.test.mjs; sandboxed frames:
// sandboxed.test.mjs). The lab is the repository served as `npm start` serves it. Every test presses Run (or
// calls run()): nothing here relies on an engine booting before it is asked.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { articleServer } from "../../scripts/lib/article-server.mjs";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

const FIXTURES = join(ROOT, "tests", "browser", "fixtures");
let browser;
let lab;
const servers = [];

before(async () => {
  browser = await launch();
  lab = await serve({ root: ROOT, isolation: true });
  servers.push(lab);
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

/** An article on its own origin serving `html` ({{LAB}} is the lab's URL). */
async function article(html) {
  const file = join(mkdtempSync(join(tmpdir(), "speedup-share-")), "article.html");
  writeFileSync(file, html);
  const s = await articleServer(lab.url, file);
  servers.push(s);
  return s;
}

/** The snippet blocks of recipe `id` in the open dialog, as the reader would copy them. */
async function recipeBlocks(page, id) {
  await page.locator(`dialog.embed-dialog [role=tab][data-recipe="${id}"]`).click();
  await page.waitForFunction((id) => document.querySelector("dialog.embed-dialog .panel")?.dataset.recipe === id, id);
  return page.locator("dialog.embed-dialog .panel pre.snippet").allTextContents();
}

test("the Embed dialog's snippets, for the card's current settings, run when pasted unchanged into another origin's article", async () => {
  const tab = await openPage(browser, `${lab.url}/index.html?perfect.n=3000&perfect.workers=2#perfect`);
  const { page } = tab;
  const card = page.locator("speedup-lab#perfect");
  await page.locator("#perfect > .embed-button").waitFor({ timeout: 30_000 });
  // the settings came from the URL into the card
  assert.equal(await card.evaluate((el) => el.shadowRoot.querySelector("input[name=n]").value), "3000");
  await page.locator("#perfect > .embed-button").click();
  const dialog = page.locator("dialog.embed-dialog");
  await dialog.waitFor();
  assert.match(await dialog.locator(".settings").textContent(), /n = 3000, workers = 2/);
  const tabs = await dialog.locator("[role=tab]").allTextContents();
  for (const tool of ["Custom element", "iframe", "MkDocs Material", "MyST", "Docusaurus", "Hugo", "WordPress"]) {
    assert.ok(
      tabs.some((t) => t.includes(tool)),
      `a tab for ${tool}: ${tabs}`,
    );
  }
  const [element] = await recipeBlocks(page, "element");
  const [iframe] = await recipeBlocks(page, "iframe");
  const [mkdocsYml, mkdocsPage] = await recipeBlocks(page, "mkdocs");
  const [myst] = await recipeBlocks(page, "myst");
  const [hugoFile] = await recipeBlocks(page, "hugo");
  assert.match(element, /<speedup-lab experiment="perfect" n="3000" workers="2"><\/speedup-lab>/);
  assert.match(mkdocsYml, /type: module/);
  assert.equal(mkdocsPage, '<speedup-lab experiment="perfect" n="3000" workers="2"></speedup-lab>');
  assert.match(
    myst,
    /^:::\{anywidget\} http:\/\/127\.0\.0\.1:\d+\/www\/widget\/anywidget\.js\n\{\n {2}"experiment": "perfect",\n {2}"n": 3000,/,
  );
  // Hugo's shortcode file passes on every attribute the element reads (the core's table) and no other
  const names = await card.evaluate((el) => el.constructor.attributeNames());
  const passed = [...hugoFile.matchAll(/\.Get "([a-z-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(passed, names);
  // the live preview is the iframe embed with the same settings
  const preview = await dialog.locator("iframe.preview").getAttribute("src");
  assert.match(preview, /embed\.html\?experiment=perfect&n=3000&workers=2/);
  await tab.context.close();

  // Pasted unchanged, both snippets into one article on another origin.
  const site = await article(`<!doctype html><html><head><meta charset="utf-8"><title>pasted</title></head><body>
<h1>Pasted from the dialog</h1>
${element}
${iframe}
<script>
  window.__frame = [];
  addEventListener("message", (e) => { if (e.data?.type === "speedup-lab:done") window.__frame.push(e.data.trace); });
</script>
</body></html>`);
  const reader = await openPage(browser, `${site.url}/article.html`);
  const el = await reader.page.locator("speedup-lab").evaluate(async (el) => {
    const t = await el.run();
    return { results: t.results, engine: t.engine, n: el.shadowRoot.querySelector("input[name=n]").value };
  });
  assert.deepEqual(el, { results: [6, 28, 496], engine: "processes", n: "3000" });
  const frame = reader.page.locator("iframe");
  await frame.scrollIntoViewIfNeeded();
  // the snippet's listener sets the frame's height from the frame's messages
  await reader.page.waitForFunction(() => document.querySelector("iframe").style.height !== "", null, {
    timeout: 30_000,
  });
  await reader.page.evaluate(() =>
    document.querySelector("iframe").contentWindow.postMessage({ type: "speedup-lab:run" }, "*"),
  );
  await reader.page.waitForFunction(() => window.__frame.length > 0, null, { timeout: 60_000 });
  const trace = await reader.page.evaluate(() => window.__frame[0]);
  assert.deepEqual(trace.results, [6, 28, 496]);
  assert.deepEqual(reader.problems, []);
  await reader.context.close();
});

test("a card's settings live in the hosted page's URL; a bad value from a link gets the card's usual message", async () => {
  const tab = await openPage(browser, `${lab.url}/index.html`);
  const { page } = tab;
  await page.locator("#pool-map-sleep > .embed-button").waitFor({ timeout: 30_000 });
  const input = page.locator("speedup-lab#pool-map-sleep input[name=unitMs]");
  const entries = await page.evaluate(() => history.length);
  await input.fill("40");
  await page.waitForFunction(() => location.search.includes("pool-map-sleep.unit-ms=40"));
  await input.fill("100"); // back to the default: the setting leaves the URL
  await page.waitForFunction(() => !location.search.includes("pool-map-sleep"));
  assert.equal(await page.evaluate(() => history.length), entries, "replaceState: no history entry per keystroke");
  // A link with a bad value: the input shows it, and Run says what to change.
  await page.goto(`${lab.url}/index.html?pool-map-sleep.unit-ms=0&pool-map-sleep.bogus=1#pool-map-sleep`);
  await page.locator("#pool-map-sleep > .embed-button").waitFor({ timeout: 30_000 });
  const outcome = await page.locator("speedup-lab#pool-map-sleep").evaluate(async (el) => {
    const message = await el.run().then(
      () => "ran",
      (e) => e.message,
    );
    return {
      message,
      alert: el.shadowRoot.querySelector(".error[role=alert]")?.textContent,
      bogus: el.hasAttribute("bogus"),
    };
  });
  assert.match(outcome.message, /1/, outcome.message);
  assert.equal(outcome.alert, outcome.message);
  assert.equal(outcome.bogus, false, "only attributes the element reads are set");
  // The out-of-range value goes into no snippet and no link: whoever pastes them gets the default.
  assert.deepEqual(await page.locator("speedup-lab#pool-map-sleep").evaluate((el) => el.settings), [
    ["experiment", "pool-map-sleep"],
  ]);
  await page.locator("#pool-map-sleep > .embed-button").click();
  const snippets = (await page.locator("dialog.embed-dialog").textContent()) ?? "";
  assert.ok(!/unit-ms=.?0\b/.test(snippets), "no snippet carries unit-ms=0");
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});

test("the element's API works from a script at DOMContentLoaded and at load (the element is defined at once)", async () => {
  const site = await articleServer(lab.url, join(FIXTURES, "api-at-load.html"));
  servers.push(site);
  const tab = await openPage(browser, `${site.url}/`);
  await tab.page.waitForFunction(() => Object.values(window.__api).filter((r) => "ok" in r).length === 2, null, {
    timeout: 60_000,
  });
  const api = await tab.page.evaluate(() => window.__api);
  assert.deepEqual(api["at-dcl"], {
    when: "DOMContentLoaded",
    defined: true,
    progress: 10,
    ok: true,
    engine: "processes",
    tasks: 10,
  });
  assert.equal(api["at-load"].defined, true);
  assert.equal(api["at-load"].ok, true, JSON.stringify(api["at-load"]));
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});

test("the anywidget module renders a lesson from its model, follows the model's changes, and cleans up", async () => {
  const site =
    await article(`<!doctype html><html><head><meta charset="utf-8"><title>anywidget host</title></head><body>
<div id="host"></div>
<script type="module">
  // A minimal anywidget host: a model with get/on/off, as MyST's and Jupyter's give.
  const values = { experiment: "pool-map-sleep", unit_ms: 30, workers: 5 };
  const listeners = new Map();
  const model = {
    get: (k) => values[k],
    set: (k, v) => { values[k] = v; for (const f of listeners.get("change:" + k) ?? []) f(); },
    on: (e, f) => listeners.set(e, [...(listeners.get(e) ?? []), f]),
    off: (e, f) => listeners.set(e, (listeners.get(e) ?? []).filter((g) => g !== f)),
  };
  const { default: widget } = await import("{{LAB}}/www/widget/anywidget.js");
  const el = document.getElementById("host");
  window.__widget = { model, el, listeners, cleanup: await widget.render({ model, el }) };
</script>
</body></html>`);
  const tab = await openPage(browser, `${site.url}/article.html`);
  await tab.page.waitForFunction(() => window.__widget, null, { timeout: 30_000 });
  const out = await tab.page.evaluate(async () => {
    const { model, el, listeners, cleanup } = window.__widget;
    const card = el.querySelector("speedup-lab");
    const first = await card.run();
    model.set("unit_ms", 20); // a trait changed from Python
    const unit = card.getAttribute("unit-ms");
    const second = await card.run();
    cleanup();
    return {
      first: { engine: first.engine, results: first.results, workers: new Set(first.spans.map((s) => s.worker)).size },
      unit,
      secondTasks: second.tasks,
      removed: el.querySelector("speedup-lab") === null,
      listeners: [...listeners.values()].flat().length,
    };
  });
  assert.deepEqual(out.first, { engine: "processes", results: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], workers: 5 });
  assert.equal(out.unit, "20");
  assert.equal(out.secondTasks, 10);
  assert.equal(out.removed, true);
  assert.equal(out.listeners, 0, "clean-up removes the model listeners");
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});
