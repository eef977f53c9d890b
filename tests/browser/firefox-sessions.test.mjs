// 20 fresh Firefox sessions (a new browser and profile each), each must start the threads engine
// and run a lesson: under WebDriver BiDi the boot hung in 15 of 50 loads (docs/browsers.md);
// under classic WebDriver it must never. All 20 must pass; a hang would now end, past the boot
// deadline, on the processes engine, which this test counts as a failure.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
import { pageReady } from "./engines.mjs";

const SESSIONS = 20;
let server;

before(async () => {
  server = await serve();
});
after(async () => {
  await server?.close();
});

test(`${SESSIONS} fresh Firefox sessions each start the threads engine and run a lesson`, {
  skip: skippedBrowsers().has("firefox") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, async () => {
  const outcomes = [];
  const session = async (i) => {
    const browser = await openBrowser("firefox", { width: 900, height: 700 });
    try {
      await browser.driver.get(`${server.url}/`);
      await pageReady(browser.driver); // the page's script ran; the engine boots on the Run below
      const run = await inPage(browser.driver, async () => {
        const el = document.querySelector('speedup-lab[experiment="start-join"]');
        el.setAttribute("unit-ms", "40");
        const t = await el.run();
        return { engine: t.engine, workers: new Set(t.spans.map((s) => s.worker)).size, results: t.results };
      });
      const info = await pageReady(browser.driver); // "true" once the Run booted the engine
      const bootMs = info.text.match(/started in (\d+) ms/)?.[1];
      outcomes.push({ session: i, engine: info.engine, ready: info.ready, bootMs, run });
    } catch (e) {
      outcomes.push({ session: i, error: e.message });
    } finally {
      await browser.close();
    }
  };
  // Two sessions at a time: most of a session is Firefox starting and quitting, which overlaps
  // well; each session is still its own browser with its own fresh profile.
  for (let i = 1; i <= SESSIONS; i += 2) await Promise.all([session(i), i + 1 <= SESSIONS && session(i + 1)]);
  const failed = outcomes.filter(
    (o) =>
      o.error || o.ready !== "true" || o.engine !== "threads" || o.run?.engine !== "threads" || o.run?.workers !== 2,
  );
  console.log(`# boot times (ms): ${outcomes.map((o) => o.bootMs ?? "—").join(", ")}`);
  assert.deepEqual(failed, [], `${failed.length} of ${SESSIONS} sessions failed`);
});
