// The python card beyond Chromium: Firefox runs every one of the guide's pre-filled programs on
// the isolated hosted page, in one session, held to the same checks as Chromium in
// tests/browser/python.test.mjs (python-checks.mjs: output lines, their order, processes' spans);
// WebKitGTK, cross-origin isolated but without SharedArrayBuffer, says so in one sentence
// instead of hanging. Classic WebDriver (scripts/lib/webdriver.mjs), like the browser matrix.
import assert from "node:assert/strict";
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

test("WebKitGTK says clearly why the Python card cannot run, without hanging", {
  skip: skippedBrowsers().has("webkit") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, async (t) => {
  const browser = await openBrowser("webkit");
  try {
    await browser.driver.get(`${server.url}/`);
    const r = await inPage(browser.driver, runCard, { id: "start-join" });
    if (r.outcome === "done") {
      t.diagnostic("this WebKitGTK has SharedArrayBuffer: the card ran"); // fine too
      return;
    }
    t.diagnostic(r.outcome);
    assert.match(r.outcome, /^error: .*need SharedArrayBuffer/);
    assert.match(r.error, /need SharedArrayBuffer/, "the card shows it");
    assert.equal(r.alive, 0, "no Python Worker left");
  } finally {
    await browser.close();
  }
});
