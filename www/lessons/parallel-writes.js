/**
 * The guide's "I/O processes": a generated dataset written by 1..k writer Workers, each to its
 * own file in the Origin Private File System, every byte read back and verified, the files
 * removed after. Two regimes, repeated and interleaved so drift hits every point alike:
 * latency-bound (small records, each flushed) and bandwidth-bound (1 MiB blocks, one flush).
 * It needs no engine and no shared memory: its writers are plain dedicated Workers, started
 * through the process bridge (writes/session.js); the whole lesson runs in the page's run
 * queue (engine/queue.js), so it never writes while another card runs.
 */
import { hex, int, ms, times } from "../ui/format.js";
import { rateChart } from "../writes/chart.js";
import { freeBytes, opfsProblem, sweepStale } from "../writes/opfs.js";
import { median } from "./common.js";
import { lessonResult } from "./contract.js";
import { asFast, count } from "./plain.js";

/** Runs per (writer count, regime): latency runs spread widely, so one run says little. */
export const REPEATS = 3;
const REGIMES = ["latency", "bandwidth"];
const COLORS = { latency: "#e07b39", bandwidth: "#3b82c4" };
const MiB = 1 << 20;

const rate = (x) => `${x.toFixed(x < 100 ? 1 : 0)} MiB/s`;

/** Median and spread per writer count, for one regime. */
export function summarise(runs, regime) {
  const ks = [...new Set(runs.map((r) => r.k))].sort((a, b) => a - b);
  return ks.map((k) => {
    const xs = runs.filter((r) => r.k === k && r.regime === regime).map((r) => r.mibPerSec);
    return { k, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
  });
}

/** One timed run as a Trace: a span per writer (its file), with its bytes and MiB/s. */
function writesTrace(r, k, regime) {
  const spans = r.files.map((f) => ({
    worker: f.writer,
    first: f.writer,
    last: f.writer,
    start: f.start,
    end: f.end,
    bytes: f.bytes,
    mibPerSec: f.bytes / MiB / ((f.end - f.start) / 1000),
  }));
  const hardwareConcurrency = navigator.hardwareConcurrency || 1;
  const common = { workload: "writes", engine: "writers", workers: k, hardwareConcurrency, chunksize: null };
  return {
    ...common,
    strategy: `${regime}-bound`,
    totalMs: r.ms,
    bytes: r.plan.totalBytes,
    mibPerSec: r.mibPerSec,
    spans,
  };
}

/** The lesson's runs, on one WriterSession; reports progress in runs. */
async function writeAll(WriterSession, p, ctx) {
  const session = new WriterSession({ signal: ctx.signal });
  const runs = [];
  let cleaned = false;
  try {
    ctx.stage("checking the settings");
    const spec = (regime, k) => ({ writers: k, regime, totalMb: p.totalMb, recordBytes: p.recordBytes });
    const plans = {};
    for (const regime of REGIMES) plans[regime] = await session.plan(spec(regime, p.writers));
    const problem = await opfsProblem();
    if (problem) throw new Error(problem);
    await sweepStale();
    const free = await freeBytes();
    const needed = Math.max(...REGIMES.map((r) => plans[r].totalBytes));
    if (free !== null && free < needed * 1.2) {
      throw new Error(
        `This origin has ${int(free / MiB)} MiB of storage left and a run needs ${int(needed / MiB)} MiB: pick a smaller dataset. Nothing was written.`,
      );
    }
    const ks = Array.from({ length: p.writers }, (_, i) => i + 1);
    const total = REPEATS * ks.length * REGIMES.length;
    ctx.progress(0, total, "runs");
    for (let rep = 1; rep <= REPEATS; rep++) {
      for (const k of ks) {
        for (const regime of REGIMES) {
          ctx.stage(`run ${rep} of ${REPEATS}: ${k} writer${k === 1 ? "" : "s"}, ${regime}-bound`);
          const r = await session.run(spec(regime, k));
          const trace = writesTrace(r, k, regime);
          runs.push({ rep, k, regime, ms: r.ms, mibPerSec: r.mibPerSec, files: r.files, plan: r.plan, trace });
          ctx.progress(runs.length, total, "runs");
        }
      }
    }
  } finally {
    cleaned = await session.close();
  }
  if (!cleaned) throw new Error("The files were written and verified, but the browser would not remove them.");
  const summary = Object.fromEntries(REGIMES.map((r) => [r, summarise(runs, r)]));
  const verified = runs.reduce((n, r) => n + r.files.length, 0);
  const bytes = runs.reduce((n, r) => n + r.plan.totalBytes, 0);
  // the headline is the last run (the most writers); then the others, in the order they ran
  const label = (r) => `run ${r.rep}: ${r.k} writer${r.k === 1 ? "" : "s"}, ${r.regime}-bound`;
  const traces = [runs.at(-1), ...runs.slice(0, -1)].map((r) => [label(r), r.trace]);
  return lessonResult(traces, { runs, summary, verified, bytes, cleaned });
}

/**
 * The first parallel-writes card of a page sweeps what earlier runs left in this origin's private
 * file system when their page closed mid-run (writes/opfs.js: only runs no live tab holds), when
 * the browser is idle; a page without such a card never touches the origin's file system (an
 * author's article is the author's origin).
 */
let swept = false;
function sweepOnce() {
  if (swept) return;
  swept = true;
  const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
  idle(() => sweepStale().catch(() => {}));
}

export const parallelWrites = {
  id: "parallel-writes",
  section: "guide",
  // quick: 1 MiB, 1..2 writers, both regimes, 3 runs each: 12 runs, 18 files read back
  quick: { writers: 2, "total-mb": 1, "record-bytes": 4096 },
  small: { writers: 2, "total-mb": 2, "record-bytes": 4096 },
  /** A card of this lesson is on the page (the card calls it when connected). */
  connected: sweepOnce,
  title: "Parallel writes: k writers, one file each, every byte verified",
  lede: "A table of data written to files by 1, 2, … writers in parallel, read back and checked, then deleted, once in small records and once in large blocks: you will see how fast each number of writers writes.",
  params: ["writers", "totalMb", "recordBytes"],
  labels: { writers: "Up to writers" },
  code: {
    rust: `// each writer Worker: its share of the rows, generated in Rust (fixed-width CSV)
let rows = fill_rows(writer, first_row, n);          // 64 bytes a row
let sum = xxhash_rust::xxh32::xxh32(&rows, 0);        // what was written
// JS, in the Worker: a sync access handle on its own OPFS file
handle.write(record, { at });  handle.flush();       // latency: a flush per record
handle.write(block, { at });   /* … */ handle.flush(); // bandwidth: 1 MiB blocks, one flush
// then read every byte back, XXH32 it in Rust, compare; remove the file`,
    python: `def write_part(i):
    with open(f"part-{i}.csv", "w") as f:
        f.writelines(rows(i))   # "the writing process can be done in parallel"

with Pool(4) as p:
    p.map(write_part, range(4))`,
  },
  expect: (p) =>
    `${REPEATS} runs per writer count (1 to ${p.writers}) and regime, interleaved. Latency-bound (flushed ${int(p.recordBytes)}-byte records): writers overlap their disk syncs like sleepers overlap their waits, so more writers help — a probe on 2 cores saw about 2× at 4 writers, with runs spreading widely. Bandwidth-bound (1 MiB blocks, one flush): the device and the page cache are the limit, and more writers add little. The card shows what this machine does, not a promise.`,
  why: "A writer waiting for the disk needs no core, so waits overlap; but when the disk (or the memory copy behind it) is already busy, a second writer only shares it.",
  // Its writers are its own Workers (writes/session.js): no engine to pick, so no switch.
  needsEngine: false,
  async run(p, ctx) {
    // The writers' code loads when the card runs, not with the page (its budget, BENCHMARKS.md).
    const { WriterSession } = await import("../writes/session.js");
    // In the page's run queue, whole: two cards never write at once (nor race for free space).
    return ctx.exclusive(() => writeAll(WriterSession, p, ctx));
  },
  /** Saved as CSV (ui/export.js): one row per run, in the order they ran (no per-worker spans here). */
  csv: ({ runs }) => ({
    columns: ["rep", "writers", "regime", "ms", "mibPerSec", "files", "totalBytes"],
    rows: runs.map((r) => [r.rep, r.k, r.regime, r.ms, r.mibPerSec, r.files.length, r.plan.totalBytes]),
  }),
  render({ runs, summary, verified, bytes }, out) {
    const gain = (pts) => pts.at(-1).median / pts[0].median;
    const first = (r) => runs.find((x) => x.regime === r).plan;
    out.facts([
      [
        "verified",
        `${verified} files, ${int(bytes / MiB)} MiB in all: every byte read back, size and XXH32 equal to what was generated ✓`,
      ],
      ["left behind", "nothing: every file was removed after its run ✓"],
      ...["latency", "bandwidth"].map((r) => {
        const pts = summary[r];
        const plan = first(r);
        const what =
          r === "latency"
            ? `${int(plan.recordBytes)}-byte records, each flushed, ${int(plan.totalBytes / MiB)} MiB`
            : `1 MiB blocks, one flush, ${int(plan.totalBytes / MiB)} MiB`;
        return [
          `${r}-bound`,
          `${rate(pts[0].median)} with 1 writer → ${rate(pts.at(-1).median)} with ${pts.at(-1).k} (${times(gain(pts))}); ${what}`,
        ];
      }),
    ]);
    out.note(
      `Medians of ${REPEATS} runs, the bars their spread. MiB = 1 048 576 bytes; a run's time goes from the first writer's start to the last writer's flush. A private (incognito) window keeps these files in memory, which changes the figures.`,
      "How these were measured",
    );
    for (const r of ["latency", "bandwidth"]) {
      rateChart(out.charts, {
        points: summary[r],
        color: COLORS[r],
        title:
          r === "latency" ? "Latency-bound: small records, each flushed" : "Bandwidth-bound: 1 MiB blocks, one flush",
      });
    }
    out.table(
      ["regime", "writers", "median", "min–max", "vs 1 writer"],
      ["latency", "bandwidth"].flatMap((r) =>
        summary[r].map((x) => [
          r,
          x.k,
          rate(x.median),
          `${rate(x.min)} – ${rate(x.max)}`,
          times(x.median / summary[r][0].median),
        ]),
      ),
      `MiB/s, ${REPEATS} runs each.`,
      "Each number of writers: median, spread and gain",
    );
    const last = runs.at(-1);
    out.table(
      ["writer", "bytes written", "bytes read back", "XXH32 written", "XXH32 read", "write time"],
      last.files.map((f) => [
        f.writer,
        int(f.bytes),
        int(f.readBytes),
        hex(f.crc),
        hex(f.readCrc),
        ms(f.end - f.start),
      ]),
      `The last run's files (${last.regime}-bound, ${last.k} writers), as verified.`,
      "Per writer: the last run's files, as verified",
    );
  },
  answer({ summary, verified }) {
    const gain = (r) => summary[r].at(-1).median / summary[r][0].median;
    const k = summary.latency.at(-1).k;
    return `In small records, each saved to disk at once, ${count(k, "writer")} in parallel ${asFast(gain("latency"), "one")}; in large blocks they ${asFast(gain("bandwidth"), "one")}. All ${verified} files were read back, checked and removed.`;
  },
};
