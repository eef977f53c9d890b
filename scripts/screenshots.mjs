// Regenerates the PNGs in docs/ (README and EMBEDDING.md show them): the hosted page with a few
// cards run, a phone-width card, and the example article (docs/example-article.html) on another
// origin embedding the custom element and the iframe. Needs dist/ (npm run build).
// Usage: node scripts/screenshots.mjs
import { join } from "node:path";
import { articleServer } from "./lib/article-server.mjs";
import { launch, openPage } from "./lib/chromium.mjs";
import { ROOT } from "./lib/site.mjs";
import { serve } from "./lib/static-server.mjs";

const out = (name) => join(ROOT, "docs", name);
const lab = await serve({ root: join(ROOT, "dist"), isolation: true, dev: false });
const browser = await launch();

/**
 * Run card `id` with `attrs`. A run the card itself flags as disturbed (a warning under its
 * chart: other programs held the cores) is run again, up to 4 times, so the README does not
 * show a busy machine as the lesson; the last run is kept either way.
 */
async function runCard(page, id, attrs) {
  await page.locator(`speedup-lab#${id}`).evaluate(async (el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    for (let i = 0; i < 4; i++) {
      await el.run();
      if (!el.shadowRoot.querySelector(".notes .note")) break;
    }
  }, attrs);
}

// 1. The hosted page: header and the perfect-numbers card after a run.
{
  const { page, context } = await openPage(browser, `${lab.url}/index.html`, {
    viewport: { width: 1000, height: 900 },
  });
  await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
  await runCard(page, "perfect", { n: 20000, workers: 2 }); // the card's defaults on 2 cores
  await runCard(page, "pool-map-sleep", { "unit-ms": 50 });
  await page.locator("speedup-lab#perfect").screenshot({ path: out("screenshot.png") });
  // the element screenshot above scrolled the card into view: back to the top for the page's head
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out("page-top.png"), clip: { x: 0, y: 0, width: 1000, height: 900 } });
  await page.locator("speedup-lab#pool-map-sleep").screenshot({ path: out("pool-map-sleep.png") });
  await context.close();
}

// 1b. The random-forest card after a run at its defaults (n_jobs up to the core count).
{
  const { page, context } = await openPage(browser, `${lab.url}/index.html`, {
    viewport: { width: 1000, height: 900 },
  });
  await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
  await runCard(page, "random-forest", {});
  await page.locator("speedup-lab#random-forest").screenshot({ path: out("random-forest.png") });
  await context.close();
}

// 2. A card on a 360 px phone.
{
  const { page, context } = await openPage(browser, `${lab.url}/index.html`, { viewport: { width: 360, height: 800 } });
  await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
  // At the card's defaults (N = 20 000, up to 2 × cores workers, medians of 3 with whiskers).
  await page.locator("speedup-lab#speedup").evaluate((el) => {
    el.removeAttribute("n");
    el.removeAttribute("workers");
  });
  await runCard(page, "speedup", {});
  await page.locator("speedup-lab#speedup").screenshot({ path: out("phone-speedup.png") });
  await context.close();
}

// 3. An article on another origin embedding both ways.
{
  const article = await articleServer(lab.url);
  // Tall enough for the whole iframe: Chromium does not render the off-screen part of a
  // cross-origin frame, so a frame taller than the viewport would show blank charts (the
  // perfect card, with its spawn sub-range chart and Save buttons, is about 2 400 px tall).
  const { page, context } = await openPage(browser, `${article.url}/`, {
    viewport: { width: 800, height: 2600 },
  });
  await page.evaluate(() => document.getElementById("widget-a").run());
  await page.locator("#widget-a").screenshot({ path: out("embed-element.png") });
  await page.locator("#lab-frame").scrollIntoViewIfNeeded();
  await page.evaluate(() =>
    document.getElementById("lab-frame").contentWindow.postMessage({ type: "speedup-lab:run" }, "*"),
  );
  await page.waitForFunction(() => window.__events.some((e) => e.from === "iframe"), null, { timeout: 60_000 });
  await page.waitForTimeout(1500); // the frame resizes to its content after the run; let it settle
  await page.locator("#lab-frame").scrollIntoViewIfNeeded();
  await page.locator("#lab-frame").screenshot({ path: out("embed-iframe.png") });
  await context.close();
  await article.close();
}

await browser.close();
await lab.close();
console.log("docs/*.png written");
