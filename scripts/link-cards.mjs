// Link cards and oEmbed, for the places that take a link and no HTML (chats, Medium, LinkedIn,
// WordPress): writes into dist/, after scripts/dist.mjs,
//  - lessons/<id>.html: the lesson's own page (its card, its settings from the query), with
//    OpenGraph and Twitter meta (title, one-line description, image) and the oEmbed discovery
//    <link>;
//  - lessons/<id>.png: the image of the lesson's chart, 1200 × 630, made here by running the
//    lesson in headless Chromium with small settings (a real run, so the chart is real);
//  - oembed/<id>.json: the oEmbed answer (`type: rich`, the iframe snippet).
// Titles and descriptions are the lessons' own (www/lessons/), read in the browser, so nothing
// here copies them. Platforms need absolute URLs: pass the site's public address with
// `--site-url https://lab.example/` (or SITE_URL); without it the URLs are relative (fine for
// a local preview; a warning says so). `--no-images` skips Chromium (the pages then have no image).
// About 1–2 minutes on a busy 2-core machine; `npm run build` runs it (scripts/build.sh).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { escapeHtml } from "../www/ui/html.js";
import { CHROMIUM, launch } from "./lib/chromium.mjs";
import { ROOT } from "./lib/site.mjs";
import { serve } from "./lib/static-server.mjs";

const { values } = parseArgs({
  options: {
    dist: { type: "string", default: join(ROOT, "dist") },
    out: { type: "string" }, // the same, as scripts/dist.mjs names it (build.sh passes its arguments to both)
    "site-url": { type: "string", default: process.env.SITE_URL ?? "" },
    "no-images": { type: "boolean", default: false },
  },
});
const dist = values.out ?? values.dist;
const site = values["site-url"] ? new URL(values["site-url"].replace(/\/?$/, "/")).href : "";
const images = !values["no-images"];

const WIDTH = 1200;
const HEIGHT = 630;

/** A URL of the site: absolute with --site-url, else relative to lessons/ (`fromLessons`). */
function at(path, fromLessons = true) {
  return site ? new URL(path, site).href : fromLessons ? `../${path}` : path;
}

/** The iframe snippet an oEmbed consumer inserts (EMBEDDING.md, "The iframe"). */
function iframeHtml(id, title) {
  const src = at(`embed.html?experiment=${encodeURIComponent(id)}`, false);
  return `<iframe src="${escapeHtml(src)}" title="Speedup Lab: ${escapeHtml(title)}" allow="cross-origin-isolated" width="720" height="640" style="border:0;max-width:100%"></iframe>`;
}

/** The lesson's own page. */
function lessonPage(lesson, hasImage) {
  const { id, title, lede } = lesson;
  const url = at(`lessons/${id}.html`);
  const image = at(`lessons/${id}.png`);
  const meta = [
    ["og:type", "website"],
    ["og:site_name", "Speedup Lab"],
    ["og:title", title],
    ["og:description", lede],
    ["og:url", url],
    ...(hasImage
      ? [
          ["og:image", image],
          ["og:image:width", String(WIDTH)],
          ["og:image:height", String(HEIGHT)],
          ["og:image:alt", `The chart of the lesson "${title}", from a real run`],
        ]
      : []),
  ];
  const twitter = [
    ["twitter:card", hasImage ? "summary_large_image" : "summary"],
    ["twitter:title", title],
    ["twitter:description", lede],
    ...(hasImage ? [["twitter:image", image]] : []),
  ];
  return `<!doctype html>
<!-- Written by scripts/link-cards.mjs: the lesson's shareable page (link card + oEmbed). -->
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" />
    <title>${escapeHtml(title)} — Speedup Lab</title>
    <meta name="description" content="${escapeHtml(lede)}" />
    <link rel="canonical" href="${escapeHtml(url)}" />
${meta.map(([k, v]) => `    <meta property="${k}" content="${escapeHtml(v)}" />`).join("\n")}
${twitter.map(([k, v]) => `    <meta name="${k}" content="${escapeHtml(v)}" />`).join("\n")}
    <link rel="alternate" type="application/json+oembed" href="${escapeHtml(at(`oembed/${id}.json`))}" title="${escapeHtml(title)}" />
    <link rel="icon" href="../www/favicon.svg" />
    <link rel="stylesheet" href="../www/page.css" />
    <link rel="stylesheet" href="../www/share/share.css" />
    <script src="../www/isolate.js"></script>
    <script src="../coi-serviceworker.min.js"></script>
    <script type="module" src="../www/widget/speedup-lab.js"></script>
    <script type="module" src="../www/share/lesson-page.js"></script>
  </head>
  <body>
    <header class="page">
      <p><a href="../index.html#${escapeHtml(id)}">Speedup Lab</a>: parallel programming lessons you can run.</p>
    </header>
    <main>
      <speedup-lab id="${escapeHtml(id)}" experiment="${escapeHtml(id)}"></speedup-lab>
    </main>
  </body>
</html>
`;
}

/** The oEmbed answer for a lesson (https://oembed.com, section 2.3.4). */
function oembed(lesson, hasImage) {
  return {
    version: "1.0",
    type: "rich",
    provider_name: "Speedup Lab",
    provider_url: at("", false) || "./",
    title: lesson.title,
    html: iframeHtml(lesson.id, lesson.title),
    width: 720,
    height: 640,
    ...(hasImage
      ? { thumbnail_url: at(`lessons/${lesson.id}.png`), thumbnail_width: WIDTH, thumbnail_height: HEIGHT }
      : {}),
  };
}

/** The image of `lesson`'s first chart after a quick run, framed with its title at 1200 × 630. */
async function chartImage(browser, labUrl, lesson) {
  // The card runs at 2× (a crisp chart); the frame is composed on a blank page of its own (the
  // lab's pages forbid inline styles by their CSP).
  const context = await browser.newContext({ viewport: { width: 760, height: 900 }, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    // a small run, the lesson's own (its `small`: a picture's settings, as for the phone checks)
    const query = new URLSearchParams({ experiment: lesson.id, ...lesson.small });
    await page.goto(`${labUrl}/embed.html?${query}`);
    await page.waitForFunction(() => document.querySelector("speedup-lab")?.run, null, { timeout: 30_000 });
    await page.locator("speedup-lab").evaluate((el) => el.run());
    const canvas = page.locator("speedup-lab .charts canvas").first();
    await canvas.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800); // Chart.js animates its first draw
    const chart = (await canvas.screenshot()).toString("base64");
    const frame = await context.newPage();
    await frame.setViewportSize({ width: WIDTH, height: HEIGHT });
    await frame.setContent(`<!doctype html><html><body style="margin:0;width:${WIDTH}px;height:${HEIGHT}px;display:flex;flex-direction:column;background:#f3f5f8;font-family:system-ui,sans-serif;color:#1d2330">
<div style="padding:28px 40px 8px;font-size:34px;font-weight:700;line-height:1.2">${escapeHtml(lesson.title)}</div>
<div style="flex:1;display:flex;align-items:center;justify-content:center;padding:0 40px;min-height:0"><img alt="" style="width:100%;height:100%;object-fit:contain;background:#fff;border-radius:10px;box-sizing:border-box;padding:10px" src="data:image/png;base64,${chart}"></div>
<div style="padding:8px 40px 22px;font-size:22px;color:#5b6474">Speedup Lab · run it in your browser</div>
</body></html>`);
    return await frame.screenshot({ type: "png", scale: "css" });
  } finally {
    await context.close();
  }
}

if (!existsSync(join(dist, "embed.html"))) {
  console.error(`link-cards: ${dist} has no embed.html; run \`node scripts/dist.mjs\` first.`);
  process.exit(1);
}
if (images && !existsSync(CHROMIUM)) {
  console.error(
    `link-cards: no Chromium at ${CHROMIUM} for the chart images: \`apt-get install chromium\` (or set CHROMIUM_PATH), or pass --no-images.`,
  );
  process.exit(1);
}
if (!site) {
  console.warn(
    "link-cards: no --site-url (SITE_URL): link cards and oEmbed use relative URLs, which platforms ignore.",
  );
}

const started = Date.now();
const lab = await serve({ root: dist, isolation: true });
const browser = await launch();
try {
  // The lessons' ids, titles and one-line descriptions, from the lessons themselves.
  const page = await browser.newPage();
  await page.goto(`${lab.url}/embed.html?experiment=`);
  const lessons = await page.evaluate(async () => {
    const { LESSONS } = await import("./www/lessons/index.js");
    return LESSONS.map(({ id, title, lede, small }) => ({ id, title, lede, small: small ?? {} }));
  });
  await page.close();
  mkdirSync(join(dist, "lessons"), { recursive: true });
  mkdirSync(join(dist, "oembed"), { recursive: true });
  for (const lesson of lessons) {
    if (images) writeFileSync(join(dist, "lessons", `${lesson.id}.png`), await chartImage(browser, lab.url, lesson));
    writeFileSync(join(dist, "lessons", `${lesson.id}.html`), lessonPage(lesson, images));
    writeFileSync(join(dist, "oembed", `${lesson.id}.json`), `${JSON.stringify(oembed(lesson, images), null, 2)}\n`);
  }
  console.log(`link-cards: ${lessons.length} lessons in ${dist} (${Math.round((Date.now() - started) / 1000)} s)`);
} finally {
  await browser.close();
  await lab.close();
}
