/**
 * The set-up most browser test files share: the repo served like `npm start`, one Chromium,
 * the hosted page open and its script run (its status line says what it will use; no engine
 * has started: the first run of a card boots it). `hooks` is node:test's { before, after }.
 */
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

/** Returns a live object whose `server`, `browser` and `tab` are filled in by `before`. */
export function useLabPage({ before, after }) {
  const lab = { server: null, browser: null, tab: null };
  before(async () => {
    lab.server = await serve();
    lab.browser = await launch();
    lab.tab = await openPage(lab.browser, `${lab.server.url}/`);
    await pageReady(lab.tab.page);
  });
  after(async () => {
    await lab.browser?.close();
    await lab.server?.close();
  });
  return lab;
}

/**
 * The hosted page's script has run: `data-ready` is "idle" (nothing started yet), then "true"
 * once an engine has booted on a first run, or "error" if it could not.
 */
export function pageReady(page) {
  return page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, { timeout: 30_000 });
}
