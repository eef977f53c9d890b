// No silent boot hang: a coordinator Worker whose script never arrives (a request held forever
// on purpose) must end, past the boot deadline, in a clear message and a usable page — the
// threads engine hands over to processes and says so; a processes engine that cannot start
// makes every card say so, never "Starting the engine…" forever. Likewise a run whose new
// process never starts (spawn-per-task; Firefox did this under geckodriver) ends past the spawn
// deadline in a clear error, its other workers stopped, and the next run works.
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import { after, before, test } from "node:test";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

/** 2 s instead of 20 (boot) or 10 (spawn): here they can only hang, so short deadlines keep the test quick. */
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
    globalThis.speedupLab = { ...globalThis.speedupLab, bootDeadlineMs: ms };
    globalThis.speedupLab = { ...globalThis.speedupLab, spawnDeadlineMs: ms };
  }, DEADLINE_MS);
  const held = [];
  for (const script of scripts) {
    await context.route(`**/www/workloads/${script}`, (route) => {
      held.push(route.request().url()); // never fulfilled: the Worker waits for its script
    });
  }
  const tab = await openPage(context, `${server.url}/`);
  return { ...tab, held };
}

test("threads coordinator never answers: past the deadline, the processes engine runs and the page says why", async () => {
  const { page, context, problems, held } = await pageWithHangingWorkers(["threads-coordinator.worker.js"]);
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  assert.equal(held.length, 0, "nothing is started before a Run");
  // the first Run boots the engine: its coordinator never answers, processes runs instead
  const card = page.locator("speedup-lab#perfect");
  const r = await card.evaluate(async (el) => {
    el.setAttribute("n", "3000");
    el.setAttribute("workers", "2");
    const t = await el.run();
    return {
      engines: el.result.traces.map((x) => x.trace.engine),
      results: t.results,
      status: el.shadowRoot.querySelector(".status-text").textContent,
    };
  });
  assert.ok(held.length >= 1, "the threads coordinator's script was requested and held");
  assert.deepEqual([...new Set(r.engines)], ["processes"]);
  assert.deepEqual(r.results, [6, 28, 496]);
  assert.match(r.status, /Done in .* \(processes engine\)/);
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready === "true");
  const line = await page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(line.engine, "processes");
  assert.equal(line.fallback, "true");
  assert.match(line.text, /The threads engine did not start within 2 s/);
  assert.match(line.text, /The processes engine runs instead/);

  // every card says so (none stuck at "Starting…"), and its switch names the engine that runs
  await card.locator(".engine-info").filter({ hasText: "processes engine runs instead" }).waitFor({ timeout: 10_000 });
  assert.equal(
    await card.evaluate((el) => el.shadowRoot.querySelector('select[aria-label="engine"]').value),
    "processes",
  );
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

test("no engine can start: the Run says so clearly, the page too, and bad input still gets its message", async () => {
  const { page, context, problems } = await pageWithHangingWorkers([
    "threads-coordinator.worker.js",
    "processes-coordinator.worker.js",
  ]);
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
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
  // threads misses its deadline, then processes misses its own: about 4 s
  assert.match(r.outcome, /The processes engine did not start within 2 s/);
  assert.match(r.error, /did not start within 2 s/);
  assert.ok(r.events.some((e) => /did not start/.test(e)));
  assert.doesNotMatch(r.status, /Starting/);
  const line = await page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(line.ready, "error", line.text);
  assert.match(line.text, /did not start within 2 s.*Press Run to try again/);

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

/**
 * A proxy to `upstream` on its own port that never answers requests for `path` (they stay
 * open, unanswered) until `release()`, which drops them (Chromium makes a new request for the
 * same URL wait behind one still in flight) and lets later ones through; `held` lists them.
 */
async function holdingProxy(upstream, path) {
  const held = [];
  const open = [];
  let holding = true;
  const server = createServer((req, res) => {
    if (holding && req.url.startsWith(path)) {
      held.push(req.url);
      open.push(res);
      return;
    }
    const out = httpRequest(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    held,
    release: () => {
      holding = false;
      for (const res of open) res.destroy();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

test("spawn-per-task whose new processes never start: past the spawn deadline, a clear error, no more spawns, and the next run works", async () => {
  // Playwright's routes do not see a nested Worker's requests (the processes are started by the
  // coordinator Worker), so the scripts are held by a proxy in front of the lab's server instead.
  const proxy = await holdingProxy(server.url, "/www/engine/process.worker.js");
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript((ms) => {
    globalThis.speedupLab = { ...globalThis.speedupLab, spawnDeadlineMs: ms };
  }, DEADLINE_MS);
  const { page, problems } = await openPage(context, `${proxy.url}/`);
  const { held } = proxy;
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  assert.equal(await page.locator("#isolation").getAttribute("data-engine"), "threads");
  const card = page.locator("speedup-lab#perfect");
  const r = await card.evaluate(async (el) => {
    el.setAttribute("n", "500"); // under the spawn-per-task cap: it runs after the plain loop
    el.setAttribute("workers", "2");
    el.setAttribute("chunksize", "");
    const events = [];
    el.addEventListener("speedup-lab:error", (e) => events.push(e.detail));
    const outcome = await el.run().then(
      () => "finished",
      (e) => ({ name: e.name, message: e.message }),
    );
    return {
      outcome,
      events,
      error: el.shadowRoot.querySelector(".error").textContent,
      status: el.shadowRoot.querySelector(".status-text").textContent,
    };
  });
  assert.notEqual(r.outcome, "finished");
  assert.match(r.outcome.message, /A new worker process did not start within 2 s/);
  assert.match(r.error, /did not start within 2 s .*its other workers were terminated/);
  assert.ok(r.events.some((e) => /did not start/.test(e)));
  assert.doesNotMatch(r.status, /Running|Starting/);
  // Both loops (k = 2) were stuck on their first spawn; Chromium may ask once for the two
  // Workers' one script. A second look after twice the deadline finds no new request: the failed
  // run started no process after it ended.
  const asked = held.length;
  assert.ok(asked >= 1 && asked <= 2, held.join(", "));
  await page.waitForTimeout(2 * DEADLINE_MS);
  assert.equal(held.length, asked, "no process was spawned after the run failed");

  // the scripts arrive again: the same card runs, spawn-per-task included, on a healthy engine
  proxy.release();
  const again = await card.evaluate(async (el) => {
    await el.run();
    return el.result.traces.map(({ trace: t }) => ({ strategy: t.strategy, results: t.results }));
  });
  assert.ok(
    again.some((t) => t.strategy === "spawn-per-task"),
    JSON.stringify(again.map((t) => t.strategy)),
  );
  for (const t of again) assert.deepEqual(t.results, [6, 28, 496], t.strategy);
  assert.deepEqual(problems, []);
  await context.close();
  await proxy.close();
});

/**
 * Each Worker kind behind the process bridge has the spawn deadline: a forest process (started
 * by the processes coordinator, so held in the proxy) and a writer (started by the page) whose
 * script never arrives end in a clear error past it, and the next run works once it arrives.
 */
for (const { kind, script, id, attrs, message } of [
  {
    kind: "forest process",
    script: "/www/forest/forest-process.js",
    id: "random-forest",
    attrs: { engine: "processes", trees: "4", depth: "4", workers: "2" },
    message: /A new forest process did not start within 2 s/,
  },
  {
    kind: "writer",
    script: "/www/writes/writer-worker.js",
    id: "parallel-writes",
    attrs: { writers: "1", "total-mb": "1", "record-bytes": "65536" },
    message: /A new writer did not start within 2 s/,
  },
]) {
  test(`a ${kind} that never starts: past the spawn deadline, a clear error, and the next run works`, async () => {
    const proxy = await holdingProxy(server.url, script);
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript((ms) => {
      globalThis.speedupLab = { ...globalThis.speedupLab, spawnDeadlineMs: ms };
    }, DEADLINE_MS);
    const { page, problems } = await openPage(context, `${proxy.url}/`);
    await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
    const card = page.locator(`speedup-lab#${id}`);
    const r = await card.evaluate(async (el, attrs) => {
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      const outcome = await el.run().then(
        () => "finished",
        (e) => e.message,
      );
      return {
        outcome,
        error: el.shadowRoot.querySelector(".error").textContent,
        status: el.shadowRoot.querySelector(".status-text").textContent,
      };
    }, attrs);
    assert.match(r.outcome, message);
    assert.match(r.error, message);
    assert.doesNotMatch(r.status, /Running|Starting/);
    assert.ok(proxy.held.length >= 1, `the ${kind}'s script was requested and held`);

    proxy.release();
    const again = await card.evaluate(async (el) => {
      await el.run();
      return el.result.traces.length;
    });
    assert.ok(again >= 1);
    assert.deepEqual(problems, []);
    await context.close();
    await proxy.close();
  });
}

/**
 * A failed fetch is not kept: the first request for a wasm file fails (503), and the next Run
 * works without a reload — the page's own core (the card shows the failure and a Run button),
 * and the threads engine's module (its boot errors: the processes engine runs instead, and the
 * page says so).
 */
async function pageFailingOnce(pattern) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const failed = [];
  await context.route(pattern, (route) => {
    if (failed.length === 0) {
      failed.push(route.request().url());
      return route.fulfill({ status: 503, body: "busy" });
    }
    return route.continue();
  });
  const tab = await openPage(context, `${server.url}/`);
  return { ...tab, failed };
}

test("the page's core fails to load once (503): the card says so, and its next Run loads it and runs", async () => {
  const { page, context, problems, failed } = await pageFailingOnce("**/www/pkg/plain/speedup_lab_bg.wasm");
  const card = page.locator("speedup-lab#sleep-seq");
  await card.locator(".error").filter({ hasText: "could not load" }).waitFor({ timeout: 30_000 });
  assert.equal(failed.length, 1);
  const r = await card.evaluate(async (el) => {
    el.setAttribute("unit-ms", "20");
    el.shadowRoot.querySelector("button.run").click(); // a reader's Run, on the failed card
    await new Promise((resolve) => el.addEventListener("speedup-lab:done", resolve, { once: true }));
    return { labels: el.result.traces.map((t) => t.label), inputs: el.shadowRoot.querySelectorAll("input").length };
  });
  assert.ok(r.labels.length >= 1);
  assert.ok(r.inputs >= 1, "the card drew its form once the core loaded");
  // the 503 was logged by the browser as a failed resource: that is the test, not a page problem
  assert.deepEqual(
    problems.filter((p) => !/503|Failed to load resource/.test(p)),
    [],
  );
  await context.close();
});

test("the threads engine's wasm fails once (503): its boot errors, processes runs and the page says so; the page reloads nothing", async () => {
  const { page, context, problems, failed } = await pageFailingOnce("**/www/pkg/threads/speedup_lab_bg.wasm");
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  const card = page.locator("speedup-lab#sleep-seq");
  const r = await card.evaluate(async (el) => {
    el.setAttribute("unit-ms", "20");
    const t = await el.run();
    return { engine: t.engine, info: el.shadowRoot.querySelector(".engine-info").textContent };
  });
  assert.equal(failed.length, 1, "the threads wasm was asked for and refused once");
  assert.equal(r.engine, "processes");
  assert.match(r.info, /threads engine could not start.*processes engine runs instead/);
  const line = await page.locator("#isolation").evaluate((el) => ({ ...el.dataset, text: el.textContent }));
  assert.equal(line.fallback, "true");
  assert.match(line.text, /threads engine could not start.*processes engine runs instead/);
  assert.deepEqual(
    problems.filter((p) => !/503|Failed to load resource/.test(p)),
    [],
  );
  await context.close();
});

test("the processes coordinator's wasm fetch fails once (503): that Run fails clearly, the next one works", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  let fail = false;
  let failed = 0;
  await context.route("**/www/pkg/plain/speedup_lab_bg.wasm", (route) => {
    // the page's own core loads; the coordinator's first fetch (plainModule) fails
    if (fail && failed === 0) {
      failed += 1;
      return route.fulfill({ status: 503, body: "busy" });
    }
    return route.continue();
  });
  const tab = await openPage(context, `${server.url}/`);
  const { page } = tab;
  await page.waitForFunction(() => document.getElementById("isolation").dataset.ready, null, { timeout: 30_000 });
  fail = true;
  const card = page.locator("speedup-lab#sleep-seq");
  const first = await card.evaluate(async (el) => {
    el.setAttribute("engine", "processes");
    el.setAttribute("unit-ms", "20");
    return el.run().then(
      (t) => `finished on ${t.engine}`,
      (e) => e.message,
    );
  });
  assert.equal(failed, 1);
  assert.match(first, /HTTP 503.*run again/);
  const second = await card.evaluate(async (el) => (await el.run()).engine);
  assert.equal(second, "processes");
  assert.deepEqual(
    tab.problems.filter((p) => !/503|Failed to load resource/.test(p)),
    [],
  );
  await context.close();
});
