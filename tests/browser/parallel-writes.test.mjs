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
    const progress = [];
    el.addEventListener("speedup-lab:progress", (e) => progress.push([e.detail.done, e.detail.total, e.detail.unit]));
    const trace = await el.run();
    const { runs, summary, verified } = el.result.summary;
    return {
      trace,
      verified,
      progress,
      labels: el.result.traces.map((t) => t.label),
      switches: el.shadowRoot.querySelectorAll('select[aria-label="engine"]').length,
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
  assert.equal(r.verified, 3 * (1 + 2) * 2);
  // the one result contract: a trace per run, the headline (the last run) first, a span per
  // writer's file with its bytes and MiB/s
  assert.equal(r.labels.length, 12);
  assert.equal(r.labels[0], "run 3: 2 writers, bandwidth-bound");
  assert.equal(r.trace.engine, "writers");
  assert.equal(r.trace.workers, 2);
  assert.equal(r.trace.spans.length, 2);
  for (const span of r.trace.spans) {
    assert.equal(span.bytes, 2 << 20);
    assert.ok(span.mibPerSec > 0 && span.end > span.start, JSON.stringify(span));
  }
  // progress in runs, in order, to the end; and no engine switch that would change nothing
  assert.deepEqual(r.progress.at(-1), [12, 12, "runs"]);
  assert.deepEqual(
    r.progress.map((p) => p[0]),
    [...r.progress.map((p) => p[0])].sort((a, b) => a - b),
  );
  assert.equal(r.switches, 0);
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

test("the sweep removes run directories no live page holds, however fresh, and never a live run's", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const { BASE_DIR, holdRunLock, leftovers, newRunId, sweepStale } = await import("/www/writes/opfs.js");
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle(BASE_DIR, { create: true });
    const dead = newRunId(); // a page that closed mid-run: its lock went with it
    const live = newRunId(); // a run in progress, here or in another tab: its lock is held
    const release = await holdRunLock(live);
    for (const name of [dead, live]) {
      const dir = await base.getDirectoryHandle(name, { create: true });
      await dir.getFileHandle("writer-0.csv", { create: true });
    }
    await sweepStale();
    const after = await leftovers();
    release();
    await sweepStale(); // now no one holds it: swept too
    return { after, live, end: await leftovers() };
  });
  assert.deepEqual(r.after, [r.live, `${r.live}/writer-0.csv`]);
  assert.deepEqual(r.end, []);
});

/** Start a big run in `page`'s parallel-writes card and resolve once its files exist. */
async function startWriting(page) {
  return page.locator("speedup-lab#parallel-writes").evaluate(async (el) => {
    el.setAttribute("writers", "2");
    el.setAttribute("total-mb", "64");
    el.setAttribute("record-bytes", "4096");
    window.__outcome = el.run().then(
      () => "finished",
      (e) => `${e.name}: ${e.message}`,
    );
    const { leftovers } = await import("/www/writes/opfs.js");
    const t0 = performance.now();
    let seen = [];
    while (performance.now() - t0 < 30_000 && seen.length === 0) {
      await new Promise((res) => setTimeout(res, 20));
      seen = await leftovers();
    }
    return seen;
  });
}

test("pagehide mid-write: the writers stop and the run's files are removed at once", async () => {
  const context = await lab.browser.newContext();
  const tab = await openPage(context, `${lab.server.url}/`);
  try {
    const seen = await startWriting(tab.page);
    assert.ok(seen.length > 0, "files existed");
    const r = await tab.page.evaluate(async () => {
      // what the browser fires when the tab closes, the frame is removed, or the page is left
      dispatchEvent(new PageTransitionEvent("pagehide", { persisted: false }));
      const outcome = await window.__outcome;
      const { leftovers } = await import("/www/writes/opfs.js");
      const t0 = performance.now();
      let left = await leftovers();
      while (left.length && performance.now() - t0 < 10_000) {
        await new Promise((res) => setTimeout(res, 50));
        left = await leftovers();
      }
      return { outcome, left };
    });
    assert.match(r.outcome, /page was hidden/);
    assert.deepEqual(r.left, []);
  } finally {
    await context.close();
  }
});

test("a tab closed mid-write: a page with another card leaves the origin's files alone; the next parallel-writes card removes them", async () => {
  const context = await lab.browser.newContext();
  const writer = await openPage(context, `${lab.server.url}/`);
  const seen = await startWriting(writer.page);
  assert.ok(seen.length > 0, "files existed");
  await writer.page.close(); // mid-write; whatever pagehide could not finish is left
  // A card of another lesson does not touch the origin's private file system at all.
  const other = await openPage(context, `${lab.server.url}/embed.html?experiment=sleep-seq`);
  const untouched = await other.page.evaluate(async () => {
    await new Promise((res) => setTimeout(res, 2000)); // past the idle callback a sweep would use
    const { leftovers } = await import("/www/writes/opfs.js");
    return (await leftovers()).length;
  });
  await other.page.close();
  assert.ok(untouched > 0, "a sleep-seq card swept nothing");
  // A parallel-writes card sweeps, when the browser is idle: here one in embed.html.
  const next = await openPage(context, `${lab.server.url}/embed.html?experiment=parallel-writes`);
  try {
    const left = await next.page.evaluate(async () => {
      const { leftovers } = await import("/www/writes/opfs.js");
      const t0 = performance.now();
      let left = await leftovers();
      while (left.length && performance.now() - t0 < 15_000) {
        await new Promise((res) => setTimeout(res, 100));
        left = await leftovers();
      }
      return left;
    });
    assert.deepEqual(left, []);
  } finally {
    await context.close();
  }
});

test("two tabs writing at once: neither touches the other's files, both verify every byte", async () => {
  const context = await lab.browser.newContext();
  const a = await openPage(context, `${lab.server.url}/`);
  const b = await openPage(context, `${lab.server.url}/`);
  try {
    const seen = await startWriting(a.page);
    assert.ok(seen.length > 0, "tab A's files existed");
    // tab B sweeps (as every page load does) and writes while A is writing
    const bOutcome = await b.page.locator("speedup-lab#parallel-writes").evaluate(async (el) => {
      const { sweepStale } = await import("/www/writes/opfs.js");
      await sweepStale();
      el.setAttribute("writers", "2");
      el.setAttribute("total-mb", "4");
      return el.run().then(
        () => el.result.summary.runs.every((r) => r.files.every((f) => f.ok)),
        (e) => `${e.name}: ${e.message}`,
      );
    });
    const aOutcome = await a.page.evaluate(async () => {
      const outcome = await window.__outcome;
      return outcome === "finished"
        ? document
            .querySelector("speedup-lab#parallel-writes")
            .result.summary.runs.every((r) => r.files.every((f) => f.ok))
        : outcome;
    });
    assert.equal(bOutcome, true);
    assert.equal(aOutcome, true);
    assert.deepEqual([...a.problems, ...b.problems], []);
  } finally {
    await context.close();
  }
});

test("two cards on one page never write at once: the second waits in the page's run queue", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const cards = [0, 1].map(() => {
      const el = document.createElement("speedup-lab");
      el.setAttribute("experiment", "parallel-writes");
      el.setAttribute("writers", "1");
      el.setAttribute("total-mb", "1");
      document.body.append(el);
      return el;
    });
    const log = [];
    cards.forEach((el, i) => {
      el.addEventListener("speedup-lab:progress", (e) => log.push(`${i}:${e.detail.done}`));
      el.addEventListener("speedup-lab:done", () => log.push(`${i}:done`));
    });
    await Promise.all(cards.map((el) => el.run()));
    for (const el of cards) el.remove();
    return log;
  });
  // all of one card's runs, then all of the other's
  const first = r[0].split(":")[0];
  const switchAt = r.findIndex((x) => !x.startsWith(`${first}:`));
  assert.ok(switchAt > 0, r.join(" "));
  assert.equal(r[switchAt - 1], `${first}:done`, r.join(" "));
  assert.ok(
    r.slice(switchAt).every((x) => !x.startsWith(`${first}:`)),
    r.join(" "),
  );
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
      const { runs, verified } = el.result.summary;
      return { trace, runs: runs.length, verified, left: await leftovers() };
    });
    assert.equal(r.runs, 2 * 3); // 1 writer count × 2 regimes × 3 repeats
    assert.equal(r.verified, 6);
    assert.equal(r.trace.spans.length, 1);
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
