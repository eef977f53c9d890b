/**
 * The three browser engines through one client: classic WebDriver (selenium-webdriver) driving
 * Debian's Chromium (chromedriver), Firefox ESR (geckodriver, built by `cargo install`) and
 * WebKitGTK (WebKitWebDriver under a virtual display). One client, so the cross-browser tests
 * run the same code in every engine (docs/browsers.md says why these drivers).
 *
 * Classic WebDriver only, never WebDriver BiDi: under BiDi automation, Firefox got stuck inside
 * a nested `new Worker(...)` in about 3 page loads of 10 (the lab's boot hung 15 of 50 times),
 * under geckodriver's classic protocol 0 of 20.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Builder, logging } from "selenium-webdriver";
import chrome from "selenium-webdriver/chrome.js";
import firefox from "selenium-webdriver/firefox.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium.mjs";

export const BROWSERS = ["chromium", "firefox", "webkit"];

/** Where each engine's browser and driver live (Debian's packages; geckodriver from cargo). */
export const PATHS = {
  chromium: { browser: CHROMIUM, driver: "/usr/bin/chromedriver" },
  firefox: {
    browser: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
    driver:
      process.env.GECKODRIVER_PATH ?? join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "bin", "geckodriver"),
  },
  webkit: {
    browser: process.env.MINIBROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    driver: "/usr/bin/WebKitWebDriver",
    display: "/usr/bin/xvfb-run",
  },
};

/**
 * The browsers `SKIP_BROWSERS` (comma-separated, e.g. `firefox,webkit`) asks to skip. It is the
 * only way to skip one: a browser that is missing otherwise fails its tests, loudly.
 */
export function skippedBrowsers(env = process.env.SKIP_BROWSERS ?? "") {
  const names = env
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!BROWSERS.includes(n)) throw new Error(`SKIP_BROWSERS: unknown browser "${n}" (use ${BROWSERS.join(", ")})`);
  }
  return new Set(names);
}

/** Throws a message naming the missing file and the command that installs it. */
function requireFiles(name) {
  const how = {
    chromium: "apt-get install chromium chromium-driver",
    firefox: "apt-get install firefox-esr; cargo install geckodriver",
    webkit: "apt-get install webkit2gtk-driver xvfb",
  }[name];
  for (const file of Object.values(PATHS[name])) {
    if (!existsSync(file)) {
      throw new Error(
        `${name}: ${file} is missing. Install it with \`${how}\` (bash scripts/setup.sh --browser does), or skip this browser explicitly with SKIP_BROWSERS=${name}.`,
      );
    }
  }
}

/** A free TCP port on 127.0.0.1 (its server binds it a moment later). */
export async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls a WebDriver server's /status until it answers (or `ms` passes). */
async function waitForServer(url, ms, child) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on ${url} within ${ms} ms`);
}

/**
 * WebKitWebDriver needs a display: `xvfb-run -a` gives it one. Started in its own process group
 * so that closing kills xvfb-run, Xvfb and the driver together (and nothing else).
 */
async function startWebKitDriver() {
  const port = await freePort();
  const child = spawn(PATHS.webkit.display, ["-a", PATHS.webkit.driver, `--port=${port}`], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url, 30_000, child);
  } catch (e) {
    stopGroup(child);
    throw new Error(`${e.message}\n${stderr}`);
  }
  return { url, stop: () => stopGroup(child) };
}

function stopGroup(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/**
 * Opens `name` and returns `{ name, driver, close }`. The window is `width`×`height` (screenshots
 * are of the viewport). Each call is a fresh session with a fresh profile.
 */
export async function openBrowser(name, { width = 1100, height = 900 } = {}) {
  requireFiles(name);
  let driver;
  let stopServer = () => {};
  if (name === "chromium") {
    const options = new chrome.Options()
      .setChromeBinaryPath(PATHS.chromium.browser)
      .addArguments("--headless=new", ...CHROMIUM_ARGS, `--window-size=${width},${height}`);
    // Chromium's log API sees console messages from the first byte, workers included.
    const prefs = new logging.Preferences();
    prefs.setLevel(logging.Type.BROWSER, logging.Level.ALL);
    options.setLoggingPrefs(prefs);
    driver = chrome.Driver.createSession(options, new chrome.ServiceBuilder(PATHS.chromium.driver).build());
  } else if (name === "firefox") {
    const options = new firefox.Options()
      .setBinary(PATHS.firefox.browser)
      .addArguments("-headless", `--width=${width}`, `--height=${height}`)
      // nothing in the background: no updates, telemetry, or remote settings
      .setPreference("app.update.enabled", false)
      .setPreference("datareporting.policy.dataSubmissionEnabled", false)
      .setPreference("toolkit.telemetry.enabled", false)
      .setPreference("network.captive-portal-service.enabled", false);
    driver = firefox.Driver.createSession(options, new firefox.ServiceBuilder(PATHS.firefox.driver).build());
  } else if (name === "webkit") {
    const server = await startWebKitDriver();
    stopServer = server.stop;
    try {
      driver = new Builder()
        .usingServer(server.url)
        .withCapabilities({
          browserName: "MiniBrowser",
          "webkitgtk:browserOptions": { binary: PATHS.webkit.browser, args: ["--automation"] },
        })
        .build();
      await driver.getSession();
    } catch (e) {
      stopServer();
      throw e;
    }
  } else {
    throw new Error(`Unknown browser "${name}": use ${BROWSERS.join(", ")}`);
  }
  await driver.getSession();
  await driver.manage().setTimeouts({ script: 180_000, pageLoad: 60_000 });
  if (name === "webkit") await driver.manage().window().setRect({ width, height });
  return {
    name,
    driver,
    async close() {
      try {
        await driver.quit();
      } finally {
        stopServer();
      }
    },
  };
}

/**
 * Runs `fn(...args)` in the page (an async function, serialised with its source: it must not
 * close over anything) and returns its value; a rejection comes back as an Error here.
 */
export async function inPage(driver, fn, ...args) {
  const script = `const done = arguments[arguments.length - 1];
    const args = Array.prototype.slice.call(arguments, 0, -1);
    Promise.resolve()
      .then(() => (${fn})(...args))
      .then((value) => done({ value }), (e) => done({ error: String((e && e.name) || "Error") + ": " + String((e && e.message) || e) }));`;
  const out = await driver.executeAsyncScript(script, ...args);
  if (out?.error) throw new Error(`in the page: ${out.error}`);
  return out?.value;
}

/**
 * Classic WebDriver has no console API in Firefox and WebKitGTK, so the page's own console is
 * watched from inside: console.error/warn and the window's error and unhandledrejection events
 * are recorded from the moment this runs (call it right after each navigation). What it cannot
 * see: messages logged before it ran, and messages from inside Workers (docs/browsers.md).
 */
export function watchConsole(driver) {
  return driver.executeScript(() => {
    if (window.__labProblems) return;
    const problems = [];
    window.__labProblems = problems;
    const text = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" ");
    for (const level of ["error", "warn"]) {
      const original = console[level].bind(console);
      console[level] = (...args) => {
        problems.push(`console.${level}: ${text(args)}`);
        original(...args);
      };
    }
    addEventListener("error", (e) => problems.push(`pageerror: ${e.message}`));
    addEventListener("unhandledrejection", (e) => problems.push(`unhandledrejection: ${text([e.reason])}`));
  });
}

/**
 * Every problem seen so far: the page's watched console, plus, in Chromium, the browser log
 * (errors and warnings, from page load on, workers included).
 */
export async function consoleProblems(browser) {
  const seen = (await browser.driver.executeScript(() => window.__labProblems ?? [])) ?? [];
  if (browser.name === "chromium") {
    const entries = await browser.driver.manage().logs().get(logging.Type.BROWSER);
    for (const e of entries) {
      if (e.level.value >= logging.Level.WARNING.value) seen.push(`log.${e.level.name}: ${e.message}`);
    }
  }
  return seen;
}
