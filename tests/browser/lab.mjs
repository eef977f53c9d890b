/**
 * The set-up most browser test files share: the repo served like `npm start`, one Chromium,
 * the hosted page open and its engine started. `hooks` is node:test's { before, after }.
 */
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

/** Returns a live object whose `server`, `browser` and `tab` are filled in by `before`. */
export function useLabPage({ before, after }, { ready = "true" } = {}) {
  const lab = { server: null, browser: null, tab: null };
  before(async () => {
    lab.server = await serve();
    lab.browser = await launch();
    lab.tab = await openPage(lab.browser, `${lab.server.url}/`);
    // `ready` is "true" once the engine has started, "error" if it could not.
    await lab.tab.page.waitForFunction((want) => document.getElementById("isolation")?.dataset.ready === want, ready, {
      timeout: 30_000,
    });
  });
  after(async () => {
    await lab.browser?.close();
    await lab.server?.close();
  });
  return lab;
}
