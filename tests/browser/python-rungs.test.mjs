// The python card on every rung of the blocking ladder (www/python/blocking.js), in the places
// a reader meets it, each run naming the rung it ran on (issue 21):
//  - an ordinary header-less article on another origin than the lab, holding the element with
//    the author's own program (JSPI in Chromium and Firefox; one at a time in WebKitGTK, which
//    then offers "run it on the lab's page", followed here to the service-worker rung);
//  - the iframe embed in that article and the frame sandboxed to an opaque origin (Chromium:
//    both isolated by Document-Isolation-Policy, shared memory; Firefox: JSPI);
//  - the hosted page in WebKitGTK (isolated, but no SharedArrayBuffer: the service-worker rung).
// On each main place, the guide's nine programs (python-checks.mjs, the same checks as on the
// shared-memory rung, parallel or one at a time as the rung says) and the guarantees (exception,
// Cancel, the process cap, no Worker left). Classic WebDriver in all three browsers.
//
// Long by nature (every program boots interpreters): run alone with
// `node --test tests/browser/python-rungs.test.mjs`; SKIP_BROWSERS=… leaves browsers out.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { By } from "selenium-webdriver";
import { articleServer } from "../../scripts/lib/article-server.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
import {
  API_CHECKS,
  GUARANTEE_CHECKS,
  OWN_PROGRAM_CHECK,
  runCard,
  SHARED_OBJECTS_CHECK,
  SNIPPET_CHECKS,
} from "./python-checks.mjs";

const SKIP = skippedBrowsers();
const skip = (name) => SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`;
/** The one-at-a-time rung runs processes in a row: these programs show it without minutes of sleeps. */
const ONE_AT_A_TIME = new Set(["start-no-join", "start-join", "ten-processes", "perfect-loop", "perfect-pool"]);

let lab;
let article;
before(async () => {
  lab = await serve({ root: ROOT, isolation: true });
  article = await articleServer(lab.url, join(ROOT, "tests", "browser", "fixtures", "python-article.html"));
});
after(async () => {
  await article?.close();
  await lab?.close();
});

/** Run the card (in the current frame) and check that it ran on `rung`. */
async function run(browser, args, rung) {
  const r = await inPage(browser.driver, runCard, args);
  if (r.data) assert.equal(r.data.python.blocking.rung, rung, `ran on ${r.data.python.blocking.rung}`);
  return r;
}

/** The nine programs, the author's own one and the guarantees, on `rung` where `open()` leads. */
function everything({ name, rung, open, programs = SNIPPET_CHECKS, own = true }) {
  let browser;
  before(async () => {
    browser = await openBrowser(name, { height: 1400 });
    await open(browser);
  });
  after(async () => {
    await browser?.close();
  });
  if (own)
    test(`${rung}: ${OWN_PROGRAM_CHECK.title}`, async () => OWN_PROGRAM_CHECK.check(await run(browser, {}, rung)));
  for (const { id, title, check } of programs) {
    test(`${rung}: ${title}`, async () => check(await run(browser, { id }, rung)));
  }
  for (const { title, args, check } of GUARANTEE_CHECKS) {
    test(`${rung}: ${title}`, async () => check(await run(browser, args, rung)));
  }
  if (rung !== "one-at-a-time") {
    for (const { title, args, check } of [SHARED_OBJECTS_CHECK, ...API_CHECKS]) {
      test(`${rung}: ${title}`, async () => check(await run(browser, args, rung)));
    }
  } else {
    test(`${rung}: shared objects are refused with a clear message (processes cannot wait for one another here)`, async () => {
      const r = await run(browser, { code: "import multiprocessing\nmultiprocessing.Queue()\n" }, rung);
      assert.equal(r.data.python.exitcode, 1);
      assert.match(r.data.lines.at(-1).text, /^multiprocessing\.NotSupportedError: .*run one at a time/);
    });
  }
}

for (const name of ["chromium", "firefox"]) {
  describe(`${name}: the article's element (no isolation: JSPI)`, { skip: skip(name) }, () => {
    everything({ name, rung: "jspi", open: (b) => b.driver.get(`${article.url}/`) });
  });

  describe(`${name}: the article's iframe embed and its sandboxed frame`, { skip: skip(name) }, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(name, { height: 1400 });
      await browser.driver.get(`${article.url}/`);
    });
    after(async () => {
      await browser?.close();
    });
    // Chromium isolates embed.html with Document-Isolation-Policy, even in the opaque-origin
    // frame; Firefox has no such header, so both frames suspend on JSPI there.
    const framed = name === "chromium" ? "shared-memory" : "jspi";
    for (const [frame, rung] of [
      ["frame", framed],
      ["sandboxed", framed],
    ]) {
      test(`${frame}: start + join, and a pool, on ${rung}`, async () => {
        await browser.driver.switchTo().defaultContent();
        const element = await browser.driver.findElement(By.id(frame));
        // In view, as a reader would run it (a frame out of view is throttled by the browser).
        await browser.driver.executeScript("arguments[0].scrollIntoView()", element);
        await browser.driver.switchTo().frame(element);
        for (const { id, check } of SNIPPET_CHECKS.filter((c) => c.id === "start-join" || c.id === "perfect-pool")) {
          check(await run(browser, { id }, rung));
        }
        SHARED_OBJECTS_CHECK.check(await run(browser, SHARED_OBJECTS_CHECK.args, rung));
        const cancelled = GUARANTEE_CHECKS[1];
        cancelled.check(await run(browser, cancelled.args, rung));
      });
    }
  });
}

describe("webkit: the hosted page (isolated, no SharedArrayBuffer: the service-worker channel)", {
  skip: skip("webkit"),
}, () => {
  everything({ name: "webkit", rung: "service-worker", own: false, open: (b) => b.driver.get(`${lab.url}/`) });
});

describe("webkit: the article's element (one at a time), and its way to the lab's page", {
  skip: skip("webkit"),
}, () => {
  everything({
    name: "webkit",
    rung: "one-at-a-time",
    programs: SNIPPET_CHECKS.filter((c) => ONE_AT_A_TIME.has(c.id)),
    open: (b) => b.driver.get(`${article.url}/`),
  });

  test("'run it on the lab's page' opens the hosted page with the program, which runs on the service-worker rung", async () => {
    const browser = await openBrowser("webkit");
    try {
      await browser.driver.get(`${article.url}/`);
      const href = await inPage(browser.driver, async () => {
        await customElements.whenDefined("speedup-lab");
        const root = document.querySelector("speedup-lab#python").shadowRoot;
        while (!root.querySelector(".py-handover a")) await new Promise((r) => setTimeout(r, 100));
        const a = root.querySelector(".py-handover a");
        a.addEventListener("click", (e) => e.preventDefault(), { once: true });
        a.click(); // the link takes the editor's program at the click
        return a.href;
      });
      assert.match(href, /#python\.program=[A-Za-z0-9_-]+$/);
      assert.ok(href.startsWith(`${lab.url}/`), href);
      await browser.driver.get(href);
      // The hosted page adopts the program (hosted.js renders the card anew, then clears the
      // fragment): run only after that, or the run starts on the card before it is replaced.
      await inPage(browser.driver, async () => {
        while (location.hash !== "#python") await new Promise((r) => setTimeout(r, 100));
      });
      OWN_PROGRAM_CHECK.check(await run(browser, {}, "service-worker"));
    } finally {
      await browser.close();
    }
  });
});
