// WordPress where authors paste a lesson's link (issue 25, item 4): Debian's WordPress
// (scripts/setup-wordpress.sh) with a post whose content is the lab's lesson URL on a line of its
// own. WordPress discovers the lab's oEmbed (scripts/link-cards.mjs's lesson page and JSON, from
// a dist/ built here and served with the lab's headers) and frames it as it frames any provider
// it has not sanctioned: `sandbox="allow-scripts"`, an opaque origin. In Chromium and Firefox the
// lesson runs in that frame, on processes. WebKitGTK is not run here: no script of the lab runs
// in such a frame there, which sandboxed.test.mjs asserts with its own frames. The one
// concession: a must-use plugin lets this WordPress fetch from the lab's loopback host and port
// (tests/hosts/wordpress/allow-lab-host.php). Skips, saying why, where the packages cannot be had.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { By } from "selenium-webdriver";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
import { startWordPress, wordpressMissing, wordpressVersions } from "../hosts/wordpress.mjs";

const WHY = wordpressMissing();
const SKIP = skippedBrowsers();
const BROWSERS = ["chromium", "firefox"];
const LESSON = "perfect";
/** Perfect numbers below the lesson's own n (20 000): the oEmbed frame runs at its defaults. */
const PERFECT = [6, 28, 496, 8128];
const SHOTS = join(ROOT, "test-results", "wordpress");
const OUT = mkdtempSync(join(tmpdir(), "speedup-wordpress-lab-"));
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
let lab;
let wordpress;
let postUrl;
let setUp = "";

before(async () => {
  if (WHY) return;
  let t0 = Date.now();
  execFileSync(process.execPath, [join(ROOT, "scripts", "dist.mjs"), "--out", OUT], { stdio: "pipe" });
  lab = await serve({ root: OUT, isolation: true });
  // the lesson pages and their oEmbed JSON, at the lab's own URL (no chart images: not needed here)
  execFileSync(
    process.execPath,
    [join(ROOT, "scripts", "link-cards.mjs"), "--dist", OUT, "--site-url", `${lab.url}/`, "--no-images"],
    { stdio: "pipe" },
  );
  setUp = `lab built in ${seconds(t0)}`;
  t0 = Date.now();
  wordpress = await startWordPress(lab.url);
  const link = `${lab.url}/lessons/${LESSON}.html`;
  postUrl = await wordpress.post("A lesson to run", `Try it here:\n\n${link}\n\nThen change n and run it again.`);
  setUp += `; MariaDB + WordPress started, installed and posted to in ${seconds(t0)}`;
});

after(async () => {
  await wordpress?.close();
  await lab?.close();
  rmSync(OUT, { recursive: true, force: true });
});

describe("WordPress", { skip: WHY ?? false }, () => {
  test("the post's link became WordPress's sandboxed oEmbed frame of the lab's embed.html", async (t) => {
    t.diagnostic(`${JSON.stringify(wordpressVersions())}; ${setUp}`);
    const t0 = Date.now();
    const html = await (await fetch(postUrl)).text(); // the first view fetches the oEmbed
    t.diagnostic(`post rendered (oEmbed discovered) in ${seconds(t0)}`);
    const frames = html.match(/<iframe [^>]*>/g) ?? [];
    assert.equal(frames.length, 1, html.slice(0, 3000));
    const attr = (name) => frames[0].match(new RegExp(` ${name}="([^"]*)"`))?.[1];
    assert.equal(attr("class"), "wp-embedded-content");
    assert.equal(attr("sandbox"), "allow-scripts");
    assert.equal(attr("security"), "restricted");
    assert.match(attr("src"), new RegExp(`^${lab.url}/embed\\.html\\?experiment=${LESSON}#\\?secret=\\w+$`));
    assert.match(attr("title"), /^Speedup Lab: /);
    assert.doesNotMatch(html, new RegExp(`<p>${lab.url}/lessons/`), "the link is no longer a bare line");
  });

  for (const name of BROWSERS) {
    describe(name, { skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}` }, () => {
      let browser;
      before(async () => {
        browser = await openBrowser(name, { height: 1400 });
      });
      after(async () => {
        await browser?.close();
      });

      test(`${name}: the lesson runs in WordPress's sandboxed frame, on processes`, async (t) => {
        const { driver } = browser;
        const t0 = Date.now();
        await driver.get(postUrl);
        const frame = await driver.findElement(By.css("iframe.wp-embedded-content"));
        assert.equal(await frame.getAttribute("sandbox"), "allow-scripts");
        await driver.switchTo().frame(frame);
        // the card replaces embed.html's static line once the lab's scripts run
        await driver.wait(async () => (await driver.findElements(By.css("speedup-lab"))).length === 1, 60_000);
        assert.equal(await inPage(driver, async () => self.origin), "null", "an opaque origin: the sandbox holds");
        await driver.switchTo().defaultContent();
        const outcome = await inPage(driver, async () => {
          const frame = document.querySelector("iframe.wp-embedded-content");
          frame.scrollIntoView();
          const ended = new Promise((resolve) => {
            addEventListener("message", (e) => {
              if (e.source !== frame.contentWindow) return;
              if (e.data?.type === "speedup-lab:done") resolve(e.data.trace);
              if (e.data?.type === "speedup-lab:error") resolve({ error: e.data.message });
            });
          });
          frame.contentWindow.postMessage({ type: "speedup-lab:run" }, "*");
          const late = new Promise((resolve) => setTimeout(() => resolve({ error: "no end within 150 s" }), 150_000));
          const t = await Promise.race([ended, late]);
          return t.error ? t : { engine: t.engine, results: t.results };
        });
        mkdirSync(SHOTS, { recursive: true });
        writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await driver.takeScreenshot(), "base64"));
        t.diagnostic(`opened and run in ${seconds(t0)}`);
        assert.deepEqual(outcome, { engine: "processes", results: PERFECT });
      });
    });
  }
});
