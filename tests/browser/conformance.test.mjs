// npm test's subset of the conformance run (issue 22; `npm run conformance` runs it all): CPython's
// own Queue, Lock, Event and Value tests (from `multiprocess`'s py314 wheel, fetched with pip at
// run time) on the lab's multiprocessing, in Chromium on the JSPI rung. The run must report every
// test it selects, hang on none, and pass at least 80 % of those it counts (the full table, per
// group, browser and rung, is CONFORMANCE.md). Skipped, saying so, when the wheel cannot be had.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runConformance, tally, testsSource } from "../../scripts/conformance.mjs";

let available = null;
try {
  testsSource();
  available = true;
} catch (error) {
  available = `the multiprocess wheel could not be fetched from PyPI here (${String(error.message).split("\n")[0]})`;
}

test("CPython's Queue, Lock, Event and Value tests on the lab's multiprocessing (Chromium, JSPI)", {
  skip: available === true ? false : available,
}, async (t) => {
  const [{ records }] = await runConformance({ quick: true, outFile: join(tmpdir(), "conformance-quick.md") });
  const rows = [...tally(records).values()];
  const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
  const counted = sum("pass") + sum("fail") + sum("error") + sum("hang");
  t.diagnostic(
    `${records.length} tests: ${sum("pass")} passed, ${sum("fail")} failed, ${sum("error")} errors, ${sum("hang")} hangs, ${sum("skip")} skipped, ${sum("excluded")} excluded`,
  );
  assert.ok(records.length >= 20, `every selected test reported (${records.length})`);
  assert.equal(sum("hang"), 0, "no test hung");
  assert.ok(sum("pass") / counted >= 0.8, `${sum("pass")} of ${counted} passed`);
});
