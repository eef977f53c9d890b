// The python card: each of the guide's programs, pre-filled, runs unchanged in Chromium on the
// isolated hosted page; its output lines, their order, the process that printed each and the
// processes' spans are checked (python-checks.mjs: the same checks Firefox passes in
// python-browsers.test.mjs). Then an exception in a child, Cancel on an endless
// loop, an unsupported API and an author's own program; after each, no Python Worker is left.
//
// Long by nature (~20 interpreter boots): run alone with `node --test tests/browser/python.test.mjs`.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "../../scripts/lib/site.mjs";
import { useLabPage } from "./lab.mjs";
import { runCard, SNIPPET_CHECKS, texts } from "./python-checks.mjs";

const lab = useLabPage({ before, after });

/** Run the card with snippet `id` (or `code`): python-checks.mjs's runCard, in the page. */
const runPython = (args) => lab.tab.page.evaluate(runCard, args);

/** Each pre-filled program, checked as in Firefox; perfect-pool also leaves a screenshot. */
for (const { id, title, check } of SNIPPET_CHECKS) {
  test(title, async () => {
    check(await runPython({ id }));
    if (id !== "perfect-pool") return;
    // into test-results/ (git-ignored): a test run must not rewrite the repository's docs/*.png;
    // UPDATE_SCREENSHOTS=1 writes docs/python-pool.png, the README's picture, instead
    const dir = process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results";
    mkdirSync(join(ROOT, dir), { recursive: true });
    await lab.tab.page.locator("speedup-lab#python").screenshot({ path: join(ROOT, dir, "python-pool.png") });
  });
}

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
  const r = await runPython({ code: "from multiprocessing import shared_memory\n" });
  assert.equal(r.data.python.exitcode, 1);
  const err = texts(r).join("\n");
  assert.match(err, /ImportError: multiprocessing\.shared_memory is not available/);
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

// Issue 26: on a page that blocks on shared memory, the main program restores the build's
// snapshot (scripts/pyodide-snapshot.mjs) instead of booting CPython, and every process,
// restored from that one memory, still draws its own random numbers (seeded afresh, as CPython
// seeds at a process's start). The reload's side is tests/browser/reload.test.mjs.
test("every interpreter restores the build's snapshot and seeds random afresh", async () => {
  const r = await runPython({
    code: `import random
from multiprocessing import Pool
def draw(_):
    return random.random()
if __name__ == "__main__":
    with Pool(3) as p:
        print(len(set(p.map(draw, range(3), chunksize=1)) | {random.random()}))
`,
  });
  assert.deepEqual(texts(r, "MainProcess"), ["4"], "four different numbers: one per process");
  const main = r.data.python.processes.find((p) => p.name === "MainProcess");
  assert.equal(main.fromSnapshot, true, "the main program restored the build's snapshot");
});
