// The python card's advice on real programs whose shape is known, in Chromium and Firefox on
// the lab's page: each gets its own advice and none of the others', a well-balanced CPU pool
// none (the rules themselves: tests/python-advice.test.mjs). The task view and the sleep
// accounting they read are the lab's own measurements, so this is where they are held to it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../../scripts/lib/site.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "../../scripts/lib/webdriver.mjs";
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
  // eight equal tasks of ~0.4 s on two processes
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
  });
}
