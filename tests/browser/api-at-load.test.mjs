// The element's API from an author's script at DOMContentLoaded and load, in every browser
// (issue 17: before the element was defined at once, `el.run is not a function` came in 1–2 of
// 20 fresh Firefox loads). tests/browser/fixtures/api-at-load.html on another origin than the
// lab, loaded afresh several times per browser; every load must run both widgets.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { articleServer } from "../../scripts/lib/article-server.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { BROWSERS, inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";

const SKIP = skippedBrowsers();
/** Fresh loads per browser: each a new page load (the race was at load, not in a session). */
const LOADS = 5;
let lab;
let site;

before(async () => {
  lab = await serve({ root: ROOT, isolation: true });
  site = await articleServer(lab.url, join(ROOT, "tests", "browser", "fixtures", "api-at-load.html"));
});

after(async () => {
  await site?.close();
  await lab?.close();
});

for (const name of BROWSERS) {
  describe(name, { skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}` }, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(name);
    });
    after(async () => {
      await browser?.close();
    });

    test(`run() at DOMContentLoaded and at load works in ${LOADS} fresh loads`, async () => {
      for (let i = 0; i < LOADS; i++) {
        await browser.driver.get(`${site.url}/api-at-load.html`); // a new load each time
        const api = await inPage(browser.driver, async () => {
          const start = Date.now();
          while (Object.values(window.__api).filter((r) => "ok" in r).length < 2 && Date.now() - start < 60_000) {
            await new Promise((r) => setTimeout(r, 50));
          }
          return window.__api;
        });
        for (const id of ["at-dcl", "at-load"]) {
          assert.equal(api[id]?.defined, true, `load ${i}, ${id}: ${JSON.stringify(api[id])}`);
          assert.equal(api[id]?.ok, true, `load ${i}, ${id}: ${JSON.stringify(api[id])}`);
          assert.equal(api[id].engine, "processes");
        }
      }
    });
  });
}
