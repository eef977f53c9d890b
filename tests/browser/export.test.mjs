// Every card on the page can save what it measured: its traces as CSV and JSON and its charts
// as one PNG. The files are real downloads (Playwright's download events), and each one is
// parsed: the CSV has one row per span of every trace (parallel-writes, whose runs have no
// spans: one row per run), the JSON is the card's own result, the PNG is an image of the size
// of the card's charts.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import { useLabPage } from "./lab.mjs";

const lab = useLabPage({ before, after });

/** Small settings for every card, so the whole file runs in seconds. */
const CARDS = {
  "sleep-seq": { "unit-ms": 5 },
  "start-no-join": { "unit-ms": 5 },
  "start-join": { "unit-ms": 5 },
  "many-sleepers": { "unit-ms": 5, workers: 10 },
  "pool-map-sleep": { "unit-ms": 5, workers: 5 },
  perfect: { n: 300, workers: 2, chunksize: "" },
  speedup: { n: 2000, workers: 2 },
  "load-balance": { n: 2000, workers: 2 },
  homework: { students: 2, "multiplication-ms": 1 },
  "parallel-writes": { writers: 2, "total-mb": 1, "record-bytes": 4096 },
  "random-forest": { trees: 4, depth: 4, workers: 2 },
  python: {}, // its first program: sleepy_man twice, in the main interpreter
};

test("the list above is every card on the page", async () => {
  const ids = await lab.tab.page.evaluate(() => [...document.querySelectorAll("speedup-lab")].map((el) => el.id));
  assert.deepEqual([...ids].sort(), Object.keys(CARDS).sort());
});

/** A tiny RFC 4180 reader: enough for what export.js writes (quoted fields may hold commas). */
function parseCsv(text) {
  const rows = [];
  for (const line of text.split("\r\n").filter(Boolean)) {
    const cells = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = !quoted;
      else if (c === "," && !quoted) {
        cells.push(cell);
        cell = "";
      } else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

/** Click the card's `kind` button and return the downloaded file's name and bytes. */
async function save(id, kind) {
  const { page } = lab.tab;
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`speedup-lab#${id} button[data-export=${kind}]`).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

for (const [id, attrs] of Object.entries(CARDS)) {
  test(`${id}: CSV, JSON and PNG download and parse`, async () => {
    const { page } = lab.tab;
    // A fresh page per card: Chromium stops a page's downloads after ten in a row (a reader saving
    // everything would be asked once, by the browser, to allow more) — not what is tested here.
    await page.reload();
    await page.waitForFunction(() => document.getElementById("isolation")?.dataset.ready);
    // Run the card, and read what the files must contain: every trace's spans, the charts' size.
    const expected = await page.locator(`speedup-lab#${id}`).evaluate(async (el, attrs) => {
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
      await el.run();
      // the one result contract (lessons/contract.js): labelled traces, headline first, and a summary
      const { traces, summary } = el.result;
      return {
        spans: traces.reduce((n, t) => n + t.trace.spans.length, 0),
        traces: traces.length,
        labels: traces.map((t) => t.label),
        runs: summary.runs?.length ?? null,
        trace: JSON.parse(JSON.stringify(traces[0].trace, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v))),
      };
    }, attrs);
    // every lesson has traces with spans (parallel-writes: a trace per run, a span per writer's
    // file); parallel-writes' CSV is its own, a row per run
    const perRun = id === "parallel-writes";
    assert.ok(expected.traces >= 1 && expected.spans >= 1, `${expected.traces} traces, ${expected.spans} spans`);
    assert.equal(new Set(expected.labels).size, expected.traces, `labels tell the traces apart: ${expected.labels}`);
    if (perRun) assert.equal(expected.traces, expected.runs, "a trace per run");

    const csv = await save(id, "csv");
    assert.match(csv.name, new RegExp(`^speedup-lab-${id}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+\\.csv$`));
    const rows = parseCsv(csv.bytes.toString("utf8"));
    const header = rows[0];
    const col = (name) => header.indexOf(name);
    if (perRun) {
      assert.deepEqual(header.slice(0, 3), ["rep", "writers", "regime"]);
      assert.equal(rows.length - 1, expected.runs, "one CSV row per run");
      for (const r of rows.slice(1)) {
        assert.equal(r.length, header.length);
        assert.ok(Number(r[col("ms")]) > 0 && Number(r[col("mibPerSec")]) > 0, r.join(","));
        assert.match(r[col("regime")], /^(latency|bandwidth)$/);
      }
    } else if (id === "python") {
      // the python card's own rows: every span of its processes (start-ups, tasks, transfers)
      assert.deepEqual(header, ["process", "process kind", "span", "name", "start (s)", "end (s)"]);
      assert.ok(rows.length > 1 && rows.slice(1).some((r) => r[3] === "start-up"), "its processes' start-ups");
      for (const r of rows.slice(1)) assert.ok(Number(r[5]) >= Number(r[4]), r.join(","));
      const trace = await save(id, "trace");
      assert.match(trace.name, /\.trace\.json$/);
      const events = JSON.parse(trace.bytes.toString("utf8")).traceEvents;
      assert.ok(
        events.some((e) => e.ph === "M" && e.args?.name === "MainProcess"),
        "a trace Perfetto opens: MainProcess's track",
      );
      assert.ok(
        events.some((e) => e.ph === "X" && e.name === "running" && e.dur > 0),
        "the processes' spans",
      );
    } else {
      assert.deepEqual(header.slice(0, 3), ["run", "strategy", "engine"]);
      assert.equal(rows.length - 1, expected.spans, "one CSV row per span of every trace");
      for (const r of rows.slice(1)) {
        assert.equal(r.length, header.length);
        const [start, end] = [Number(r[col("startMs")]), Number(r[col("endMs")])];
        assert.ok(Number.isFinite(start) && Number.isFinite(end) && end >= start, r.join(","));
        assert.ok(Number.isInteger(Number(r[col("worker")])), r.join(","));
      }
    }

    const json = await save(id, "json");
    assert.match(json.name, /\.json$/);
    const saved = JSON.parse(json.bytes.toString("utf8"));
    assert.equal(saved.lesson, id);
    assert.deepEqual(saved.traces[0].trace, expected.trace, "the card's own result: its headline trace first");
    assert.deepEqual(
      saved.traces.map((t) => t.label),
      expected.labels,
    );
    assert.ok(saved.summary && typeof saved.summary === "object", "the lesson's summary");
    assert.doesNotMatch(JSON.stringify(saved.summary), /"spans":/, "the summary names its traces, not repeats them");
    assert.ok(saved.params && typeof saved.params === "object");

    const png = await save(id, "png");
    // The charts' size when saved (read after the layout has settled: a page scrollbar that
    // appears with the results makes Chart.js resize its canvases once).
    const size = await page.locator(`speedup-lab#${id}`).evaluate((el) => {
      const canvases = [...el.shadowRoot.querySelectorAll("canvas")];
      return { width: Math.max(...canvases.map((c) => c.width)), height: canvases.reduce((h, c) => h + c.height, 0) };
    });
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    // IHDR: width and height, big-endian, at bytes 16..23: the charts stacked
    assert.equal(png.bytes.readUInt32BE(16), size.width);
    assert.equal(png.bytes.readUInt32BE(20), size.height);
  });
}

test("no console error or page error in all of that", () => {
  assert.deepEqual(lab.tab.problems, []);
});
