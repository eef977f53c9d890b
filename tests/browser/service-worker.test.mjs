// The service-worker fallback on an author's site: dist/ copied to the root of an origin that
// sends no headers, beside the author's own page (/blog/post.html, with an image from another
// origin that sends no CORP). After the lab was visited (and isolated by its worker), the
// author's page must come back untouched: not isolated, its image shown, no header added. The
// lab's removal (?service-worker=remove) and the author's self-removing worker (EMBEDDING.md's
// snippet, read from there) must each leave the browser without the lab's worker. Chromium.
// Needs dist/ (npm test builds it first).
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { isSiteFile, ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

/** A 1×1 PNG. */
const PIXEL = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

let browser;
let site; // the author's site: dist/ at its root, and /blog/
let siteDir;
let images; // another origin, serving an image with no CORP (as most image hosts do)

before(async () => {
  images = createServer((_req, res) => res.writeHead(200, { "Content-Type": "image/png" }).end(PIXEL));
  await new Promise((resolve) => images.listen(0, "127.0.0.1", resolve));
  const imageUrl = `http://127.0.0.1:${images.address().port}/pic.png`;
  siteDir = mkdtempSync(join(tmpdir(), "lab-author-site-"));
  cpSync(join(ROOT, "dist"), siteDir, { recursive: true });
  mkdirSync(join(siteDir, "blog"));
  writeFileSync(
    join(siteDir, "blog", "post.html"),
    `<!doctype html><title>An author's post</title><link rel="icon" href="data:,"><img id="pic" src="${imageUrl}" alt="">`,
  );
  writeFileSync(join(siteDir, "blog", "data.json"), "{}");
  writeFileSync(join(siteDir, "blog", "sw.js"), "// the author's own worker, for another part of the site");
  site = await serve({ root: siteDir, isolation: false, files: (p) => isSiteFile(p) || p.startsWith("/blog/") });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((resolve) => images?.close(resolve));
  rmSync(siteDir, { recursive: true, force: true });
});

/** The scopes (paths) of the service workers registered for the page's origin. */
function registrations(page) {
  return page.evaluate(async () =>
    (await navigator.serviceWorker.getRegistrations()).map((r) => new URL(r.scope).pathname),
  );
}

/** Open the lab on a fresh context and wait until its worker has isolated it. */
async function visitTheLab() {
  const tab = await openPage(browser, `${site.url}/index.html`);
  await tab.page.waitForFunction(() => crossOriginIsolated, null, { timeout: 30_000 });
  return tab;
}

/** What the author's page got: isolation, its image, its headers, who answered. */
async function authorsPage(page) {
  const response = await page.goto(`${site.url}/blog/post.html`);
  return {
    fromServiceWorker: response.fromServiceWorker(),
    navigationHeaders: response.headers(),
    ...(await page.evaluate(async () => {
      const pic = document.getElementById("pic");
      const shown = await pic.decode().then(
        () => pic.naturalWidth === 1,
        () => false,
      );
      const r = await fetch("data.json");
      return {
        isolated: crossOriginIsolated,
        shown,
        controlled: navigator.serviceWorker.controller?.scriptURL ?? null,
        fetched: Object.fromEntries(
          ["cross-origin-embedder-policy", "cross-origin-opener-policy", "cross-origin-resource-policy"].map((h) => [
            h,
            r.headers.get(h),
          ]),
        ),
      };
    })),
  };
}

test("after the lab was visited, the author's other page is served untouched; the lab stays isolated", async () => {
  const tab = await visitTheLab();
  assert.equal(
    await tab.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL),
    `${site.url}/coi-serviceworker.min.js`,
  );
  const post = await authorsPage(tab.page);
  assert.equal(post.isolated, false, "the author's page is not isolated");
  assert.equal(post.shown, true, "its cross-origin image (no CORP) is shown");
  assert.equal(post.fromServiceWorker, false, "its page came from the network, not from the worker");
  for (const h of ["cross-origin-embedder-policy", "cross-origin-opener-policy"]) {
    assert.equal(post.navigationHeaders[h], undefined, h);
    assert.equal(post.fetched[h], null, `data.json: ${h}`);
  }
  // the server's own CORP, not the worker's `cross-origin`
  assert.equal(post.fetched["cross-origin-resource-policy"], "same-origin");
  // and the lab, visited again, is still isolated by its worker
  await tab.page.goto(`${site.url}/`);
  await tab.page.waitForFunction(() => crossOriginIsolated, null, { timeout: 30_000 });
  await tab.page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, { timeout: 30_000 });
  assert.equal(await tab.page.evaluate(() => document.getElementById("isolation").dataset.engine), "threads");
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});

test("?service-worker=remove unregisters the lab's worker (and only it) and says so", async () => {
  const tab = await visitTheLab();
  // an author's own worker at another scope of the same origin must survive the removal
  await tab.page.evaluate(() => navigator.serviceWorker.register("blog/sw.js", { scope: "blog/other/" }));
  await tab.page.goto(`${site.url}/index.html?service-worker=remove`);
  const said = await tab.page.locator("#service-worker-removal").textContent({ timeout: 30_000 });
  assert.match(said, /service worker is removed from this browser/);
  assert.deepEqual(await registrations(tab.page), ["/blog/other/"], "the lab's worker is gone, the author's is not");
  const post = await authorsPage(tab.page);
  assert.equal(post.controlled, null);
  assert.equal(post.isolated, false);
  assert.equal(post.shown, true);
  await tab.context.close();
});

test("EMBEDDING.md's self-removing worker, left at the worker's URL, unregisters it on the reader's next visit", async () => {
  const tab = await visitTheLab();
  const doc = readFileSync(join(ROOT, "EMBEDDING.md"), "utf8");
  const snippet = doc.match(/```js\n(\/\/ coi-serviceworker\.min\.js: removes[^`]*)```/)?.[1];
  assert.ok(snippet, "EMBEDDING.md has the self-removing worker");
  const original = readFileSync(join(siteDir, "coi-serviceworker.min.js"));
  writeFileSync(join(siteDir, "coi-serviceworker.min.js"), snippet);
  try {
    // the reader comes back to the author's page; the browser checks the worker's URL for an update
    await tab.page.goto(`${site.url}/blog/post.html`);
    // (the browser checks a few seconds after the navigation; 30 s allows for a loaded machine)
    const deadline = Date.now() + 30_000;
    while ((await registrations(tab.page)).length > 0) {
      assert.ok(Date.now() < deadline, "the lab's worker is still registered 30 s after the visit");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // the reader's next page of the site: no worker, no header added
    const post = await authorsPage(tab.page);
    assert.equal(post.controlled, null);
    assert.equal(post.fetched["cross-origin-embedder-policy"], null);
    assert.equal(post.shown, true);
  } finally {
    writeFileSync(join(siteDir, "coi-serviceworker.min.js"), original);
    await tab.context.close();
  }
});
