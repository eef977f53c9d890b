// No silent boot hang: a coordinator Worker whose script never arrives (a request held forever
// on purpose) must end, past the boot deadline, in a clear message and a usable page — the
// threads engine hands over to processes and says so; a processes engine that cannot start
// makes every card say so, never "Starting the engine…" forever.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, openPage } from "./browser.mjs";
import { serve } from "./server.mjs";

/** 2 s instead of 20: the boot here can only hang, so a short deadline keeps the test quick. */
const DEADLINE_MS = 2_000;
let browser;
let server;

before(async () => {
  browser = await launch();
  server = await serve();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page whose requests for `scripts` are held forever (never answered, never failed). */
async function pageWithHangingWorkers(scripts) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript((ms) => {
    globalThis.speedupLabBootDeadlineMs = ms;
  }, DEADLINE_MS);
  const held = [];
  for (const script of scripts) {
    await context.route(`**/www/engine/${script}`, (route) => {
      held.push(route.request().url()); // never fulfilled: the Worker waits for its script
    });
  }
  const tab = await openPage(context, `${server.url}/`);
  return { ...tab, held };
}

test("threads coordinator never answers: past the deadline, the processes engine runs and the page says why", async () => {
  const { page, context, problems, held } = await pageWithHangingWorkers(["threads-worker.js"]);
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  const line = await page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  assert.ok(held.length >= 1, "the threads coordinator's script was requested and held");
  assert.equal(line.ready, "true", line.text);
  assert.equal(line.engine, "processes");
  assert.equal(line.fallback, "true");
  assert.match(line.text, /The threads engine did not start within 2 s/);
  assert.match(line.text, /The processes engine runs instead/);

  // every card is usable: none stuck at "Starting…", a run works and says which engine ran
  const card = page.locator("speedup-lab#perfect");
  await card.locator(".engine-info").filter({ hasText: "processes engine runs instead" }).waitFor({ timeout: 10_000 });
  const r = await card.evaluate(async (el) => {
    el.setAttribute("n", "3000");
    el.setAttribute("workers", "2");
    const t = await el.run();
    return {
      engines: Object.values(el.result.data.traces).map((x) => x.engine),
      results: t.results,
      status: el.shadowRoot.querySelector(".status-text").textContent,
    };
  });
  assert.deepEqual([...new Set(r.engines)], ["processes"]);
  assert.deepEqual(r.results, [6, 28, 496]);
  assert.match(r.status, /Done in .* \(processes engine\)/);
  const stuck = await page.evaluate(
    () =>
      [...document.querySelectorAll("speedup-lab")].filter((el) =>
        el.shadowRoot.querySelector(".engine-info")?.textContent.includes("starting"),
      ).length,
  );
  assert.equal(stuck, 0, "cards still saying starting…");
  assert.deepEqual(problems, []);
  await context.close();
});

test("no engine can start: the page and each card say so clearly, and bad input still gets its message", async () => {
  const { page, context, problems } = await pageWithHangingWorkers(["threads-worker.js", "processes-worker.js"]);
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  const line = await page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(line.ready, "error", line.text);
  assert.match(line.text, /The processes engine did not start within 2 s.*Reload the page to try again/);

  const r = await page.locator("speedup-lab#sleep-seq").evaluate(async (el) => {
    const events = [];
    el.addEventListener("speedup-lab:error", (e) => events.push(e.detail));
    const outcome = await el.run().then(
      () => "finished",
      (e) => e.message,
    );
    return {
      outcome,
      events,
      error: el.shadowRoot.querySelector(".error").textContent,
      status: el.shadowRoot.querySelector(".status-text").textContent,
    };
  });
  // the card's own boot is a fresh attempt with its own deadline, so this takes about 2 s
  assert.match(r.outcome, /The processes engine did not start within 2 s/);
  assert.match(r.error, /did not start within 2 s/);
  assert.ok(r.events.some((e) => /did not start/.test(e)));
  assert.doesNotMatch(r.status, /Starting/);

  // the page is still usable: a bad input is refused with its message at once
  const bad = await page.evaluate(async () => {
    const el = document.createElement("speedup-lab");
    el.setAttribute("experiment", "perfect");
    el.setAttribute("n", "abc");
    document.body.append(el);
    return el.run().then(
      () => "finished",
      (e) => e.message,
    );
  });
  assert.match(bad, /got "abc"/);
  assert.deepEqual(problems, []);
  await context.close();
});
