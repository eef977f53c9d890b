// The python card: each of the guide's programs, pre-filled, runs unchanged in Chromium on the
// isolated hosted page; its output lines, their order, the process that printed each and the
// processes' spans are checked (overlap and order, never a time window: every process boots an
// interpreter, seconds on a busy machine). Then an exception in a child, Cancel on an endless
// loop, an unsupported API and an author's own program; after each, no Python Worker is left.
//
// Long by nature (~20 interpreter boots): run alone with `node --test tests/browser/python.test.mjs`.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "../../scripts/lib/site.mjs";
import { useLabPage } from "./lab.mjs";

const lab = useLabPage({ before, after });

/** Count the Python Workers alive in the page (named by session.js) — installed before any run. */
async function trackWorkers() {
  await lab.tab.page.evaluate(() => {
    if (globalThis.__pyWorkers) return;
    const alive = new Set();
    globalThis.__pyWorkers = alive;
    const Base = globalThis.Worker;
    globalThis.Worker = class extends Base {
      constructor(url, options) {
        super(url, options);
        if (/^(MainProcess|Process-|SpawnPoolWorker-)/.test(options?.name ?? "")) alive.add(this);
      }
      terminate() {
        alive.delete(this);
        super.terminate();
      }
    };
  });
}

/** Run the card with snippet `id` (or `code`); the lesson's data and the console as text. */
async function runPython({ id, code, cancelAfter }) {
  await trackWorkers();
  return lab.tab.page.locator("speedup-lab#python").evaluate(
    async (el, { id, code, cancelAfter }) => {
      const root = el.shadowRoot;
      const select = root.querySelector('select[aria-label="the guide\'s program"]');
      const editor = root.querySelector("textarea.py-editor");
      if (id) {
        select.value = id;
        select.dispatchEvent(new Event("change"));
      }
      if (code) editor.value = code;
      let outcome;
      const running = el.run();
      if (cancelAfter) {
        // Cancel once the program has printed `cancelAfter` (so it really runs).
        const box = root.querySelector(".py-console");
        while (!box.textContent.includes(cancelAfter)) await new Promise((r) => setTimeout(r, 100));
        el.cancel();
      }
      try {
        await running;
        outcome = "done";
      } catch (e) {
        outcome = e.name === "AbortError" ? "cancelled" : `error: ${e.message}`;
      }
      const data = el.result?.lessonId === "python" && outcome === "done" ? el.result.summary : null;
      return {
        outcome,
        data: data && JSON.parse(JSON.stringify(data)),
        console: [...root.querySelectorAll(".py-line")].map((l) => l.textContent),
        facts: root.querySelector(".facts")?.textContent ?? "",
        charts: root.querySelectorAll(".results canvas").length,
        error: root.querySelector(".error:not([hidden])")?.textContent ?? "",
        alive: globalThis.__pyWorkers.size,
      };
    },
    { id, code, cancelAfter },
  );
}

const texts = (r, proc) => r.data.lines.filter((l) => !proc || l.process === proc).map((l) => l.text);
const procs = (r) => r.data.python.processes;
const running = (p) => [p.started, p.ended];

/** The most targets running at one instant. */
function maxConcurrent(kids) {
  const edges = kids.flatMap((p) => [
    [p.started, 1],
    [p.ended, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) {
    now += d;
    most = Math.max(most, now);
  }
  return most;
}

/**
 * Sleeps that overlap: several run at once, so ten of `sleepS` take far less than ten in a row.
 * Not "all ten at once", nor "each beside another": each process boots an interpreter first
 * (0.3–1 s from the snapshot on a quiet 2-core machine, 1–4 s on a busy one, two boots at a
 * time), so the first may wake before the last has booted — the timeline's grey bars show it.
 */
function assertSleepsOverlap(kids, sleepS) {
  for (const p of kids) {
    assert.ok(p.ended - p.started >= sleepS - 0.05, `${p.name} ran ${p.ended - p.started} s`);
  }
  assert.ok(maxConcurrent(kids) >= 2, "at least two sleep at once");
  const first = Math.min(...kids.map((p) => p.started));
  const last = Math.max(...kids.map((p) => p.ended));
  assert.ok(last - first < kids.length * sleepS, `${last - first} s for ${kids.length} sleeps of ${sleepS} s`);
}

function assertDoneLast(r) {
  const last = r.data.lines.at(-1);
  assert.equal(last.process, "MainProcess");
  assert.match(last.text, /^Done in \d+\.\d{4} seconds$/);
  assert.equal(r.alive, 0, "no Python Worker left");
  assert.equal(r.charts, 1, "the processes' timeline");
}

test("sleepy_man twice: two sleeps in a row, in the main program", async () => {
  const r = await runPython({ id: "sleep-twice" });
  assert.equal(r.outcome, "done");
  assert.deepEqual(texts(r).slice(0, 4), ["Starting to sleep", "Done sleeping", "Starting to sleep", "Done sleeping"]);
  assert.ok(r.data.doneIn >= 2, `${r.data.doneIn} s: two sleeps of 1 s`);
  assertDoneLast(r);
});

test("two Processes without join: the timer prints first, the children after", async () => {
  const r = await runPython({ id: "start-no-join" });
  assert.match(texts(r)[0], /^Done in/, "the main program's line comes first");
  assert.equal(r.data.lines[0].process, "MainProcess");
  assert.ok(r.data.doneIn < 1, `${r.data.doneIn} s: start() does not wait`);
  for (const name of ["Process-1", "Process-2"])
    assert.deepEqual(texts(r, name), ["Starting to sleep", "Done sleeping"]);
  assert.equal(r.alive, 0);
});

test("start + join: the two sleeps overlap and Done comes last", async () => {
  const r = await runPython({ id: "start-join" });
  const [a, b] = procs(r)
    .filter((p) => p.kind === "process")
    .map(running);
  assert.ok(a[0] < b[1] && b[0] < a[1], "the two targets ran at the same time");
  assert.ok(r.data.doneIn >= 1);
  assertDoneLast(r);
  assert.match(r.facts, /spawn cost/);
});

test("ten Processes: their sleeps overlap", async () => {
  const r = await runPython({ id: "ten-processes" });
  const kids = procs(r).filter((p) => p.kind === "process");
  assert.equal(kids.length, 10);
  assertSleepsOverlap(kids, 1);
  assert.equal(texts(r).filter((t) => t === "Starting to sleep").length, 10);
  assert.equal(texts(r).filter((t) => t === "Done sleeping").length, 10);
  assertDoneLast(r);
});

test("args=[2]: each of the ten processes sleeps 2 s, overlapping", async () => {
  const r = await runPython({ id: "args" });
  const kids = procs(r).filter((p) => p.kind === "process");
  assert.equal(kids.length, 10);
  assertSleepsOverlap(kids, 2);
  assertDoneLast(r);
});

test("Pool(5).map over 1..10: tasks handed out first in, first out", async () => {
  const r = await runPython({ id: "pool-sleep" });
  const pool = procs(r).filter((p) => p.kind === "pool");
  assert.equal(pool.length, 5);
  // chunksize 1 (CPython's rule: 10 items, 5 × 4 chunks): task k, in queue order, sleeps k s.
  const tasks = pool.flatMap((p) => p.tasks.map((t) => ({ ...t, worker: p.name }))).sort((a, b) => a.task - b.task);
  assert.equal(tasks.length, 10);
  // Order on the page's clock (sent, received): a busy machine may delay a Worker's start a little.
  tasks.forEach((t, i) => {
    assert.ok(t.end - t.start >= i + 1 - 0.05, `task ${i + 1} slept ${t.end - t.start} s`);
    if (i > 0) assert.ok(t.sent >= tasks[i - 1].sent, `task ${i + 1} was handed out before task ${i}`);
  });
  const firstBack = Math.min(...tasks.slice(0, 5).map((t) => t.received));
  assert.ok(tasks[5].sent >= firstBack, "the sixth waits for one of the first five to end");
  for (const k of [1, 10]) {
    assert.ok(texts(r).includes(`Starting to sleep for ${k} seconds`));
    assert.ok(texts(r).includes(`Done sleeping for ${k} seconds`));
  }
  assertDoneLast(r);
});

test("perfect numbers, a loop: the four below 10 000, and the lab's Rust beside", async () => {
  const r = await runPython({ id: "perfect-loop" });
  assert.deepEqual(
    texts(r).slice(0, 4),
    [6, 28, 496, 8128].map((n) => `${n} is a Perfect number`),
  );
  assert.equal(r.data.n, 10_000);
  assert.deepEqual(r.data.rust.results, [6, 28, 496, 8128]);
  assert.match(r.facts, /CPython here · the lab's Rust/);
  assertDoneLast(r);
});

test("perfect numbers, one Process per number: ten processes, 6 found by Process-6", async () => {
  const r = await runPython({ id: "perfect-process" });
  assert.equal(procs(r).filter((p) => p.kind === "process").length, 10);
  assert.deepEqual(texts(r, "Process-6"), ["6 is a Perfect number"]);
  assert.deepEqual(r.data.rust.results, [6], "the lab's Rust, spawn-per-task below 11");
  assertDoneLast(r);
});

test("perfect numbers, Pool(): cpu_count() workers, chunks FIFO, the four found in order", async () => {
  const r = await runPython({ id: "perfect-pool" });
  const pool = procs(r).filter((p) => p.kind === "pool");
  assert.equal(pool.length, r.data.trace.hardwareConcurrency);
  const perfect = r.data.lines.filter((l) => l.text.endsWith("Perfect number")).map((l) => l.text);
  assert.deepEqual(
    perfect,
    [6, 28, 496, 8128].map((n) => `${n} is a Perfect number`),
  );
  const tasks = pool.flatMap((p) => p.tasks).sort((a, b) => a.task - b.task);
  const chunksize = Math.ceil(9999 / (4 * pool.length)); // CPython's rule: 4 chunks per process
  assert.equal(tasks.length, Math.ceil(9999 / chunksize));
  for (let i = 1; i < tasks.length; i++) {
    assert.ok(tasks[i].sent >= tasks[i - 1].sent, `chunk ${i + 1} was handed out before chunk ${i}`);
  }
  assert.deepEqual(r.data.rust.results, [6, 28, 496, 8128]);
  assertDoneLast(r);
  // into test-results/ (git-ignored): a test run must not rewrite the repository's docs/*.png;
  // UPDATE_SCREENSHOTS=1 writes docs/python-pool.png, the README's picture, instead
  const dir = process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results";
  mkdirSync(join(ROOT, dir), { recursive: true });
  await lab.tab.page.locator("speedup-lab#python").screenshot({ path: join(ROOT, dir, "python-pool.png") });
});

test("the rest of the API the guide uses: kwargs, is_alive, exitcode, join(timeout), terminate, apply_async", async () => {
  const r = await runPython({
    code: `import multiprocessing, time
def greet(name, punct="."):
    print("hello " + name + punct)
def nap(s):
    time.sleep(s)
    return s * 10
if __name__ == "__main__":
    print("cpu_count", multiprocessing.cpu_count(), multiprocessing.get_start_method())
    print("sleep", time.sleep.__module__ + "." + time.sleep.__name__)
    p = multiprocessing.Process(target=greet, args=("you",), kwargs={"punct": "!"})
    print("before", p.is_alive(), p.exitcode)
    p.start(); p.join()
    print("after", p.is_alive(), p.exitcode)
    q = multiprocessing.Process(target=nap, args=(60,))
    q.start(); q.join(timeout=0.5)
    print("timed out", q.is_alive(), q.exitcode)
    q.terminate(); q.join()
    print("terminated", q.is_alive(), q.exitcode)
    with multiprocessing.Pool(2) as pool:
        results = [pool.apply_async(nap, (0.1 * k,)) for k in range(3)]
        print("async", [x.get() for x in results], pool.apply(nap, (0,)))
`,
  });
  assert.equal(r.data.python.exitcode, 0, texts(r).join("\n"));
  assert.deepEqual(texts(r, "MainProcess"), [
    `cpu_count ${r.data.trace.hardwareConcurrency} spawn`,
    "sleep multiprocessing._sleep", // Atomics.wait, not Pyodide's spinning sleep
    "before False None",
    "after False 0",
    "timed out True None",
    "terminated False -15",
    "async [0.0, 1.0, 2.0] 0",
  ]);
  assert.deepEqual(texts(r, "Process-1"), ["hello you!"]);
  assert.equal(r.alive, 0);
});

test("an exception in a child: its traceback, tagged with the process; in a pool, re-raised in main", async () => {
  const r = await runPython({
    code: `import multiprocessing
def boom(x):
    return 1 / x
p = multiprocessing.Process(target=boom, args=(0,))
p.start(); p.join()
print("exitcode", p.exitcode)
with multiprocessing.Pool(2) as pool:
    pool.map(boom, [1, 0])
`,
  });
  assert.equal(r.outcome, "done");
  const child = r.data.lines.filter((l) => l.process === "Process-1" && l.stream === "stderr").map((l) => l.text);
  assert.equal(child[0], "Process Process-1:");
  assert.ok(child.some((t) => t.startsWith("ZeroDivisionError")));
  assert.ok(texts(r, "MainProcess").includes("exitcode 1"));
  const main = r.data.lines.filter((l) => l.process === "MainProcess" && l.stream === "stderr").map((l) => l.text);
  assert.ok(
    main.some((t) => t.includes("RemoteTraceback")),
    "the child's traceback, as CPython shows it",
  );
  assert.equal(main.at(-1), "ZeroDivisionError: division by zero");
  assert.equal(r.data.python.exitcode, 1);
  assert.equal(r.alive, 0, "every Worker terminated");
});

test("Cancel stops an endless loop in a child, and every Worker ends", async () => {
  const r = await runPython({
    code: `import multiprocessing
def forever():
    print("looping", flush=True)
    while True:
        pass
p = multiprocessing.Process(target=forever)
p.start()
p.join()
`,
    cancelAfter: "looping",
  });
  assert.equal(r.outcome, "cancelled");
  assert.equal(r.alive, 0);
});

test("an unsupported API says what is supported", async () => {
  const r = await runPython({ code: "from multiprocessing import Queue\n" });
  assert.equal(r.data.python.exitcode, 1);
  const err = texts(r).join("\n");
  assert.match(err, /NotSupportedError: multiprocessing\.Queue is not available/);
  assert.match(err, /only these are supported: Process/);
  assert.equal(r.alive, 0);
});

test("an author's own program: the element's text content", async () => {
  const r = await lab.tab.page.evaluate(async () => {
    const el = document.createElement("speedup-lab");
    el.setAttribute("experiment", "python");
    el.textContent = `
from multiprocessing import Pool, current_process
def square(x):
    return x * x
if __name__ == "__main__":
    with Pool(2) as p:
        print(p.map(square, range(5)), current_process().name)
`;
    document.body.append(el);
    await el.run();
    const lines = el.result.summary.lines.map((l) => `${l.process}: ${l.text}`);
    el.remove();
    return lines;
  });
  assert.deepEqual(r, ["MainProcess: [0, 1, 4, 9, 16] MainProcess"]);
});
