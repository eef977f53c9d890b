/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download is not
 * reachable here), with the flags that keep it from calling home. Shared by the browser tests,
 * the benchmark and the screenshot script.
 */
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Console messages allowed by exact text. Empty: wasm-bindgen-rayon 1.3's "using deprecated
 * parameters for the initialization function" warning is patched away at build time
 * (scripts/patch-rayon-helper.mjs), so any console warning or error now fails a test.
 */
export const ALLOWED_CONSOLE = [];

/** The flags that keep Debian's Chromium from calling home on a closed network (each refused
 * connection is noise and a delay), for every driver: Playwright here, chromedriver in webdriver.mjs. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A page that records every console error/warning and page error, and every request, so a
 * test can assert there were none it did not expect.
 */
export async function openPage(browserOrContext, url, { viewport = { width: 1100, height: 900 } } = {}) {
  // A context may be passed in (to block service workers, say); otherwise a fresh one is made.
  const isBrowser = typeof browserOrContext.contexts === "function";
  const context = isBrowser ? await browserOrContext.newContext({ viewport }) : browserOrContext;
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error" && msg.type() !== "warning") return;
    const text = msg.text();
    if (ALLOWED_CONSOLE.some((a) => text.includes(a))) return;
    problems.push(`console.${msg.type()}: ${text}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  context.on("request", (req) => requests.push(req.url()));
  if (url) await page.goto(url);
  return { context, page, problems, requests };
}

/**
 * A browser context in which service workers cannot be registered, as in a browser whose settings
 * refuse them: `register()` rejects with a SecurityError, as Chromium's does when storage is
 * blocked. (Playwright's own `serviceWorkers: "block"` resolves `register()` with undefined
 * instead, which no browser does, and the service-worker fallback would trip over it.) A page
 * without isolation headers then stays unisolated and runs the processes engine.
 */
export async function contextWithoutServiceWorkers(browser, { viewport = { width: 1100, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    if (!self.ServiceWorkerContainer) return;
    ServiceWorkerContainer.prototype.register = () =>
      Promise.reject(new DOMException("Service workers are refused in this browser (test).", "SecurityError"));
  });
  return context;
}
