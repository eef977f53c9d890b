/**
 * Why a python run was fast or slow, from its own measurements: advice that speaks only when its
 * condition holds, each with this run's numbers. The parts of each process's life come from
 * time-spent.js (measured in the lab's own `multiprocessing`, not estimated); the chunks' items,
 * bytes and sleeps from run-records.js. Five conditions, the classic reasons a Pool disappoints:
 *
 *   start-up        starting the processes cost more than everything they did after
 *   transfer        handing tasks over and results back cost more than the work (and than the
 *                   start-up): tasks too small for their transfer → the chunksize that amortises it
 *   imbalance       one long chunk ran on at the end while the others sat idle
 *   oversubscribed  more processes computed at once than there are cores
 *   sleeping        the tasks mostly slept: more processes than cores do help
 *
 * Nothing is said when nothing holds, nor on the one-at-a-time rung (nothing runs in parallel
 * there, so none of this is what limited the run). Pure: tests/python-advice.test.mjs.
 */
import { median } from "../lessons/common.js";
import { ms } from "../ui/format.js";
import { timeSpent } from "./time-spent.js";

/** A chunk's work past this many times the median chunk's, running at the end, is "one long task". */
const LONG = 2;
/** …and the others idle at the end for at least this share of their time in the pool. */
const IDLE_SHARE = 0.25;
/** Work that sleeps at least this share of its time is "sleeping work"… */
const SLEEPY = 0.5;
/** …and below this share it "computes" (between the two, neither advice speaks). */
const BUSY = 0.25;
/** The chunksize advised makes a chunk's hand-over at most this share of its work. */
const OVERHEAD = 0.1;

/** Seconds, said as the lab says every time (ui/format.js). */
const s = (x) => ms(x * 1000);
const pct = (x) => `${Math.round(100 * x)} %`;
const plural = (n, one, many = `${one}es`) => `${n} ${n === 1 ? one : many}`;
const kb = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`);
const done = (t) => Number.isFinite(t?.start) && Number.isFinite(t?.end);

/**
 * The most processes working at the same moment (a pool worker while it runs a chunk, a Process
 * while its target runs), from their measured intervals.
 */
export function peakWorking(processes, end) {
  const edges = [];
  for (const p of processes) {
    if (p.kind === "main") continue;
    const spans = p.kind === "pool" ? (p.tasks ?? []).filter(done) : [{ start: p.started, end: p.ended ?? end }];
    for (const t of spans) {
      if (!Number.isFinite(t.start) || !(t.end > t.start)) continue;
      edges.push([t.start, 1], [t.end, -1]);
    }
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same instant
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) {
    now += d;
    peak = Math.max(peak, now);
  }
  return peak;
}

/** The run's figures the conditions read: one place, so the tests can see them too. */
export function measuresOf(python) {
  const spent = timeSpent(python);
  const kids = spent.processes.filter((p) => p.kind !== "main");
  const sum = (list, f) => list.reduce((a, x) => a + f(x), 0);
  const records = python.processes.filter((p) => p.kind !== "main");
  const chunks = records.filter((p) => p.kind === "pool").flatMap((p) => (p.tasks ?? []).filter(done));
  const slept = sum(records, (p) => (p.kind === "pool" ? sum(p.tasks ?? [], (t) => t.slept ?? 0) : (p.slept ?? 0)));
  const working = sum(kids, (p) => p.parts.working);
  return {
    processes: kids.length,
    startUp: sum(kids, (p) => p.parts["start-up"]),
    working,
    transfer: sum(kids, (p) => p.parts.receiving + p.parts.sending),
    slept,
    sleepShare: working > 0 ? Math.min(1, slept / working) : 0,
    peak: peakWorking(python.processes, python.totalS ?? 0),
    cores: python.cores ?? null,
    chunks,
    items: sum(chunks, (t) => t.size ?? 1),
    bytes: sum(chunks, (t) => (t.argBytes ?? 0) + (t.resultBytes ?? 0)),
    poolSize: records.filter((p) => p.kind === "pool").length,
  };
}

function startUp(m) {
  if (!(m.startUp > m.working + m.transfer)) return null;
  return `Starting ${plural(m.processes, "process")} took ${s(m.startUp)} of their time, more than everything they did after (${s(m.working)} of work, ${s(m.transfer)} moving data): this work is too short to pay for the processes. Give each one more work, or run it in one process; under CPython every process is a fresh interpreter too, only a faster one to start.`;
}

function transfer(m) {
  if (m.chunks.length < 2 || !(m.transfer > m.working) || !(m.transfer >= m.startUp)) return null;
  const n = m.chunks.length;
  const per = m.items / n;
  const overhead = m.transfer / n;
  const work = m.working / Math.max(1, m.items);
  const most = Math.ceil(m.items / Math.max(1, m.poolSize)); // one chunk per process: no larger
  const want = work > 0 ? Math.ceil(overhead / (OVERHEAD * work)) : most;
  const chunksize = Math.min(most, want);
  const head = `Moving arguments and results took ${s(m.transfer)}, more than the ${s(m.working)} of work: each of the ${n} chunks (${per.toFixed(per < 10 && per % 1 ? 1 : 0)} ${per === 1 ? "task" : "tasks"} each${m.bytes ? `, ${kb(m.bytes / n)} pickled` : ""}) did ${s(m.working / n)} of work and cost ${s(overhead)} to hand over and back.`;
  if (chunksize > per) {
    return `${head} With map(…, chunksize=${chunksize}) there would be ${Math.ceil(m.items / chunksize)} hand-overs instead of ${n}.`;
  }
  return `${head} Even one chunk per process cannot amortise that: send less per task (an index or a file name instead of the data), or do more work in each.`;
}

function imbalance(m, python) {
  const pool = python.processes.filter((p) => p.kind === "pool" && (p.tasks ?? []).some(done));
  if (pool.length < 2 || m.chunks.length < 2) return null;
  const lastOf = (p) => Math.max(...p.tasks.filter(done).map((t) => t.end));
  const end = Math.max(...pool.map(lastOf));
  const begin = Math.min(...m.chunks.map((t) => t.start));
  const tail = m.chunks.find((t) => t.end === end);
  const typical = median(m.chunks.map((t) => t.end - t.start));
  const long = tail.end - tail.start;
  const others = pool.filter((p) => lastOf(p) < end);
  const idle = others.reduce((a, p) => a + (end - lastOf(p)), 0);
  if (!(typical > 0) || long < LONG * typical || others.length === 0) return null;
  if (idle < IDLE_SHARE * others.length * (end - begin)) return null;
  const items =
    Number.isInteger(tail.first) && tail.size > 1
      ? `items ${tail.first}–${tail.first + tail.size - 1}`
      : Number.isInteger(tail.first)
        ? `item ${tail.first}`
        : `${tail.size ?? 1} tasks`;
  const remedy =
    (tail.size ?? 1) > 1
      ? "Smaller chunks (a smaller chunksize, or imap_unordered with chunksize=1) let the others take a share of the long tasks."
      : "It is one task: hand the longest tasks out first (sort them, longest first), or split it, so that the others work while it runs.";
  return `One chunk (${items}) took ${s(long)}, ${(long / typical).toFixed(0)}× the median chunk, and ran on at the end while ${plural(others.length, "other process", "other processes")} sat idle for ${s(idle)} in all. ${remedy}`;
}

function oversubscribed(m) {
  if (!m.cores || !(m.peak > m.cores) || !(m.sleepShare < BUSY)) return null;
  return `Up to ${m.peak} processes worked at once on ${m.cores} cores, and they computed (they slept ${pct(m.sleepShare)} of their working time): past ${m.cores} they only take turns on the cores. Pool(${m.cores}) would do as well, with less to start.`;
}

function sleeping(m) {
  if (!(m.sleepShare >= SLEEPY) || !(m.working > 0)) return null;
  const why = `The tasks spent ${pct(m.sleepShare)} of their working time in time.sleep, waiting rather than computing, and a waiting process needs no core`;
  if (m.cores && m.peak > m.cores) return `${why}: that is why ${m.peak} processes at once on ${m.cores} cores helped.`;
  return `${why}: more processes than the ${m.cores ?? "machine's"} cores would finish sooner (for waiting work, threads would do as well).`;
}

const RULES = { "start-up": startUp, transfer, imbalance, oversubscribed, sleeping };

/** `[{ id, text }]`: the conditions that hold for this run, in the order above; [] when none does. */
export function advice(python) {
  if (!python?.blocking?.parallel) return [];
  const m = measuresOf(python);
  if (m.processes === 0) return [];
  return Object.entries(RULES).flatMap(([id, rule]) => {
    const text = rule(m, python);
    return text ? [{ id, text }] : [];
  });
}
