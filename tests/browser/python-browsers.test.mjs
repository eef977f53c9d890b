// The python card beyond Chromium: Firefox runs every one of the guide's pre-filled programs on
// the isolated hosted page, in one session, held to the same checks as Chromium in
// tests/browser/python.test.mjs (python-checks.mjs: output lines, their order, processes' spans).
// WebKitGTK, cross-origin isolated but without SharedArrayBuffer, runs them on the service-worker
// rung, and every other rung is in python-rungs.test.mjs. Classic WebDriver (scripts/lib/webdriver.mjs).
import { after, before, describe, test } from "node:test";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
import { runCard, SNIPPET_CHECKS } from "./python-checks.mjs";

let server;
before(async () => {
  server = await serve();
});
after(async () => {
  await server?.close();
});

describe("Firefox runs every pre-filled program, unchanged, with Chromium's checks", {
  skip: skippedBrowsers().has("firefox") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, () => {
  // One browser session, one page: each program runs on the card as a reader would run them in turn.
  let browser;
  before(async () => {
    browser = await openBrowser("firefox");
    await browser.driver.get(`${server.url}/`);
  });
  after(async () => {
    await browser?.close();
  });
  for (const { id, title, check } of SNIPPET_CHECKS) {
    test(title, async () => {
      check(await inPage(browser.driver, runCard, { id }));
    });
  }
});
