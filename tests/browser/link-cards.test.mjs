// Link cards and oEmbed (scripts/link-cards.mjs): every lesson has a page with OpenGraph and
// Twitter meta, an image of its chart (1200 × 630, from a real run) and oEmbed JSON with its
// discovery link; the page opens the lesson with the settings in its query. Builds a dist/ of its
// own in a temporary folder (the wasm must be built: www/pkg/), served on a free port whose URL
// is the site URL given to the script. Slow: the script runs every lesson once (about a minute).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

const OUT = mkdtempSync(join(tmpdir(), "speedup-link-cards-"));
let lab;
let browser;
let lessons;

before(async () => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "dist.mjs"), "--out", OUT], { stdio: "inherit" });
  lab = await serve({ root: OUT, isolation: true });
  // The server reads files as they are asked for, so it may start before they exist.
  execFileSync(
    process.execPath,
    [join(ROOT, "scripts", "link-cards.mjs"), "--dist", OUT, "--site-url", `${lab.url}/`],
    {
      stdio: "inherit",
    },
  );
  browser = await launch();
  const tab = await openPage(browser, `${lab.url}/embed.html?experiment=`);
  lessons = await tab.page.evaluate(async () => (await import("./www/lessons/index.js")).LESSON_IDS);
  await tab.context.close();
});

after(async () => {
  await browser?.close();
  await lab?.close();
  rmSync(OUT, { recursive: true, force: true });
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString(), "PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("every lesson's page carries its link-card meta, its chart image and its oEmbed discovery link", async () => {
  assert.ok(lessons.length >= 11, lessons.join());
  for (const id of lessons) {
    const res = await fetch(`${lab.url}/lessons/${id}.html`);
    assert.equal(res.status, 200, id);
    const html = await res.text();
    const meta = (attr, name) => html.match(new RegExp(`<meta ${attr}="${name}" content="([^"]*)"`))?.[1];
    assert.ok(meta("property", "og:title")?.length > 5, `${id}: og:title`);
    assert.ok(meta("property", "og:description")?.length > 20, `${id}: og:description`);
    assert.equal(meta("property", "og:url"), `${lab.url}/lessons/${id}.html`);
    assert.equal(meta("property", "og:image"), `${lab.url}/lessons/${id}.png`);
    assert.equal(meta("name", "twitter:card"), "summary_large_image");
    assert.equal(meta("name", "twitter:image"), `${lab.url}/lessons/${id}.png`);
    const image = await fetch(meta("property", "og:image"));
    assert.equal(image.headers.get("content-type"), "image/png");
    assert.deepEqual(pngSize(Buffer.from(await image.arrayBuffer())), [1200, 630], `${id}: image size`);
    const discovery = html.match(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/)?.[1];
    assert.equal(discovery, `${lab.url}/oembed/${id}.json`);
    const oembed = await (await fetch(discovery)).json();
    assert.equal(oembed.version, "1.0");
    assert.equal(oembed.type, "rich");
    assert.equal(oembed.title, meta("property", "og:title").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
    assert.match(oembed.html, new RegExp(`^<iframe src="${lab.url}/embed\\.html\\?experiment=${id}" `));
    assert.equal(oembed.thumbnail_url, `${lab.url}/lessons/${id}.png`);
    assert.ok(Number.isInteger(oembed.width) && Number.isInteger(oembed.height));
  }
});

test("a lesson's page opens the lesson with the settings in its link, and runs", async () => {
  const tab = await openPage(browser, `${lab.url}/lessons/perfect.html?n=3000&workers=2`);
  const card = tab.page.locator("speedup-lab#perfect");
  await tab.page.locator("#perfect > .embed-button").waitFor({ timeout: 30_000 });
  const out = await card.evaluate(async (el) => {
    const t = await el.run();
    return { n: el.shadowRoot.querySelector("input[name=n]").value, results: t.results };
  });
  assert.deepEqual(out, { n: "3000", results: [6, 28, 496] });
  assert.deepEqual(tab.problems, []);
  await tab.context.close();
});

test("the pages' image is a real chart: not blank", () => {
  // A blank or failed screenshot compresses to a few kB; a chart with its axes and labels does not.
  for (const id of lessons) {
    const size = readFileSync(join(OUT, "lessons", `${id}.png`)).length;
    assert.ok(size > 15_000, `${id}.png is ${size} bytes`);
  }
});
