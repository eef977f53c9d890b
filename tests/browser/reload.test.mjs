// Issue 26, "fetch once, ever": Pyodide's files and the build's memory snapshot sit in a folder
// named after the version, served immutable with a year's caching (www/python/pyodide-version.js),
// so a reader's next visit asks the server for none of them. In a browser profile with a disk
// cache, as a reader's is: Playwright's ordinary contexts are incognito-like, with a memory cache
// too small for the 9.6 MB wasm and the 30 MB snapshot, which they fetch again on every visit.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { pageReady } from "./lab.mjs";
import { runCard, texts } from "./python-checks.mjs";

let server;
let context;
let profile;
before(async () => {
  server = await serve();
  profile = mkdtempSync(join(tmpdir(), "speedup-lab-profile-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});
after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Open the lab (or reload it), run a program in its python card; the URLs the server was asked for. */
async function visit(page, reload) {
  const asked = [];
  const note = (req) => asked.push(req.url);
  server.server.on("request", note);
  try {
    if (reload) await page.reload();
    else await page.goto(`${server.url}/`);
    await pageReady(page);
    const r = await page.evaluate(runCard, { code: "print('hello')" });
    assert.deepEqual(texts(r, "MainProcess"), ["hello"]);
    return asked;
  } finally {
    server.server.off("request", note);
  }
}

test("a reload fetches none of Pyodide's files nor the snapshot again", async () => {
  const page = await context.newPage();
  const vendored = (urls) => urls.filter((url) => url.includes("/www/vendor/pyodide/"));
  const first = await visit(page, false);
  assert.ok(
    vendored(first).some((url) => url.endsWith(".wasm")) &&
      vendored(first).some((url) => /snapshot-\w+\.bin$/.test(url)),
    `the first visit fetches the wasm and the snapshot: ${vendored(first).join(", ")}`,
  );
  const again = await visit(page, true);
  assert.ok(again.length > 0, "the page itself was asked for again");
  assert.deepEqual(vendored(again), [], "nothing of the versioned folder is asked for again");
});
