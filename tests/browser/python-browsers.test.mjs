// The python card beyond Chromium (tests/browser/python.test.mjs has the full set there):
// Firefox runs the guide's Pool() program and start + join on the isolated hosted page;
// WebKitGTK, cross-origin isolated but without SharedArrayBuffer, says so in one sentence
// instead of hanging. Classic WebDriver (scripts/lib/webdriver.mjs), like the browser matrix.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";

let server;
before(async () => {
  server = await serve();
});
after(async () => {
  await server?.close();
});

/** Run the python card with the program `id` in the page; its outcome, lines and processes. */
const runSnippet = async (id) => {
  await customElements.whenDefined("speedup-lab");
  const el = document.querySelector("speedup-lab#python");
  const select = el.shadowRoot.querySelector('select[aria-label="the guide\'s program"]');
  select.value = id;
  select.dispatchEvent(new Event("change"));
  try {
    await el.run();
  } catch (e) {
    return { error: String(e.message), shown: el.shadowRoot.querySelector(".error")?.textContent ?? "" };
  }
  const { lines, python: summary } = el.result.summary;
  return {
    lines: lines.map((l) => `${l.process}: ${l.text}`),
    processes: summary.processes.map((p) => ({ name: p.name, kind: p.kind, started: p.started, ended: p.ended })),
  };
};

test("Firefox runs the guide's programs: start + join, and Pool()", {
  skip: skippedBrowsers().has("firefox") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, async () => {
  const browser = await openBrowser("firefox");
  try {
    await browser.driver.get(`${server.url}/`);
    const join = await inPage(browser.driver, runSnippet, "start-join");
    assert.equal(join.error, undefined, join.error);
    assert.deepEqual(join.lines.filter((l) => !l.startsWith("MainProcess")).sort(), [
      "Process-1: Done sleeping",
      "Process-1: Starting to sleep",
      "Process-2: Done sleeping",
      "Process-2: Starting to sleep",
    ]);
    assert.match(join.lines.at(-1), /^MainProcess: Done in \d+\.\d{4} seconds$/);
    const [a, b] = join.processes.filter((p) => p.kind === "process");
    assert.ok(a.started < b.ended && b.started < a.ended, "the two sleeps overlap");
    const pool = await inPage(browser.driver, runSnippet, "perfect-pool");
    assert.equal(pool.error, undefined, pool.error);
    assert.deepEqual(
      pool.lines.filter((l) => l.endsWith("Perfect number")).map((l) => l.split(": ")[1]),
      [6, 28, 496, 8128].map((n) => `${n} is a Perfect number`),
    );
    assert.ok(pool.processes.some((p) => p.kind === "pool"));
  } finally {
    await browser.close();
  }
});

test("WebKitGTK says clearly why the Python card cannot run, without hanging", {
  skip: skippedBrowsers().has("webkit") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, async (t) => {
  const browser = await openBrowser("webkit");
  try {
    await browser.driver.get(`${server.url}/`);
    const r = await inPage(browser.driver, runSnippet, "start-join");
    if (r.error === undefined) {
      t.diagnostic("this WebKitGTK has SharedArrayBuffer: the card ran"); // fine too
      return;
    }
    t.diagnostic(r.error);
    assert.match(r.error, /need SharedArrayBuffer/);
    assert.match(r.shown, /need SharedArrayBuffer/);
  } finally {
    await browser.close();
  }
});
