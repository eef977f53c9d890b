// The python card's editor (issue 23, point 6): CodeMirror 6 over the card's textarea
// (www/python/code-editor.js), in Chromium, Firefox and WebKitGTK through classic WebDriver, on the
// isolated hosted page. What a Python reader expects of it, each checked with real key events:
//  - nothing of it is fetched before the reader opens the editor or runs the program (counted at
//    the lab's server, which sees every request), and Run alone loads it;
//  - opening it (a click in the program) puts the reader in CodeMirror, with line numbers and
//    highlighted Python;
//  - Tab indents, Shift-Tab dedents, and Escape then Tab leaves the editor;
//  - what is typed in the editor is what runs, and a value set on the textarea (the program list,
//    python-checks.mjs's runCard) is what the editor shows;
//  - a traceback's last line in the program is marked in the editor.
// And if the editor's bundle cannot load, the textarea stays, and runs (Chromium).
// Screenshots of the card's program (desktop, dark, and a 390-px phone; Chromium and Firefox) land
// in test-results/; axe-core finds no serious violation in the card with the editor, light or dark.
//
// Run alone: `node --test tests/browser/python-editor.test.mjs` (SKIP_BROWSERS=webkit leaves one out).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Key } from "selenium-webdriver";
import { isSiteFile, ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import {
  BROWSERS,
  consoleProblems,
  inPage,
  openBrowser,
  skippedBrowsers,
  watchConsole,
} from "../../scripts/lib/webdriver.mjs";

const SKIP = skippedBrowsers();
/** The editor's own files: only these, and only once it is opened or run. */
const EDITOR_FILES = /\/www\/(python\/code-editor\.(js|css)|vendor\/codemirror\.js)$/;
const SHOTS = join(ROOT, "test-results");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let lab;
/** Every path the lab's server answered since the last `requested.length = 0`. */
const requested = [];
before(async () => {
  lab = await serve({ root: ROOT, isolation: true });
  lab.server.on("request", (req) => requested.push(req.url.split("?")[0]));
});
after(async () => {
  await lab?.close();
});

/** The editor's files the server has sent since the count was reset. */
const editorRequests = () => requested.filter((p) => EDITOR_FILES.test(p));

/** Runs in the page: wait for the python card's form; what its program looks like now. */
async function cardState() {
  await customElements.whenDefined("speedup-lab");
  // the hosted page makes its cards once the lab's core has loaded, and a card its form after
  const textarea = () => document.querySelector("speedup-lab#python")?.shadowRoot?.querySelector("textarea.py-editor");
  while (!textarea()) await new Promise((r) => setTimeout(r, 50));
  const el = document.querySelector("speedup-lab#python");
  const root = el.shadowRoot;
  const cm = root.querySelector(".cm-editor");
  const active = root.activeElement;
  return {
    textarea: root.querySelector("textarea.py-editor").value,
    textareaHidden: root.querySelector("textarea.py-editor").hidden,
    editor: Boolean(cm),
    doc: cm ? [...cm.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n") : null,
    focusInEditor: Boolean(active?.closest?.(".cm-content")),
    focused: active ? `${active.localName}.${active.className}` : null,
    lineNumbers: cm ? [...cm.querySelectorAll(".cm-lineNumbers .cm-gutterElement")].map((g) => g.textContent) : [],
    tokens: cm ? [...new Set([...cm.querySelectorAll("[class*=tok-]")].map((t) => t.className))] : [],
    keywordColour: cm?.querySelector(".tok-keyword") ? getComputedStyle(cm.querySelector(".tok-keyword")).color : null,
    textColour: cm ? getComputedStyle(cm.querySelector(".cm-content")).color : null,
    describedBy: cm?.querySelector(".cm-content").getAttribute("aria-describedby") ?? null,
    hint: root.querySelector(".py-keys")?.textContent ?? null,
    errorLine: cm?.querySelector(".cm-py-error-line")?.textContent ?? null,
    errorGutter: cm?.querySelector(".cm-py-error-gutter")?.textContent ?? null,
  };
}

/**
 * Runs in the page: an element of the python card's shadow root, scrolled into the middle of the
 * view (Firefox's and WebKit's WebDriver actions do not scroll to their target).
 */
function cardPart(selector) {
  const part = document.querySelector("speedup-lab#python").shadowRoot.querySelector(selector);
  part.scrollIntoView({ block: "center" });
  return part;
}

/** Runs in the page: set the textarea's value as python-checks.mjs's runCard does. */
function setProgram(code) {
  document.querySelector("speedup-lab#python").shadowRoot.querySelector("textarea.py-editor").value = code;
}

/** Runs in the page: run the card; the texts the program printed (stdout and stderr). */
async function runIt() {
  const el = document.querySelector("speedup-lab#python");
  try {
    await el.run();
  } catch (e) {
    return { error: String(e) };
  }
  return { lines: el.result.summary.lines.map((l) => l.text) };
}

/** Runs in the page: open the program's disclosure (a run folds it), scrolled into view. */
function openProgram() {
  const details = document.querySelector("speedup-lab#python").shadowRoot.querySelector("details.py-program");
  details.open = true;
  details.scrollIntoView({ block: "start" });
}

/** A screenshot of the card's program, in Chromium and Firefox (WebKitGTK's element shots come out half black). */
async function shoot(browser, file) {
  if (browser.name === "webkit") return;
  mkdirSync(SHOTS, { recursive: true });
  await inPage(browser.driver, openProgram);
  await browser.driver.sleep(300); // CodeMirror measures after a resize
  const details = await browser.driver.executeScript(() =>
    document.querySelector("speedup-lab#python").shadowRoot.querySelector("details.py-program"),
  );
  writeFileSync(join(SHOTS, file), Buffer.from(await details.takeScreenshot(), "base64"));
}

/**
 * Runs in the page: record Content-Security-Policy violations with the console's problems (the
 * page forbids inline styles; Firefox and WebKit log a violation where watchConsole cannot see it).
 */
function watchCsp() {
  document.addEventListener(
    "securitypolicyviolation",
    (e) => window.__labProblems?.push(`CSP ${e.violatedDirective}: ${e.sample || e.blockedURI}`),
    true,
  );
}

/** After a navigation: watch the console and CSP violations from now on. */
async function watch(browser) {
  await watchConsole(browser.driver);
  await browser.driver.executeScript(watchCsp);
}

/**
 * axe-core on the python card (WCAG 2.1 A/AA): its serious and critical violations. The console is
 * checked first and emptied after: axe injects `<style>` elements, which the page's CSP refuses
 * (and logs), and which are axe's, not the card's.
 */
async function axeProblems(browser) {
  assert.deepEqual(await consoleProblems(browser), [], "before axe-core");
  await browser.driver.executeScript(`${AXE}; return true;`);
  const found = await inPage(browser.driver, async () => {
    const r = await window.axe.run(document.querySelector("speedup-lab#python"), {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  await consoleProblems(browser); // Chromium's log is read once: what axe caused goes with it
  await browser.driver.executeScript(() => {
    if (window.__labProblems) window.__labProblems.length = 0;
  });
  return found;
}

const keys = (browser) => browser.driver.actions({ async: true });

for (const name of BROWSERS) {
  describe(`${name}: the python card's editor`, {
    skip: SKIP.has(name) && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
  }, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(name, { height: 1000 });
    });
    after(async () => {
      await browser?.close();
    });

    test("nothing of the editor is fetched before Run; Run loads it, and the run reads the textarea's value", async () => {
      requested.length = 0;
      await browser.driver.get(`${lab.url}/`);
      await watch(browser);
      const idle = await inPage(browser.driver, cardState);
      await browser.driver.sleep(2000); // anything eager (an idle-time import) would show by now
      assert.equal(idle.editor, false, "CodeMirror before the editor was opened");
      assert.deepEqual(editorRequests(), [], "the editor's files fetched before Run");
      assert.ok(
        requested.some((p) => p.endsWith("/www/python/program-view.js")),
        "the card itself loaded",
      );
      await inPage(browser.driver, setProgram, 'print("from the textarea")\n');
      assert.deepEqual(editorRequests(), [], "setting the program is not opening the editor");
      const r = await inPage(browser.driver, runIt);
      assert.deepEqual(r.lines, ["from the textarea"], r.error);
      assert.deepEqual(editorRequests().sort(), [
        "/www/python/code-editor.css",
        "/www/python/code-editor.js",
        "/www/vendor/codemirror.js",
      ]);
      const ran = await inPage(browser.driver, cardState);
      assert.equal(ran.editor, true, "Run put the editor in place");
      assert.equal(ran.textareaHidden, true);
      assert.equal(ran.doc, 'print("from the textarea")\n');
      assert.deepEqual(await consoleProblems(browser), []);
    });

    test("a click in the program opens the editor: focus in CodeMirror, line numbers, Python highlighted, the way out described", async () => {
      requested.length = 0;
      await browser.driver.navigate().refresh();
      await watch(browser);
      const idle = await inPage(browser.driver, cardState);
      assert.equal(idle.editor, false);
      const textarea = await browser.driver.executeScript(cardPart, "textarea.py-editor");
      await keys(browser).move({ origin: textarea }).click().perform();
      await browser.driver.wait(async () => (await inPage(browser.driver, cardState)).editor, 20_000);
      const open = await inPage(browser.driver, cardState);
      assert.equal(editorRequests().length, 3, editorRequests().join(" "));
      assert.equal(open.focusInEditor, true, `focus on ${open.focused}`);
      assert.equal(open.doc, idle.textarea, "the editor shows the textarea's program");
      // (CodeMirror's first gutter element is a hidden one that sizes the gutter: "99")
      assert.match(open.lineNumbers.join(" "), /(^| )1 2 3 4 5 /, "line numbers");
      for (const t of ["tok-keyword", "tok-string", "tok-number"]) {
        assert.ok(open.tokens.includes(t), `${t} in ${open.tokens.join(", ")}`);
      }
      assert.ok(open.tokens.includes("tok-variableName tok-definition"), "a def's name is marked");
      assert.notEqual(open.keywordColour, open.textColour, "keywords are coloured");
      assert.equal(open.describedBy, "py-editor-keys");
      assert.match(open.hint, /Escape, then Tab/);
      await shoot(browser, `python-editor-${name}-open.png`);
      assert.deepEqual(await consoleProblems(browser), []);
    });

    test("Tab indents by four spaces, Shift-Tab dedents, and Escape then Tab leaves the editor", async () => {
      await inPage(browser.driver, setProgram, "def f(x):\nreturn x\n");
      assert.equal((await inPage(browser.driver, cardState)).doc, "def f(x):\nreturn x\n");
      // the caret is at the top after a new value: down to line 2, then Tab
      await keys(browser).sendKeys(Key.ARROW_DOWN, Key.TAB).perform();
      let s = await inPage(browser.driver, cardState);
      assert.equal(s.textarea, "def f(x):\n    return x\n", "Tab indented the line, in the textarea too");
      assert.equal(s.focusInEditor, true, "Tab stayed in the editor");
      await keys(browser).keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT).perform();
      s = await inPage(browser.driver, cardState);
      assert.equal(s.textarea, "def f(x):\nreturn x\n", "Shift-Tab dedented it");
      assert.equal(s.focusInEditor, true, "Shift-Tab stayed in the editor");
      await keys(browser).sendKeys(Key.ESCAPE, Key.TAB).perform();
      s = await inPage(browser.driver, cardState);
      assert.equal(s.textarea, "def f(x):\nreturn x\n", "Escape then Tab inserted nothing");
      assert.equal(s.focusInEditor, false, `focus left the editor (now on ${s.focused})`);
    });

    test("what is typed in the editor is what runs", async () => {
      const textarea = await browser.driver.executeScript(cardPart, "textarea.py-editor");
      assert.equal(await textarea.isDisplayed(), false, "the textarea is hidden behind the editor");
      const content = await browser.driver.executeScript(cardPart, ".cm-content");
      await keys(browser).move({ origin: content }).click().perform();
      await keys(browser)
        .keyDown(Key.CONTROL)
        .sendKeys("a")
        .keyUp(Key.CONTROL)
        .sendKeys("for i in range(2):", Key.ENTER, "print(6 * 7 + i)")
        .perform();
      const s = await inPage(browser.driver, cardState);
      // Enter after the colon indented the next line by itself (the Python language's indentation)
      assert.equal(s.textarea, "for i in range(2):\n    print(6 * 7 + i)");
      const r = await inPage(browser.driver, runIt);
      assert.deepEqual(r.lines, ["42", "43"], r.error);
    });

    test("a traceback's last line in the program is marked in the editor", async () => {
      // as runCard sets a program: the textarea's value, shown by the editor
      await inPage(browser.driver, setProgram, 'def f(x):\n    return 1 / x\n\nprint("before")\nf(0)\n');
      const r = await inPage(browser.driver, runIt);
      assert.ok(r.lines.includes("ZeroDivisionError: division by zero"), r.lines.join("\n"));
      await inPage(browser.driver, openProgram);
      await browser.driver.wait(async () => (await inPage(browser.driver, cardState)).errorLine !== null, 10_000);
      const s = await inPage(browser.driver, cardState);
      assert.equal(s.errorLine, "    return 1 / x", "the innermost frame in the program: line 2");
      assert.equal(s.errorGutter, "2");
      await shoot(browser, `python-editor-${name}.png`);
      assert.deepEqual(await axeProblems(browser), [], "axe-core, the editor open with its marked line");
      // an edit keeps the mark on its line; a new value (another program) clears it
      await inPage(browser.driver, setProgram, 'print("fixed")\n');
      assert.equal((await inPage(browser.driver, cardState)).errorLine, null);
      assert.deepEqual(await consoleProblems(browser), []);
    });

    test("a re-rendered card (the dark theme) has the editor at once, in the theme's colours", async () => {
      const before = requested.length;
      await browser.driver.executeScript(() =>
        document.querySelector("speedup-lab#python").setAttribute("theme", "dark"),
      );
      await browser.driver.wait(async () => (await inPage(browser.driver, cardState)).editor, 10_000);
      const s = await inPage(browser.driver, cardState);
      assert.equal(s.keywordColour, "rgb(207, 166, 245)", "the dark theme's keyword colour");
      assert.equal(s.textareaHidden, true);
      assert.deepEqual(
        requested.slice(before).filter((p) => EDITOR_FILES.test(p) && !p.endsWith(".css")),
        [],
        "nothing fetched again",
      );
      await shoot(browser, `python-editor-${name}-dark.png`);
      assert.deepEqual(await axeProblems(browser), [], "axe-core, dark theme");
      await browser.driver.executeScript(() => document.querySelector("speedup-lab#python").removeAttribute("theme"));
      assert.deepEqual(await consoleProblems(browser), []);
    });

    // (Firefox's headless window is no narrower than 500 px: there the "phone" is that wide.)
    test("on a 390-px phone", async () => {
      await browser.driver.manage().window().setRect({ width: 390, height: 844 });
      await inPage(browser.driver, setProgram, 'def f(x):\n    return 1 / x\n\nprint("before")\nf(0)\n');
      await inPage(browser.driver, runIt);
      await inPage(browser.driver, openProgram);
      const fits = await browser.driver.executeScript(() => {
        const cm = document.querySelector("speedup-lab#python").shadowRoot.querySelector(".cm-editor");
        return { width: cm.getBoundingClientRect().width, right: cm.getBoundingClientRect().right, view: innerWidth };
      });
      assert.ok(fits.right <= fits.view, `the editor fits the phone: ${JSON.stringify(fits)}`);
      await shoot(browser, `python-editor-${name}-phone.png`);
    });
  });
}

describe("without the editor's bundle (a failed load), the textarea stays the editor", {
  skip: SKIP.has("chromium") && `SKIP_BROWSERS=${process.env.SKIP_BROWSERS}`,
}, () => {
  let browser;
  let broken;
  before(async () => {
    broken = await serve({ root: ROOT, isolation: true, files: (p) => isSiteFile(p) && !p.endsWith("/codemirror.js") });
    browser = await openBrowser("chromium");
  });
  after(async () => {
    await browser?.close();
    await broken?.close();
  });

  test("a click in the program leaves the textarea in place, and Run runs what it holds", async () => {
    await browser.driver.get(`${broken.url}/`);
    await inPage(browser.driver, cardState);
    const textarea = await browser.driver.executeScript(cardPart, "textarea.py-editor");
    await keys(browser).move({ origin: textarea }).click().perform();
    await browser.driver.sleep(2000);
    let s = await inPage(browser.driver, cardState);
    assert.equal(s.editor, false);
    assert.equal(s.textareaHidden, false);
    assert.equal(s.focused, "textarea.py-editor");
    await inPage(browser.driver, setProgram, 'print("plain")\n');
    const r = await inPage(browser.driver, runIt);
    assert.deepEqual(r.lines, ["plain"], r.error);
    s = await inPage(browser.driver, cardState);
    assert.equal(s.editor, false);
    assert.equal(s.textarea, 'print("plain")\n');
  });
});
