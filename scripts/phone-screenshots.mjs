// Every card of the hosted page on a 390 px phone, after a run at small settings, in Chromium,
// Firefox ESR and WebKitGTK (classic WebDriver, scripts/lib/webdriver.mjs): one screenshot of
// the phone's first screen from the card's top, docs/phone/<browser>-<card>.png, and per card
// the words before its first chart and that chart's top (the beginner-first targets: ≤ 80 words,
// ≤ 700 px; tests/browser/beginner.test.mjs asserts them in Chromium).
// Usage: node scripts/phone-screenshots.mjs [browser …]   (SKIP_BROWSERS works as in the tests)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureFirstScreen, PHONE, SMALL } from "./lib/first-screen.mjs";
import { ROOT } from "./lib/site.mjs";
import { serve } from "./lib/static-server.mjs";
import { BROWSERS, inPage, openBrowser, skippedBrowsers } from "./lib/webdriver.mjs";

const dir = join(ROOT, "docs", "phone");
mkdirSync(dir, { recursive: true });

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : BROWSERS;
const skip = skippedBrowsers();
const server = await serve();
const report = [];
try {
  for (const name of wanted.filter((b) => !skip.has(b))) {
    const browser = await openBrowser(name, PHONE);
    try {
      // Firefox and WebKitGTK windows cannot be made 390 px wide (their minimum is wider), so
      // the hosted page runs in a 390 × 844 frame of the same origin: a phone's layout
      // viewport, media and container queries included; the screenshot is of that frame.
      await browser.driver.get(`${server.url}/`);
      await browser.driver.executeScript((phone) => {
        const frame = document.createElement("iframe");
        frame.src = "/";
        frame.title = "the hosted page on a phone";
        frame.width = String(phone.width);
        frame.height = String(phone.height);
        // Fixed at the top of a page that cannot scroll: scrolling a card into view inside the
        // frame must not scroll the page around it (Firefox did, cutting the card's title off).
        Object.assign(frame.style, { border: "0", position: "fixed", top: "0", left: "0" });
        document.body.replaceChildren(frame);
        document.documentElement.style.overflow = "hidden";
      }, PHONE);
      const until = Date.now() + 60_000;
      const ready = () => document.querySelector("iframe")?.contentDocument?.getElementById("isolation")?.dataset.ready;
      while (!(await browser.driver.executeScript(ready))) {
        if (Date.now() > until) throw new Error(`${name}: the page did not start`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const frame = await browser.driver.findElement({ css: "iframe" });
      for (const [id, attrs] of Object.entries(SMALL)) {
        // The page function as source (inPage sends source): the shared measure inlined in it.
        const run = `async (id, attrs) => {
          const measure = ${measureFirstScreen};
          const win = document.querySelector("iframe").contentWindow;
          const el = win.document.getElementById(id);
          for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
          let error = null;
          await el.run().catch((e) => { error = e.message; });
          const m = measure(el);
          el.scrollIntoView({ block: "start" });
          await new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
          return { words: m.words, chartTop: m.chartTop === null ? null : Math.round(m.chartTop), width: win.innerWidth, error };
        }`;
        const m = await inPage(browser.driver, run, id, attrs);
        // Again, just before the shot: a card above may have changed height since (a chart resized).
        await browser.driver.executeScript(
          (id) =>
            document.querySelector("iframe").contentDocument.getElementById(id).scrollIntoView({ block: "start" }),
          id,
        );
        writeFileSync(join(dir, `${name}-${id}.png`), await frame.takeScreenshot(), "base64");
        report.push({ browser: name, card: id, ...m });
        console.log(
          `${name} ${id}: ${m.words} words, chart at ${m.chartTop} px, viewport ${m.width} px${m.error ? ` — ${m.error}` : ""}`,
        );
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
// measured.json keeps the browsers this run skipped, as they were.
const file = join(dir, "measured.json");
const ran = new Set(report.map((r) => r.browser));
const kept = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).filter((r) => !ran.has(r.browser)) : [];
const order = (r) => BROWSERS.indexOf(r.browser);
writeFileSync(
  file,
  `${JSON.stringify(
    [...kept, ...report].sort((a, b) => order(a) - order(b)),
    null,
    2,
  )}\n`,
);
