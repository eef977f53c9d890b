// "Why is my Pool slow?" on real programs, in Chromium and Firefox on the lab's page. The advice
// on programs whose shape is known: each gets its own advice and none of the others', a
// well-balanced CPU pool none (the rules themselves: tests/python-advice.test.mjs); the task
// view and the sleep accounting they read are the lab's own measurements, held to them here.
// Then the sweep, asked for with its button: its runs are the program's own at each pool size
// (every Pool forced to it), its medians and whiskers those of its runs' spans, and Cancel stops it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
import { sweepResult } from "../../www/python/sweep.js";
import { runCard } from "./python-checks.mjs";

const SKIP = skippedBrowsers();
/** A CPU-bound task of about `n` × 1 ms in Pyodide (a sum of squares: no sleep, no I/O). */
const BURN = "def burn(n):\n    return sum(i * i for i in range(20_000 * n))\n";

export const PROGRAMS = {
  // 30 000 tiny tasks one by one: each chunk's hand-over is the cost (~0.1–0.2 ms each, seconds in
  // all, against 0.3–2 s for each of the two interpreters to start on a busy 2-core machine)
  transfer: `from multiprocessing import Pool\nif __name__ == "__main__":\n    with Pool(2) as p:\n        print(sum(p.map(abs, range(30_000), chunksize=1)))\n`,
  // seven short tasks and one ten times longer, last: it runs on alone at the end
  imbalance: `from multiprocessing import Pool\n${BURN}if __name__ == "__main__":\n    with Pool(2) as p:\n        print(len(p.map(burn, [40] * 7 + [400], chunksize=1)))\n`,
  // nothing but sleeps
  sleeping: `import time\nfrom multiprocessing import Pool\nif __name__ == "__main__":\n    with Pool(2) as p:\n        p.map(time.sleep, [1.0] * 8)\n    print("slept")\n`,
  // two processes started for almost no work
  "start-up": `from multiprocessing import Pool\nif __name__ == "__main__":\n    with Pool(2) as p:\n        print(p.map(abs, range(4)))\n`,
  // eight equal tasks of ~0.4 s on two processes (the sweep's program too)
  none: `from multiprocessing import Pool\n${BURN}if __name__ == "__main__":\n    with Pool(2) as p:\n        print(len(p.map(burn, [400] * 8, chunksize=1)))\n`,
};

let lab;
before(async () => {
  lab = await serve({ root: ROOT, isolation: true });
});
after(async () => {
  await lab?.close();
});

for (const name of ["chromium", "firefox"]) {
  describe(`${name}: advice on programs of a known shape`, { skip: SKIP.has(name) && "SKIP_BROWSERS" }, () => {
    let browser;
    before(async () => {
      browser = await openBrowser(name, { height: 1400 });
      await browser.driver.get(`${lab.url}/`);
      // A page's first run fetches and compiles Pyodide while its first processes start: seconds
      // of start-up that would drown any other shape. Readers see that once; the shapes are about
      // the runs after it.
      await inPage(browser.driver, runCard, { code: PROGRAMS["start-up"] });
    });
    after(async () => {
      await browser?.close();
    });
    for (const [want, code] of Object.entries(PROGRAMS)) {
      test(want === "none" ? "a well-balanced CPU pool: no advice" : `${want}: that advice alone`, async () => {
        const r = await inPage(browser.driver, runCard, { code });
        assert.equal(r.outcome, "done", r.console.join("\n"));
        const ids = r.advice.map((a) => a.id);
        const spent = JSON.stringify(
          r.data.python.processes.map((p) => [p.name, p.spawned, p.booted, p.ended, p.tasks.length]),
        );
        assert.deepEqual(ids, want === "none" ? [] : [want], `${r.advice.map((a) => a.text).join("\n")}\n${spent}`);
        if (want === "sleeping") {
          const slept = r.data.python.processes.flatMap((p) => p.tasks).reduce((s, t) => s + t.slept, 0);
          assert.ok(slept >= 8 * 0.95, `${slept} s asleep: eight sleeps of 1 s, measured`);
        }
        if (want === "imbalance") {
          const firsts = r.data.python.processes.flatMap((p) => p.tasks.map((t) => t.first)).sort((a, b) => a - b);
          assert.deepEqual(firsts, [0, 1, 2, 3, 4, 5, 6, 7], "each chunk knows its item");
        }
      });
    }

    test("the sweep: one click, its runs at 1 and 2 processes, medians and whiskers from their spans", async () => {
      const r = await inPage(browser.driver, async () => {
        const el = document.getElementById("python");
        const button = el.shadowRoot.querySelector(".py-sweep-button"); // after the last run (a pool)
        if (!button) return { error: "no sweep button" };
        const done = new Promise((resolve, reject) => {
          el.addEventListener("speedup-lab:done", resolve, { once: true });
          el.addEventListener("speedup-lab:error", (e) => reject(new Error(e.detail)), { once: true });
        });
        const label = button.textContent;
        button.click();
        await done;
        const s = el.result.summary;
        return {
          label,
          sweep: JSON.parse(JSON.stringify(s.sweep)),
          pool: s.python.processes.filter((p) => p.kind === "pool").length,
          canvases: el.shadowRoot.querySelectorAll(".results .charts canvas").length,
        };
      });
      assert.equal(r.error, undefined, r.error);
      assert.match(r.label, /1–2 processes/);
      const { runs, cores } = r.sweep;
      assert.deepEqual(
        runs.map((x) => x.k),
        [1, 1, 1, 2, 2, 2],
      );
      assert.equal(r.pool, 2, "the last run's Pool had the sweep's last size");
      for (const x of runs)
        assert.ok(
          Math.abs(x.seconds - (x.main.ended - x.main.started)) < 1e-9,
          "a run's time is its main program's span",
        );
      const { points } = sweepResult(runs, cores);
      const spans = (k) => runs.filter((x) => x.k === k).map((x) => (x.main.ended - x.main.started) * 1000);
      const med = (v) => [...v].sort((a, b) => a - b)[1];
      // the page subtracted the same two numbers: equal up to the last bit of a double
      const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${what}: ${a} against ${b}`);
      near(points[1].ms, med(spans(2)), "median");
      near(points[1].min, med(spans(1)) / Math.max(...spans(2)), "whisker's low end");
      near(points[1].max, med(spans(1)) / Math.min(...spans(2)), "whisker's high end");
      assert.ok(r.canvases >= 2, "the sweep's chart, then the timeline");
    });

    test("the sweep: Cancel stops it and leaves no Python Worker (the button is there again after a sweep)", async () => {
      const r = await inPage(browser.driver, async () => {
        const el = document.getElementById("python");
        const alive = globalThis.__pyWorkers;
        const button = el.shadowRoot.querySelector(".py-sweep-button");
        if (!button) return { error: "no sweep button" };
        const outcome = new Promise((resolve) => {
          el.addEventListener("speedup-lab:done", () => resolve("done"), { once: true });
          el.addEventListener("speedup-lab:error", (e) => resolve(`error: ${e.detail}`), { once: true });
        });
        button.click();
        // cancelled while its second run works (the first has come back)
        while (!el.shadowRoot.textContent.includes("run 2 of")) await new Promise((res) => setTimeout(res, 50));
        await new Promise((res) => setTimeout(res, 300));
        el.cancel();
        const settled = await Promise.race([outcome, new Promise((res) => setTimeout(() => res("settled"), 3000))]);
        await new Promise((res) => setTimeout(res, 500));
        // runCard's count of Python Workers (Chromium: Firefox runs WebDriver scripts apart from the page's Worker)
        return { settled, left: alive?.size ?? 0, status: el.shadowRoot.textContent.includes("Cancelled") };
      });
      assert.equal(r.error, undefined, r.error);
      assert.notEqual(r.settled, "done", "a cancelled sweep does not complete");
      assert.equal(r.left, 0, "no Python Worker left");
      assert.ok(r.status, "the card says it was cancelled");
    });
  });
}
