// Beginner-first cards (issue 18), on a 390 × 844 phone viewport after each card has run: the
// answer sentence and the main chart come first (at most 80 words before the first chart, the
// chart's top within the card's first 700 px), every other figure is still there behind a
// labelled disclosure whose open state survives a re-render, the Save buttons are still there,
// and axe-core finds no serious or critical WCAG 2.1 A/AA violation.
//
// Each card is run the way a reader runs it: its Run button pressed, then its done event
// awaited (the engine boots on the first Run). Parameters are small so all
// twelve cards run in a minute or two even on a busy 2-core machine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { measureFirstScreen, PHONE, SMALL } from "../../scripts/lib/first-screen.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

const MAX_WORDS = 80;
const MAX_CHART_TOP = 700;

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server;
let browser;
let tab;

before(async () => {
  server = await serve();
  browser = await launch();
  // bypassCSP: only so that axe-core's script can be injected into the page.
  const context = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  tab = await openPage(context, `${server.url}/`);
  // The page's script has run ("idle": the engine boots on the first Run, issue 15).
  await tab.page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready, null, {
    timeout: 60_000,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Set `attrs` on card `id`, press its Run button, and wait for its done (or error) event. */
async function runByButton(id, attrs) {
  const card = tab.page.locator(`speedup-lab#${id}`);
  const done = card.evaluate((el, attrs) => {
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return new Promise((resolve, reject) => {
      el.addEventListener("speedup-lab:done", () => resolve(), { once: true });
      el.addEventListener("speedup-lab:error", (e) => reject(new Error(e.detail)), { once: true });
    });
  }, attrs);
  await tab.page.locator(`speedup-lab#${id} button.run`).click();
  await done;
}

/** The card's first screen: words before its first chart, and that chart's top (scripts/lib/first-screen.mjs). */
function firstScreen(id) {
  return tab.page.locator(`speedup-lab#${id}`).evaluate(measureFirstScreen);
}

/**
 * Nothing lost: every figure the card holds (facts, notes, tables, charts) is shown, or sits in
 * a disclosure whose summary is shown; opened, every disclosure shows it all, charts drawn at a
 * real size. Returns the disclosures' labels.
 */
function reachable(id) {
  return tab.page.locator(`speedup-lab#${id}`).evaluate(async (el) => {
    const root = el.shadowRoot;
    const seen = (node) => node.checkVisibility({ visibilityProperty: true });
    const figures = [...root.querySelectorAll(".results dl.facts, .results .note, .results table, .results canvas")];
    const hidden = figures.filter((f) => !seen(f) && !(f.closest("details") && seen(f.closest("details").firstChild)));
    const all = [...root.querySelectorAll("details")];
    const wasOpen = all.map((d) => d.open);
    for (const d of all) d.open = true;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await new Promise((r) => setTimeout(r, 100)); // Chart.js resizes on its ResizeObserver
    const stillHidden = figures.filter((f) => !seen(f)).map((f) => f.tagName);
    const flat = [...root.querySelectorAll("canvas")].filter((c) => c.width === 0 || c.height === 0).length;
    const empty = all.filter(
      (d) => !d.querySelector("canvas") && d.textContent.trim() === d.firstChild.textContent.trim(),
    ).length;
    all.forEach((d, i) => {
      d.open = wasOpen[i];
    });
    return {
      hidden: hidden.map((f) => f.tagName),
      stillHidden,
      flat,
      empty,
      labels: all.map((d) => d.firstChild.textContent),
      summariesAreFirst: all.every((d) => d.firstChild.tagName === "SUMMARY"),
      facts: root.querySelectorAll(".results dl.facts").length,
      charts: root.querySelectorAll(".results canvas").length,
      exports: [...root.querySelectorAll("button[data-export]")].map((b) => b.dataset.export),
    };
  });
}

const measured = {};

test("every card on the hosted page is measured here", async () => {
  const ids = await tab.page.evaluate(() => [...document.querySelectorAll("speedup-lab")].map((el) => el.id));
  assert.deepEqual(
    [...ids].sort(),
    Object.keys(SMALL).sort(),
    "add a new card's small settings to scripts/lib/first-screen.mjs",
  );
});

for (const [id, attrs] of Object.entries(SMALL)) {
  test(`${id}: after Run, the answer and the main chart come first on a phone, and nothing is lost`, async () => {
    const before = await firstScreen(id);
    await runByButton(id, attrs);
    const top = await firstScreen(id);
    measured[id] = top;
    assert.ok(top.words <= MAX_WORDS, `${top.words} words before the first chart: ${top.text}`);
    assert.ok(top.chartTop !== null && top.chartTop <= MAX_CHART_TOP, `first chart at ${top.chartTop} px`);
    assert.notEqual(top.sentence, before.sentence, "after the run, the sentence under the title is the answer");
    assert.match(top.sentence, /\d/, "the answer carries this run's numbers");
    assert.doesNotMatch(top.sentence, /×|Amdahl|FIFO|spans?\b/, "plain words first");
    assert.doesNotMatch(before.sentence, /×|Amdahl|FIFO|spans?\b/, "plain words first, before a run too");
    for (const s of [before.sentence, top.sentence]) {
      assert.match(s, /process|pool|worker|in parallel/i, `the guide's words: ${s}`);
    }

    const r = await reachable(id);
    assert.deepEqual(r.hidden, [], "every figure is shown or behind a visible summary");
    assert.deepEqual(r.stillHidden, [], "opening the disclosures shows every figure");
    assert.equal(r.flat, 0, "every chart is drawn at a real size once shown");
    assert.equal(r.empty, 0, "no disclosure is empty");
    assert.ok(r.summariesAreFirst);
    assert.ok(r.facts >= 1 && r.charts >= 1, `${r.facts} fact lists, ${r.charts} charts`);
    for (const label of [
      "All the figures",
      "What to expect, in detail",
      "Why it works this way",
      "The code: the Rust that runs, and the guide's Python",
    ]) {
      assert.ok(r.labels.includes(label), `"${label}" in ${JSON.stringify(r.labels)}`);
    }
    assert.deepEqual(
      r.exports.slice(0, 3),
      ["csv", "json", "png"],
      "the Save buttons are still there (and a lesson's own: the python card's Trace)",
    );
  });
}

test("a disclosure the reader opened, and the code tab chosen, stay so when the card re-renders and after another run", async () => {
  const card = tab.page.locator("speedup-lab#sleep-seq");
  const state = () =>
    card.evaluate((el) =>
      Object.fromEntries([...el.shadowRoot.querySelectorAll("details")].map((d) => [d.dataset.key, d.open])),
    );
  await tab.page.locator("speedup-lab#sleep-seq summary", { hasText: "All the figures" }).click();
  await tab.page.locator("speedup-lab#sleep-seq summary", { hasText: "The code" }).click();
  await tab.page.locator("speedup-lab#sleep-seq button.tab", { hasText: "Python" }).click();
  const python = () =>
    card.evaluate((el) => el.shadowRoot.querySelector("pre.code").textContent.includes("time.sleep"));
  assert.equal(await python(), true);
  const opened = await state();
  assert.equal(opened["All the figures"], true, "opened by a click");
  await card.evaluate((el) => el.setAttribute("theme", "light")); // re-renders the card
  assert.deepEqual(await state(), opened, "kept through a re-render");
  assert.equal(await python(), true, "the Python tab kept through a re-render");
  await runByButton("sleep-seq", SMALL["sleep-seq"]);
  assert.deepEqual(await state(), opened, "kept through another run");
  await card.evaluate((el) => el.removeAttribute("theme"));
});

test("a disclosure opens from the keyboard (native details/summary)", async () => {
  const summary = tab.page.locator("speedup-lab#start-join summary", { hasText: "Why it works this way" });
  await summary.focus();
  await tab.page.keyboard.press("Enter");
  assert.equal(await summary.evaluate((s) => s.parentElement.open), true);
  await tab.page.keyboard.press("Enter");
  assert.equal(await summary.evaluate((s) => s.parentElement.open), false);
});

test("axe-core: no serious or critical WCAG 2.1 A/AA violation, disclosures closed and open, light and dark", async () => {
  await tab.page.evaluate(AXE);
  const check = () =>
    tab.page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return r.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
  assert.deepEqual(await check(), [], "disclosures closed");
  await tab.page.evaluate(() => {
    for (const el of document.querySelectorAll("speedup-lab")) {
      for (const d of el.shadowRoot.querySelectorAll("details")) d.open = true;
    }
  });
  assert.deepEqual(await check(), [], "disclosures open");
  await tab.page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await check(), [], "dark theme, disclosures open");
  await tab.page.emulateMedia({ colorScheme: null });
});

test("no console error or page error in all of that", () => {
  console.log(
    Object.entries(measured)
      .map(([id, m]) => `${id}: ${m.words} words, chart at ${Math.round(m.chartTop)} px — ${m.sentence}`)
      .join("\n"),
  );
  assert.deepEqual(tab.problems, []);
});
