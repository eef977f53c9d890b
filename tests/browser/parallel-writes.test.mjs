// The parallel-writes card: every file verified, nothing left in OPFS after a run, a cancel, a
// missed deadline or bad input; a browser without OPFS is told so.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openPage } from "./browser.mjs";
import { useLabPage } from "./lab.mjs";
import { tryCardInPage } from "./try-card.mjs";

const lab = useLabPage({ before, after });

/** What the lab has left in this page's OPFS. */
const leftovers = () =>
  lab.tab.page.evaluate(async () => {
    const { leftovers } = await import("/www/writes/opfs.js");
    return leftovers();
  });

test("1..2 writers, both regimes, 3 runs each: every file read back and verified, none left", async () => {
  const r = await lab.tab.page.locator("speedup-lab#parallel-writes").evaluate(async (el) => {
    el.setAttribute("writers", "2");
    el.setAttribute("total-mb", "4");
    el.setAttribute("record-bytes", "4096");
    const trace = await el.run();
    const { runs, summary } = el.result.summary;
    return {
      trace,
      runs: runs.map((x) => ({ k: x.k, regime: x.regime, files: x.files, plan: x.plan, rate: x.mibPerSec })),
      summary,
      text: el.shadowRoot.querySelector(".results").textContent,
      charts: el.shadowRoot.querySelectorAll("canvas").length,
    };
  });
  // 3 repeats × 2 writer counts × 2 regimes, interleaved
  assert.equal(r.runs.length, 12);
  assert.deepEqual(
    r.runs.slice(0, 4).map((x) => `${x.k}${x.regime[0]}`),
    ["1l", "1b", "2l", "2b"],
  );
  for (const run of r.runs) {
    assert.equal(run.files.length, run.k);
    for (const f of run.files) {
      assert.ok(f.ok, JSON.stringify(f));
      assert.equal(f.readBytes, f.bytes);
      assert.equal(f.readCrc, f.crc);
    }
    // the same dataset for every writer count: 4 MiB in blocks, an eighth of it in records
    assert.equal(run.plan.totalBytes, run.regime === "bandwidth" ? 4 << 20 : 512 << 10);
    assert.ok(run.rate > 0);
  }
  assert.equal(r.trace.filesVerified, 3 * (1 + 2) * 2);
  for (const regime of ["latency", "bandwidth"]) {
    assert.deepEqual(
      r.summary[regime].map((p) => [p.k, p.n]),
      [
        [1, 3],
        [2, 3],
      ],
    );
    for (const p of r.summary[regime]) assert.ok(p.min <= p.median && p.median <= p.max);
  }
  assert.match(r.text, /every byte read back, size and XXH32 equal/);
  assert.equal(r.charts, 2);
  assert.deepEqual(await leftovers(), []);
});

test("cancel: rejects with AbortError and removes every file", async () => {
  const r = await lab.tab.page.locator("speedup-lab#parallel-writes").evaluate(async (el) => {
    el.setAttribute("writers", "4");
    el.setAttribute("total-mb", "64");
    el.setAttribute("record-bytes", "4096");
    const running = el.run().then(
      () => "finished",
      (e) => e.name,
    );
    // cancel once files exist (a writer is preparing or writing)
    const { leftovers } = await import("/www/writes/opfs.js");
    const t0 = performance.now();
    let seen = [];
    while (performance.now() - t0 < 20_000 && seen.length === 0) {
      await new Promise((res) => setTimeout(res, 20));
      seen = await leftovers();
    }
    el.cancel();
    return { outcome: await running, seen, after: await leftovers() };
  });
  assert.equal(r.outcome, "AbortError");
  assert.ok(r.seen.length > 0, "files existed before the cancel");
  assert.deepEqual(r.after, []);
});

test("a stalled run is stopped at its deadline and its files are removed", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const { WriterSession } = await import("/www/writes/session.js");
    const { leftovers } = await import("/www/writes/opfs.js");
    const s = new WriterSession();
    // a deadline no run can meet stands in for a writer that stalls
    const error = await s.run({ writers: 2, regime: "bandwidth", totalMb: 8 }, { deadlineMs: 5 }).then(
      () => null,
      (e) => e.message,
    );
    const removed = await s.close();
    return { error, removed, after: await leftovers() };
  });
  assert.match(r.error, /did not finish within 0\.01 s \(a stalled writer\)/);
  assert.equal(r.removed, true);
  assert.deepEqual(r.after, []);
});

test("bad input: the core refuses it before anything is written", async () => {
  const r = await lab.tab.page.evaluate(tryCardInPage, {
    experiment: "parallel-writes",
    writers: "2",
    "total-mb": "4",
    "record-bytes": "100",
  });
  assert.match(r.rejected, /The record size must be a multiple of 64 bytes \(one CSV row\), got 100/);
  assert.deepEqual(r.events, [r.rejected]);
  assert.deepEqual(r.shown, [r.rejected]);
  assert.deepEqual(await leftovers(), []);
});

test("a run left behind by a closed page is swept by the next run; a fresh one is not", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const { BASE_DIR, leftovers, sweepStale } = await import("/www/writes/opfs.js");
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle(BASE_DIR, { create: true });
    const old = `run-${(Date.now() - 2 * 60 * 60 * 1000).toString(36)}-dead00`;
    const fresh = `run-${Date.now().toString(36)}-live00`;
    for (const name of [old, fresh]) {
      const dir = await base.getDirectoryHandle(name, { create: true });
      await dir.getFileHandle("writer-0.csv", { create: true });
    }
    await sweepStale();
    const after = await leftovers();
    await base.removeEntry(fresh, { recursive: true });
    await root.removeEntry(BASE_DIR);
    return { after, old, fresh, end: await leftovers() };
  });
  assert.deepEqual(r.after, [r.fresh, `${r.fresh}/writer-0.csv`]);
  assert.deepEqual(r.end, []);
});

test("a browser without OPFS: the card says so clearly, nothing is written", async () => {
  const context = await lab.browser.newContext();
  await context.addInitScript(() => {
    delete StorageManager.prototype.getDirectory;
  });
  const tab = await openPage(context, `${lab.server.url}/`);
  try {
    const r = await tab.page.locator("speedup-lab#parallel-writes").evaluate(async (el) => {
      el.setAttribute("total-mb", "2");
      el.setAttribute("writers", "1");
      return el.run().then(
        () => null,
        (e) => e.message,
      );
    });
    assert.match(r, /offers no Origin Private File System/);
    assert.deepEqual(tab.problems, []);
  } finally {
    await context.close();
  }
});

test("embed.html: URL parameters reach the card, files verified, none left", async () => {
  const context = await lab.browser.newContext();
  const tab = await openPage(context, null);
  const missing = [];
  tab.page.on("response", (res) => res.status() === 404 && missing.push(new URL(res.url()).pathname));
  await tab.page.goto(`${lab.server.url}/embed.html?experiment=parallel-writes&writers=1&total-mb=1`);
  try {
    const r = await tab.page.locator("speedup-lab").evaluate(async (el) => {
      const trace = await el.run();
      const { leftovers } = await import("/www/writes/opfs.js");
      return { trace, left: await leftovers() };
    });
    assert.equal(r.trace.runs, 2 * 3); // 1 writer count × 2 regimes × 3 repeats
    assert.equal(r.trace.filesVerified, 6);
    assert.deepEqual(r.left, []);
    // embed.html opened as a top-level page makes the browser ask for /favicon.ico (an iframe
    // never does); that 404 is the only console error allowed here
    assert.deepEqual(
      missing.filter((p) => p !== "/favicon.ico"),
      [],
    );
    assert.equal(tab.problems.filter((p) => !p.includes("404")).length, 0, tab.problems.join("\n"));
  } finally {
    await context.close();
  }
});

test("no console error or page error in all of that", () => {
  assert.deepEqual(lab.tab.problems, []);
});
