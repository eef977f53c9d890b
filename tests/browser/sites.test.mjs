// Real site generators (issues 17 and 25): MkDocs Material (from PyPI), MyST (the npm `mystmd`),
// Docusaurus (the npm classic template's packages) and Hugo (Debian's package) sites built from the
// documented recipes (tests/sites/build*.mjs take the recipes' text from www/share/recipes.js,
// which the Embed dialog shows), each served header-less on its own origin, and their widgets run
// in Chromium, Firefox and WebKitGTK: the custom element on processes (the article is not
// isolated), the iframe on threads where it can isolate itself (Chromium), the anywidget module in
// MyST's page, and the python card on its rung. The lab is the repository served with its headers,
// as `npm start` serves it. A generator that is not installed fails with the command that installs
// it (scripts/setup-sites.sh); one whose packages could not be had on this machine (setup-sites.sh
// says why in tests/sites/.unavailable/) skips its tests with that sentence. SKIP_BROWSERS leaves
// a browser out, as in engines.test.mjs.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import {
  BROWSERS,
  consoleProblems,
  inPage,
  openBrowser,
  skippedBrowsers,
  watchConsole,
} from "../../scripts/lib/webdriver.mjs";
import { buildMkdocs, buildMyst, buildMystTheme } from "../sites/build.mjs";
import { buildDocusaurus } from "../sites/build-docusaurus.mjs";
import { buildHugo } from "../sites/build-hugo.mjs";
import { runCard, SNIPPET_CHECKS } from "./python-checks.mjs";

const SKIP = skippedBrowsers();
const SHOTS = join(ROOT, "test-results", "sites");
/** The iframe isolates itself with Document-Isolation-Policy: Chromium only (EMBEDDING.md). */
const IFRAME_ENGINE = { chromium: "threads", firefox: "processes", webkit: "processes" };

let lab;
const sites = {};
const servers = [];

/**
 * The lab on a fixed port when it is free: Docusaurus's config holds the lab's URL, and webpack's
 * cache (tests/sites/build-docusaurus.mjs) serves a rebuild only while that config is unchanged.
 */
const LAB_PORT = Number(process.env.SITES_LAB_PORT ?? 47613);

before(async () => {
  lab = await serve({ root: ROOT, isolation: true, port: LAB_PORT }).catch(() =>
    serve({ root: ROOT, isolation: true }),
  );
  servers.push(lab);
  for (const [tool, build] of [
    ["mkdocs", buildMkdocs],
    ["myst", buildMyst],
    ...(process.env.SKIP_MYST_THEME ? [] : [["myst-theme", buildMystTheme]]),
    ["docusaurus", buildDocusaurus],
    ["hugo", buildHugo],
  ]) {
    // Header-less, on another origin than the lab: what a static host gives an author. A build
    // that fails fails that site's tests, with the generator's message.
    const start = Date.now();
    try {
      const root = mkdtempSync(join(tmpdir(), `speedup-${tool}-site-`));
      const s = await serve({ root, isolation: false }); // it reads files when asked: build after
      servers.push(s);
      const built = await build(`${lab.url}/`, root, `${s.url}/`);
      if (built !== root) {
        servers.pop();
        await s.close();
        const again = await serve({ root: built, isolation: false });
        servers.push(again);
        sites[tool] = { url: again.url };
      } else sites[tool] = { url: s.url };
    } catch (error) {
      sites[tool] = { error };
    }
    console.log(
      `# ${tool}: ${sites[tool].error ? "not built" : "built"} in ${((Date.now() - start) / 1000).toFixed(1)} s`,
    );
  }
});

after(async () => {
  for (const s of servers) await s.close();
});

/**
 * The built site's URL, or the build's error; null, with test `t` skipped saying why, where the
 * host's packages could not be had.
 */
function site(t, tool) {
  const { url, error } = sites[tool];
  if (error?.skip) {
    t.skip(error.skip);
    return null;
  }
  if (error) throw error;
  return url;
}

/** Runs every widget of the page (elements by run(), iframes by their message); in the page. */
async function runWidgets() {
  const out = { elements: {}, frames: {} };
  // Widgets may sit in shadow roots (myst-theme renders each anywidget in one): look through them.
  const widgets = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.localName === "speedup-lab") widgets.push(el);
      else if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const deadline = (what) =>
    new Promise((_, no) => setTimeout(() => no(new Error(`${what}: no result after 120 s`)), 120_000));
  // The page's load does not wait for a module script in its body in every browser (WebKitGTK
  // ran this before Hugo's shortcode script had defined the element).
  if (widgets.length) await Promise.race([customElements.whenDefined("speedup-lab"), deadline("the element's module")]);
  for (const el of widgets) {
    el.scrollIntoView();
    const t = await Promise.race([el.run(), deadline(el.getAttribute("experiment"))]);
    out.elements[el.getAttribute("experiment")] = { engine: t.engine, results: t.results };
  }
  for (const frame of document.querySelectorAll("iframe[src*='embed.html']")) {
    frame.scrollIntoView();
    const done = new Promise((resolve) => {
      addEventListener("message", (e) => {
        if (e.source === frame.contentWindow && e.data?.type === "speedup-lab:done") resolve(e.data.trace);
        if (e.source === frame.contentWindow && e.data?.type === "speedup-lab:error")
          resolve({ error: e.data.message });
      });
    });
    // The frame takes commands once its card is up; it says its height then (the recipe's listener sets it).
    const start = Date.now();
    while (!frame.style.height && Date.now() - start < 60_000) await new Promise((r) => setTimeout(r, 100));
    frame.contentWindow.postMessage({ type: "speedup-lab:run" }, "*");
    const t = await Promise.race([done, deadline("iframe")]);
    out.frames[frame.id] = t.error ? t : { engine: t.engine, results: t.results, height: frame.style.height };
  }
  return out;
}

async function screenshot(driver, name) {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await driver.takeScreenshot(), "base64"));
}

/**
 * Follow the link `selector` (the site's own navigation), then run the next page's sleep-seq
 * widget: `{ tasks, engine, reloaded }`.
 */
async function afterNavigation(driver, selector) {
  await inPage(
    driver,
    async (link) => {
      window.__samePage = true; // gone if the link reloads the page
      document.querySelector(link).click();
    },
    selector,
  );
  return inPage(driver, async () => {
    const start = Date.now();
    while (!document.querySelector("speedup-lab[experiment=sleep-seq]") && Date.now() - start < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const el = document.querySelector("speedup-lab[experiment=sleep-seq]");
    const t = await el.run();
    return { tasks: t.tasks, engine: t.engine, reloaded: window.__samePage !== true };
  });
}

const POOL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** The python card's blocking rung in a header-less site on another origin (docs/python.md). */
const PYTHON_RUNG = { chromium: "jspi", firefox: "jspi", webkit: "one-at-a-time" };
const PERFECT = [6, 28, 496];

for (const name of BROWSERS) {
  describe(name, { skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}` }, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(name, { width: 1100, height: 1000 });
    });
    after(async () => {
      await browser?.close();
    });

    for (const [tool, label] of [
      ["mkdocs", "MkDocs Material"],
      ["docusaurus", "Docusaurus"],
      ["hugo", "Hugo"],
    ]) {
      test(`${label}: the python card's programs run on ${PYTHON_RUNG[name]}`, async (t) => {
        const url = site(t, tool);
        if (!url) return;
        const { driver } = browser;
        await driver.get(`${url}/python/`);
        for (const { id, check } of SNIPPET_CHECKS.filter((c) => c.id === "start-join" || c.id === "perfect-pool")) {
          const r = await inPage(driver, runCard, { id });
          assert.equal(r.data?.python.blocking.rung, PYTHON_RUNG[name], r.error);
          check(r);
        }
      });
    }

    test(`MkDocs Material: the recipe's elements run on processes, its iframe on ${IFRAME_ENGINE[name]}, and a widget after instant navigation`, async (t) => {
      const url = site(t, "mkdocs");
      if (!url) return;
      const { driver } = browser;
      await driver.get(`${url}/`);
      await watchConsole(driver);
      const out = await inPage(driver, runWidgets);
      assert.deepEqual(out.elements, {
        "pool-map-sleep": { engine: "processes", results: POOL },
        perfect: { engine: "processes", results: PERFECT },
      });
      assert.equal(out.frames["lab-perfect"].engine, IFRAME_ENGINE[name], JSON.stringify(out.frames));
      assert.deepEqual(out.frames["lab-perfect"].results, PERFECT);
      assert.match(out.frames["lab-perfect"].height, /^\d+px$/);
      await inPage(driver, async () => window.scrollTo(0, 0));
      await screenshot(driver, `mkdocs-${name}`);
      // Material's instant navigation swaps the page in without a reload: the next page's widget
      // must still be upgraded and run.
      assert.deepEqual(await afterNavigation(driver, 'a[href$="pools/"]'), {
        tasks: 2,
        engine: "processes",
        reloaded: false,
      });
      assert.deepEqual(await consoleProblems(browser), []);
    });

    for (const [tool, label, link] of [
      ["docusaurus", "Docusaurus", 'a[href="/pools"]'],
      ["hugo", "Hugo", null],
    ]) {
      const more = link ? ", and a widget after client-side navigation" : "";
      test(`${label}: the recipe's elements run on processes${more}`, async (t) => {
        const url = site(t, tool);
        if (!url) return;
        const { driver } = browser;
        await driver.get(`${url}/`);
        await watchConsole(driver);
        const out = await inPage(driver, runWidgets);
        assert.deepEqual(out.elements, {
          "pool-map-sleep": { engine: "processes", results: POOL },
          perfect: { engine: "processes", results: PERFECT },
        });
        await inPage(driver, async () => window.scrollTo(0, 0));
        await screenshot(driver, `${tool}-${name}`);
        // Docusaurus is a React app: its router renders the next page without a reload.
        if (link) {
          assert.deepEqual(await afterNavigation(driver, link), { tasks: 2, engine: "processes", reloaded: false });
        }
        assert.deepEqual(await consoleProblems(browser), []);
      });
    }

    for (const [tool, label] of [
      ["myst", "MyST (mystmd's page, myst-theme's anywidget renderer)"],
      ["myst-theme", "MyST book theme (myst build --html)"],
    ]) {
      test(`${label}: the recipe's {anywidget} directives render and run the lessons through the anywidget module`, {
        skip: tool === "myst-theme" && process.env.SKIP_MYST_THEME && "SKIP_MYST_THEME",
      }, async (t) => {
        const url = site(t, tool);
        if (!url) return;
        const { driver } = browser;
        await driver.get(`${url}/`);
        await watchConsole(driver);
        // The widgets mount once the page's script has run: wait for both cards, through shadow roots.
        const mounted = await inPage(driver, async () => {
          const find = () =>
            [...document.querySelectorAll(".myst-anywidget")].flatMap((host) => [
              ...(host.shadowRoot?.querySelectorAll("speedup-lab") ?? []),
            ]);
          const start = Date.now();
          while (find().length < 2 && Date.now() - start < 60_000) await new Promise((r) => setTimeout(r, 100));
          return find().map((el) => el.getAttribute("experiment"));
        });
        assert.deepEqual(mounted, ["pool-map-sleep", "perfect"]);
        const out = await inPage(driver, runWidgets);
        assert.deepEqual(out.elements, {
          "pool-map-sleep": { engine: "processes", results: POOL },
          perfect: { engine: "processes", results: PERFECT },
        });
        await inPage(driver, async () => window.scrollTo(0, 0));
        await screenshot(driver, `${tool}-${name}`);
        assert.deepEqual(await consoleProblems(browser), []);
      });
    }
  });
}
