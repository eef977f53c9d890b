/**
 * The python card's checks, shared by the Chromium tests (python.test.mjs, playwright-core) and
 * the Firefox ones (python-browsers.test.mjs, classic WebDriver), so both engines are held to the
 * same facts: each of the guide's pre-filled programs, its output lines, their order, the process
 * that printed each and the processes' spans (overlap and order, never a time window: every
 * process boots an interpreter, seconds on a busy machine).
 */
import assert from "node:assert/strict";

/**
 * Runs in the page (self-contained: both clients send its source): run the python card with
 * snippet `id` (or `code`), optionally cancelling once the console shows `cancelAfter`; the
 * lesson's data, the console as text, and how many Python Workers are still alive. The Worker
 * count comes from a wrapper around `Worker` installed before the first run (session.js names
 * each Python Worker after its process). In Firefox a WebDriver script's globals are its own, so
 * the page never sees the wrapper there and the count is 0 whatever is alive: the count is held
 * in Chromium and WebKitGTK.
 */
export async function runCard({ id, code, cancelAfter, bootDeadlineMs }) {
  if (!globalThis.__pyWorkers) {
    const alive = new Set();
    globalThis.__pyWorkers = alive;
    const Base = globalThis.Worker;
    globalThis.Worker = class extends Base {
      constructor(url, options) {
        super(url, options);
        if (String(url).includes("python.worker.js")) alive.add(this); // every Python process, whatever its name
      }
      terminate() {
        alive.delete(this);
        super.terminate();
      }
    };
  }
  await customElements.whenDefined("speedup-lab");
  // The hosted page's card, or the one card of an embed frame.
  const find = () =>
    document.querySelector("speedup-lab#python") ?? document.querySelector('speedup-lab[experiment="python"]');
  while (!find()) await new Promise((r) => setTimeout(r, 50)); // embed.js makes its card after the core loads
  const el = find();
  const root = el.shadowRoot;
  // Defined is not rendered: the card says "Loading the lab…" until the lab's core has loaded
  // (speedup-lab.js); run() would wait for it, but choosing a program needs the editor first.
  const pick = 'select[aria-label="the guide\'s program"]';
  while (!root.querySelector(pick)) await new Promise((r) => setTimeout(r, 50));
  const select = root.querySelector(pick);
  const editor = root.querySelector("textarea.py-editor");
  if (id) {
    select.value = id;
    select.dispatchEvent(new Event("change"));
  }
  if (code) editor.value = code;
  let outcome;
  // session.js's deadline for this run, as an attribute: Firefox's WebDriver scripts set their
  // globals where the page does not see them.
  if (bootDeadlineMs) document.documentElement.dataset.speedupLabPythonBootDeadlineMs = String(bootDeadlineMs);
  const running = el.run();
  if (cancelAfter) {
    // Cancel once the program has printed `cancelAfter` (so it really runs).
    // The live console (a copy of the last run's may still sit in its results).
    const box = root.querySelector(".py-live .py-console");
    while (!box.textContent.includes(cancelAfter)) await new Promise((r) => setTimeout(r, 100));
    el.cancel();
  }
  try {
    await running;
    outcome = "done";
  } catch (e) {
    outcome = e.name === "AbortError" ? "cancelled" : `error: ${e.message}`;
  } finally {
    delete document.documentElement.dataset.speedupLabPythonBootDeadlineMs;
  }
  const data = el.result?.lessonId === "python" && outcome === "done" ? el.result.summary : null;
  return {
    outcome,
    data: data && JSON.parse(JSON.stringify(data)),
    console: [...root.querySelectorAll(".py-line")].map((l) => l.textContent),
    facts: root.querySelector(".facts")?.textContent ?? "",
    advice: [...root.querySelectorAll("[data-advice]")].map((p) => ({ id: p.dataset.advice, text: p.textContent })),
    charts: root.querySelectorAll(".results .charts canvas").length, // the main chart (more sit in disclosures)
    error: root.querySelector(".error:not([hidden])")?.textContent ?? "",
    alive: globalThis.__pyWorkers.size,
  };
}

/** The printed texts, of one process if `proc` is given. */
export const texts = (r, proc) => r.data.lines.filter((l) => !proc || l.process === proc).map((l) => l.text);
/** The run's processes (main, processes, pool workers) with their spans. */
export const procs = (r) => r.data.python.processes;
const running = (p) => [p.started, p.ended];

/** The most targets running at one instant. */
export function maxConcurrent(kids) {
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
export function assertSleepsOverlap(kids, sleepS) {
  for (const p of kids) {
    assert.ok(p.ended - p.started >= sleepS - 0.05, `${p.name} ran ${p.ended - p.started} s`);
  }
  assert.ok(maxConcurrent(kids) >= 2, "at least two sleep at once");
  const first = Math.min(...kids.map((p) => p.started));
  const last = Math.max(...kids.map((p) => p.ended));
  assert.ok(last - first < kids.length * sleepS, `${last - first} s for ${kids.length} sleeps of ${sleepS} s`);
}

/** The run ended well: `Done in` printed last by the main program, no Worker left, a timeline. */
export function assertDoneLast(r) {
  const last = r.data.lines.at(-1);
  assert.equal(last.process, "MainProcess");
  assert.match(last.text, /^Done in \d+\.\d{4} seconds$/);
  assert.equal(r.alive, 0, "no Python Worker left");
  assert.equal(r.charts, 1, "the processes' timeline");
}

/** Whether the run's processes really ran at once (every rung but one-at-a-time, blocking.js). */
export const parallel = (r) => r.data.python.blocking.parallel !== false;

/** One at a time: no two children overlap, and their order is the order they were started. */
function assertOneAtATime(kids) {
  assert.equal(maxConcurrent(kids.map((p) => ({ ...p, ended: p.ended - 1e-6 }))), 1, "one at a time");
}

/** Fails with what the card said when the run did not end well, before any finer check. */
function assertRan(r) {
  assert.equal(r.outcome, "done", `${r.outcome} ${r.error} ${r.console.slice(-5).join(" / ")}`);
}

const PERFECT = [6, 28, 496, 8128].map((n) => `${n} is a Perfect number`);

/**
 * Each pre-filled program (www/python/snippets.js), by id: what a test calls it, and the checks
 * on its result from `runCard({ id })`. One list, so a new snippet is checked in every engine.
 */
export const SNIPPET_CHECKS = [
  {
    id: "sleep-twice",
    title: "sleepy_man twice: two sleeps in a row, in the main program",
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r).slice(0, 4), [
        "Starting to sleep",
        "Done sleeping",
        "Starting to sleep",
        "Done sleeping",
      ]);
      assert.ok(r.data.doneIn >= 2, `${r.data.doneIn} s: two sleeps of 1 s`);
      assertDoneLast(r);
    },
  },
  {
    id: "start-no-join",
    title: "two Processes without join: the timer prints first, the children after",
    check(r) {
      assertRan(r);
      assert.match(texts(r)[0], /^Done in/, "the main program's line comes first");
      assert.equal(r.data.lines[0].process, "MainProcess");
      assert.ok(r.data.doneIn < 1, `${r.data.doneIn} s: start() does not wait`);
      for (const name of ["Process-1", "Process-2"])
        assert.deepEqual(texts(r, name), ["Starting to sleep", "Done sleeping"]);
      assert.equal(r.alive, 0);
    },
  },
  {
    id: "start-join",
    title: "start + join: the two sleeps overlap and Done comes last",
    check(r) {
      assertRan(r);
      const kids = procs(r).filter((p) => p.kind === "process");
      assert.equal(kids.length, 2);
      for (const p of kids) assert.deepEqual(texts(r, p.name), ["Starting to sleep", "Done sleeping"]);
      const [a, b] = kids.map(running);
      // start() does not wait: the second process was asked for before the first ended
      assert.ok(kids[1].spawned < kids[0].ended, "the second start() came before the first process ended");
      // and the two 1 s sleeps overlap — where an interpreter starts in less than the other's
      // sleep: WebKitGTK on a busy 2-core machine has taken longer (then the card's timeline
      // shows the second start arriving after the first sleep, as it happened)
      const slowStart = kids.some((p) => p.booted - p.spawned >= 1);
      if (!parallel(r)) assertOneAtATime(kids);
      else if (!slowStart) assert.ok(a[0] < b[1] && b[0] < a[1], "the two targets ran at the same time");
      assert.ok(r.data.doneIn >= 1);
      assertDoneLast(r);
      assert.match(r.facts, /spawn cost/);
    },
  },
  {
    id: "ten-processes",
    title: "ten Processes: their sleeps overlap",
    check(r) {
      assertRan(r);
      const kids = procs(r).filter((p) => p.kind === "process");
      assert.equal(kids.length, 10);
      if (parallel(r)) assertSleepsOverlap(kids, 1);
      else assertOneAtATime(kids);
      for (const p of kids) assert.deepEqual(texts(r, p.name), ["Starting to sleep", "Done sleeping"]);
      assertDoneLast(r);
    },
  },
  {
    id: "args",
    title: "args=[2]: each of the ten processes sleeps 2 s, overlapping",
    check(r) {
      assertRan(r);
      const kids = procs(r).filter((p) => p.kind === "process");
      assert.equal(kids.length, 10);
      if (parallel(r)) assertSleepsOverlap(kids, 2);
      else assertOneAtATime(kids);
      assertDoneLast(r);
    },
  },
  {
    id: "pool-sleep",
    title: "Pool(5).map over 1..10: tasks handed out first in, first out",
    check(r) {
      assertRan(r);
      const pool = procs(r).filter((p) => p.kind === "pool");
      assert.equal(pool.length, 5);
      // chunksize 1 (CPython's rule: 10 items, 5 × 4 chunks): task k, in queue order, sleeps k s.
      const tasks = pool.flatMap((p) => p.tasks.map((t) => ({ ...t, worker: p.name }))).sort((a, b) => a.task - b.task);
      assert.equal(tasks.length, 10);
      // Order on the page's clock (sent, received): a busy machine may delay a Worker's start a little.
      tasks.forEach((t, i) => {
        assert.ok(t.end - t.start >= i + 1 - 0.05, `task ${i + 1} slept ${t.end - t.start} s`);
        if (i > 0 && parallel(r))
          assert.ok(t.sent >= tasks[i - 1].sent, `task ${i + 1} was handed out before task ${i}`);
        if (i > 0 && !parallel(r)) assert.ok(t.start >= tasks[i - 1].end, `task ${i + 1} ran after task ${i}`);
      });
      if (parallel(r)) {
        const firstBack = Math.min(...tasks.slice(0, 5).map((t) => t.received));
        assert.ok(tasks[5].sent >= firstBack, "the sixth waits for one of the first five to end");
      }
      for (const k of [1, 10]) {
        assert.ok(texts(r).includes(`Starting to sleep for ${k} seconds`));
        assert.ok(texts(r).includes(`Done sleeping for ${k} seconds`));
      }
      assertDoneLast(r);
    },
  },
  {
    id: "perfect-loop",
    title: "perfect numbers, a loop: the four below 10 000, and the lab's Rust beside",
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r).slice(0, 4), PERFECT);
      assert.equal(r.data.n, 10_000);
      assert.deepEqual(r.data.rust.results, [6, 28, 496, 8128]);
      assert.match(r.facts, /CPython here · the lab's Rust/);
      assertDoneLast(r);
    },
  },
  {
    id: "perfect-process",
    title: "perfect numbers, one Process per number: ten processes, 6 found by Process-6",
    check(r) {
      assertRan(r);
      assert.equal(procs(r).filter((p) => p.kind === "process").length, 10);
      assert.deepEqual(texts(r, "Process-6"), ["6 is a Perfect number"]);
      assert.deepEqual(r.data.rust.results, [6], "the lab's Rust, spawn-per-task below 11");
      assertDoneLast(r);
    },
  },
  {
    id: "perfect-pool",
    title: "perfect numbers, Pool(): cpu_count() workers, chunks FIFO, the four found in order",
    check(r) {
      assertRan(r);
      const pool = procs(r).filter((p) => p.kind === "pool");
      assert.equal(pool.length, r.data.trace.hardwareConcurrency);
      const perfect = r.data.lines.filter((l) => l.text.endsWith("Perfect number")).map((l) => l.text);
      assert.deepEqual(perfect, PERFECT);
      const tasks = pool.flatMap((p) => p.tasks).sort((a, b) => a.task - b.task);
      const chunksize = Math.ceil(9999 / (4 * pool.length)); // CPython's rule: 4 chunks per process
      assert.equal(tasks.length, Math.ceil(9999 / chunksize));
      const handed = (t) => (parallel(r) ? t.sent : t.start);
      for (let i = 1; i < tasks.length; i++) {
        assert.ok(handed(tasks[i]) >= handed(tasks[i - 1]), `chunk ${i + 1} was handed out before chunk ${i}`);
      }
      assert.deepEqual(r.data.rust.results, [6, 28, 496, 8128]);
      assertDoneLast(r);
    },
  },
];

/** The article's own program (tests/browser/fixtures/python-article.html). */
export const OWN_PROGRAM_CHECK = {
  title: "the author's own program (the element's text)",
  check(r) {
    assertRan(r);
    assert.deepEqual(texts(r, "MainProcess"), ["squares [0, 1, 4, 9, 16, 25, 36, 49]", "main is MainProcess"]);
    assert.equal(procs(r).filter((p) => p.kind === "pool").length, 2);
    assert.equal(r.alive, 0, "no Python Worker left");
  },
};

/**
 * What processes share (issue 22: the page's objects, www/python/sync.js), on every rung where
 * processes run at once: a Queue fed by a child and its timeout, a Value under a Lock, a Pipe's
 * round trips and its end, an Event and a Barrier across three processes, an Array, a Semaphore.
 */
export const SHARED_OBJECTS_CHECK = {
  title: "Queue, Value + Lock, Pipe, Event, Barrier, Array and Semaphore between processes",
  args: {
    code: `import multiprocessing as mp
import queue, time

def producer(q, n):
    for i in range(n):
        q.put(i * i)
    q.put(None)

def counter(v, lock, k):
    for _ in range(k):
        with lock:
            v.value += 1

def ponger(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(("pong", msg))
    conn.close()

def waiter(e, b, out):
    e.wait()
    i = b.wait()
    out.put(i)

if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q, 5))
    p.start()
    got = []
    while (x := q.get()) is not None:
        got.append(x)
    p.join()
    print("queue", got)
    try:
        q.get(timeout=0.2)
    except queue.Empty:
        print("empty after timeout")
    v = mp.Value("i", 0)
    lock = mp.Lock()
    ps = [mp.Process(target=counter, args=(v, lock, 20)) for _ in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("value", v.value)
    a, b = mp.Pipe()
    p = mp.Process(target=ponger, args=(b,))
    p.start()
    for i in range(3):
        a.send(i)
        print(a.recv())
    a.send(None)
    p.join()
    print("poll", a.poll(0.1))
    e = mp.Event(); bar = mp.Barrier(3); out = mp.Queue()
    ps = [mp.Process(target=waiter, args=(e, bar, out)) for _ in range(2)]
    for p in ps: p.start()
    e.set()
    mine = bar.wait()
    for p in ps: p.join()
    print("barrier", sorted([mine, out.get(), out.get()]))
    arr = mp.Array("d", [1.5, 2.5, 3.5])
    arr[1] = 10
    print("array", arr[:], len(arr))
    s = mp.Semaphore(2)
    print(s.acquire(), s.acquire(), s.acquire(timeout=0.1))
`,
  },
  check(r) {
    assertRan(r);
    assert.deepEqual(texts(r, "MainProcess"), [
      "queue [0, 1, 4, 9, 16]",
      "empty after timeout",
      "value 40",
      "('pong', 0)",
      "('pong', 1)",
      "('pong', 2)",
      "poll False", // the main program still holds its copy of the child's end: no EOF, as in CPython
      "barrier [0, 1, 2]",
      "array [1.5, 10.0, 3.5] 3",
      "True True False",
    ]);
    assert.equal(r.alive, 0, "no Python Worker left");
  },
};

/**
 * The rest of the API a reader reaches for after the guide (issue 22), each program with the
 * exact lines CPython prints for it (checked against CPython 3.11 with `spawn` on Linux where the
 * lab and CPython agree; pids are the lab's own numbering, replaced by "PID" where printed).
 */
export const API_CHECKS = [
  {
    title:
      "Pool: initializer, imap, imap_unordered, map_async with its callback, starmap_async, error_callback, get(timeout), maxtasksperchild",
    args: {
      code: `import multiprocessing as mp, os, time

def init(tag):
    global TAG
    TAG = tag

def tagged(x):
    return (TAG, x * x)

def sq(x):
    return x * x

def slow(x):
    time.sleep(0.5 * x)
    return x

def add(a, b):
    return a + b

def who(_):
    return mp.current_process().name

if __name__ == "__main__":
    with mp.Pool(2, initializer=init, initargs=("T",)) as pool:
        print("init", pool.map(tagged, range(3)))
        print("imap", list(pool.imap(sq, range(6), chunksize=2)))
        print("unordered", list(pool.imap_unordered(slow, [3, 1, 0])))
        got = []
        r = pool.map_async(sq, range(4), callback=got.append)
        r.wait()
        print("map_async", r.get(), got, r.successful())
        print("starmap_async", pool.starmap_async(add, [(1, 2), (3, 4)]).get(timeout=30))
        errs = []
        r = pool.apply_async(add, (1, None), error_callback=errs.append)
        r.wait()
        print("error_callback", type(errs[0]).__name__, r.successful())
        try:
            pool.apply_async(slow, (5,)).get(timeout=0.1)
        except mp.TimeoutError:
            print("TimeoutError", issubclass(mp.TimeoutError, mp.ProcessError))
        it = pool.imap(slow, [4])
        try:
            it.next(timeout=0.1)
        except mp.TimeoutError:
            print("imap next timeout")
    with mp.Pool(2, maxtasksperchild=1) as pool:
        names = pool.map(who, range(4), chunksize=1)
        print("maxtasksperchild", len(set(names)))
`,
    },
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r, "MainProcess"), [
        "init [('T', 0), ('T', 1), ('T', 4)]",
        "imap [0, 1, 4, 9, 16, 25]",
        "unordered [1, 0, 3]",
        "map_async [0, 1, 4, 9] [[0, 1, 4, 9]] True",
        "starmap_async [3, 7]",
        "error_callback TypeError False",
        "TimeoutError True",
        "imap next timeout",
        "maxtasksperchild 4",
      ]);
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title:
      "signals (os.kill, interrupt, handlers), sentinels with connection.wait, a ctypes Structure in shared memory, files back from a child, forty processes one after another within the cap",
    args: {
      code: `import ctypes, multiprocessing as mp, os, pickle, signal, time
from multiprocessing import connection

class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_double)]

def sleeper(ev):
    ev.set()
    time.sleep(60)

def no_handler(ev):
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    ev.set()
    time.sleep(60)

def move(p, arr, s):
    p.x += 1
    p.y *= 2
    arr[0] = -1
    s.value = b"moved"

def write(path):
    with open(path, "w") as f:
        f.write("from the child")

def poke(pid):
    time.sleep(0.2)
    os.kill(pid, signal.SIGUSR1)

if __name__ == "__main__":
    for target in (sleeper, no_handler):
        ev = mp.Event()
        p = mp.Process(target=target, args=(ev,))
        p.start()
        ev.wait(30)
        s = p.sentinel
        print("ready before", connection.wait([s], timeout=0))
        if target is sleeper:
            os.kill(p.pid, signal.SIGINT)
        else:
            p.interrupt()
        p.join(30)
        print(target.__name__, p.exitcode, connection.wait([s], timeout=5) == [s])
    pt = mp.Value(Point, 1, 1.5)
    arr = mp.Array("i", [1, 2, 3])
    s = mp.Array("c", 10)
    p = mp.Process(target=move, args=(pt, arr, s))
    p.start()
    p.join()
    print("shared", pt.x, pt.y, arr[:], s.value)
    try:
        pickle.dumps(pt)
    except RuntimeError as e:
        print("RuntimeError", e)
    path = "/tmp/lab-check-%d.txt" % os.getpid()
    p = mp.Process(target=write, args=(path,))
    p.start()
    p.join()
    with open(path) as f:
        print("file", f.read())
    os.unlink(path)
    got = []
    signal.signal(signal.SIGUSR1, lambda *args: got.append(args[0]))
    p = mp.Process(target=poke, args=(os.getpid(),))
    p.start()
    p.join()
    print("signal", got == [signal.SIGUSR1])
    for i in range(40):
        p = mp.Process(target=abs, args=(-i,))
        p.start()
        p.join()
    print("forty", p.exitcode)
`,
    },
    check(r) {
      assertRan(r);
      // Checked line for line against CPython 3.11 with spawn (os.kill for interrupt, 3.14's).
      assert.deepEqual(texts(r, "MainProcess"), [
        "ready before []",
        "sleeper 1 True",
        "ready before []",
        "no_handler -2 True",
        "shared 2 3.0 [-1, 2, 3] b'moved'",
        "RuntimeError SynchronizedPoint objects should only be shared between processes through inheritance",
        "file from the child",
        "signal True",
        "forty 0",
      ]);
      const summary = r.data.python;
      assert.ok(
        summary.peakInterpreters <= summary.liveCap,
        `at most ${summary.liveCap} interpreters alive at once, spares included (${summary.peakInterpreters})`,
      );
      if (parallel(r)) {
        // Interpreters booted ahead: most of the forty got one (a spare may still be booting when
        // the next start() comes, on a loaded machine: then it waits for that one, not a new boot).
        const warm = procs(r).filter((p) => p.warm).length;
        assert.ok(warm >= 20, `${warm} of ${procs(r).length - 1} children got an interpreter booted ahead`);
      }
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title: "Process as CPython's: names numbered at creation, pids, -SIGTERM and -SIGKILL, parent_process",
    args: {
      code: `import multiprocessing as mp, os, time

class Worker(mp.Process):
    def run(self):
        print("in", mp.current_process().name, os.getpid() == self.pid, os.getppid(), mp.parent_process().name)

def nap():
    time.sleep(10)

def pids(_):
    return os.getpid(), os.getppid(), mp.current_process().name

if __name__ == "__main__":
    print("main", os.getpid(), mp.parent_process())
    a = mp.Process(target=nap)
    w = Worker()
    print(a.name, w.name, repr(a))
    w.start(); w.join()
    print(repr(w).replace(str(w.pid), "PID"))
    a.start()
    a.terminate(); a.join()
    print(repr(a).replace(str(a.pid), "PID"), a.exitcode)
    b = mp.Process(target=nap); b.start(); b.kill(); b.join()
    print(b.exitcode, b.name)
    with mp.Pool(2) as pool:
        got = pool.map(pids, range(4), chunksize=1)
    print(set(n for _, _, n in got) <= {"SpawnPoolWorker-4", "SpawnPoolWorker-5"}, all(pp == os.getpid() for _, pp, _ in got), len(set(p for p, _, _ in got)) <= 2)
    print(os.cpu_count() == mp.cpu_count() == os.process_cpu_count())
`,
    },
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r, "MainProcess"), [
        "main 1000 None",
        "Process-1 Worker-2 <Process name='Process-1' parent=1000 initial>",
        "<Worker name='Worker-2' pid=PID parent=1000 stopped exitcode=0>",
        "<Process name='Process-1' pid=PID parent=1000 stopped exitcode=-SIGTERM> -15",
        "-9 Process-3",
        "True True True",
        "True",
      ]);
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title:
      "concurrent.futures: ProcessPoolExecutor's submit, map, as_completed, wait, timeouts, BrokenProcessPool; ThreadPoolExecutor",
    args: {
      code: `import concurrent.futures as cf
import os, time

def sq(x):
    return x * x

def slow(x):
    time.sleep(x)
    return x

def die(_):
    os._exit(1)

if __name__ == "__main__":
    with cf.ProcessPoolExecutor(max_workers=2) as ex:
        f = ex.submit(sq, 7)
        print("submit", f.result())
        print("map", list(ex.map(sq, range(5), chunksize=2)))
        fs = [ex.submit(slow, t) for t in (1.5, 0.1, 0.5)]
        print("as_completed", [f.result() for f in cf.as_completed(fs)])
        done, not_done = cf.wait([ex.submit(slow, 0.1), ex.submit(slow, 3)], return_when=cf.FIRST_COMPLETED)
        print("wait", len(done), len(not_done))
        try:
            list(ex.map(slow, [2], timeout=0.2))
        except TimeoutError:
            print("map timeout")
        e = ex.submit(sq, "x")
        print("exception", type(e.exception()).__name__)
    with cf.ProcessPoolExecutor(max_workers=1) as ex:
        try:
            ex.submit(die, 0).result()
        except cf.process.BrokenProcessPool as err:
            print("BrokenProcessPool", isinstance(err, cf.BrokenExecutor))
    with cf.ThreadPoolExecutor() as ex:
        print("threads", list(ex.map(sq, range(3))))
`,
    },
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r, "MainProcess"), [
        "submit 49",
        "map [0, 1, 4, 9, 16]",
        "as_completed [0.1, 0.5, 1.5]",
        "wait 1 1",
        "map timeout",
        "exception TypeError",
        "BrokenProcessPool True",
        "threads [0, 1, 4]",
      ]);
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title: "Manager: dict, list, Namespace and a Lock shared by four processes",
    args: {
      code: `import multiprocessing as mp

def work(d, l, ns, i):
    d[i] = i * i
    l.append(i)
    with ns_lock:
        pass

def work2(d, l, ns, lock, i):
    d[i] = i * i
    l.append(i)
    with lock:
        ns.total = ns.total + i

if __name__ == "__main__":
    with mp.Manager() as m:
        d = m.dict(); l = m.list(); ns = m.Namespace(total=0); lock = m.Lock()
        ps = [mp.Process(target=work2, args=(d, l, ns, lock, i)) for i in range(4)]
        for p in ps: p.start()
        for p in ps: p.join()
        print(sorted(d.items()), sorted(l), ns.total, len(d), 2 in d, d.get(3), list(reversed(sorted(l))))
        print(ns)
`,
    },
    check(r) {
      assertRan(r);
      assert.deepEqual(texts(r, "MainProcess"), [
        "[(0, 0), (1, 1), (2, 4), (3, 9)] [0, 1, 2, 3] 6 4 True 9 [3, 2, 1, 0]",
        "Namespace(total=6)",
      ]);
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
];

/**
 * What holds on every rung of the blocking ladder (issue 21): a child's exception shows its
 * traceback and a pool's is re-raised in the main program; Cancel ends an endless loop in a
 * child; the 100-process cap speaks before any process starts; no Python Worker is left after
 * any of these. Each `{title, args, check}`: `args` for runCard.
 */
export const GUARANTEE_CHECKS = [
  {
    title: "an exception in a child shows its traceback; in a pool, it is re-raised in main",
    args: {
      code: `import multiprocessing
def boom(x):
    return 1 / x
if __name__ == "__main__":
    p = multiprocessing.Process(target=boom, args=(0,))
    p.start(); p.join()
    print("exitcode", p.exitcode)
    with multiprocessing.Pool(2) as pool:
        pool.map(boom, [1, 0])
`,
    },
    check(r) {
      assertRan(r);
      assert.ok(texts(r, "Process-1").includes("ZeroDivisionError: division by zero"), texts(r).join("\n"));
      assert.ok(texts(r, "MainProcess").includes("exitcode 1"));
      assert.equal(texts(r, "MainProcess").at(-1), "ZeroDivisionError: division by zero");
      assert.equal(r.data.python.exitcode, 1);
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title: "Cancel ends an endless loop in a child, and no Worker is left",
    args: {
      code: `import multiprocessing
def forever():
    print("looping", flush=True)
    while True:
        pass
if __name__ == "__main__":
    p = multiprocessing.Process(target=forever)
    p.start()
    p.join()
`,
      cancelAfter: "looping",
    },
    check(r) {
      assert.equal(r.outcome, "cancelled");
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title: "a Python process that misses its start deadline: the run stops and says so",
    args: { id: "start-join", bootDeadlineMs: 1 },
    check(r) {
      assert.match(r.outcome, /^error: .*did not start within 1 ms/);
      assert.match(r.error, /did not start within 1 ms/, "the card says it");
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
  {
    title: "past 100 processes, the program is refused before any starts (a Python error)",
    args: {
      code: `import multiprocessing
def f():
    pass
if __name__ == "__main__":
    try:
        multiprocessing.Pool(10**6)
    except ValueError as e:
        print("refused:", e)
    p = multiprocessing.Process(target=f)
    p.start(); p.join()
    multiprocessing.Pool(100)
`,
    },
    check(r) {
      assertRan(r);
      assert.match(
        texts(r, "MainProcess")[0],
        /^refused: Pool\(1000000\) would make 1000000 processes in this run; the lab stops at 100/,
      );
      assert.match(texts(r, "MainProcess").at(-1), /^ValueError: Pool\(100\) would make 101 processes/);
      assert.equal(procs(r).filter((p) => p.kind !== "main").length, 1, "only the one Process ever started");
      assert.equal(r.alive, 0, "no Python Worker left");
    },
  },
];
