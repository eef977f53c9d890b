// `npm run conformance`: CPython's own multiprocessing tests, run on the lab's `multiprocessing`
// in real browsers, per browser and blocking rung, into CONFORMANCE.md.
//
// The tests come from the PyPI package `multiprocess` (its py314 wheel carries CPython 3.14's
// Lib/test/_test_multiprocessing.py, adapted): fetched here with pip at run time into
// .cache/conformance/, never kept in the repository. tests/conformance/runner.py wraps them into
// one program for the python card; this script runs it in each place, reading each test's line as
// it comes. A test that gets no answer in HANG_S is recorded as a hang, the run is cancelled
// (Cancel terminates every Worker) and started again after it.
//
//   node scripts/conformance.mjs            every group, Chromium and Firefox, both rungs
//   node scripts/conformance.mjs --quick    a few groups, Chromium on JSPI (npm test's subset)
//   --out FILE                              write the table elsewhere (default CONFORMANCE.md)
//   --classes TestQueue,TestLock            only these classes (with --quick: Chromium on JSPI)
//   CONFORMANCE_BROWSER=firefox             run one browser again; the others' last results (cached) complete the table
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { articleServer } from "./lib/article-server.mjs";
import { ROOT } from "./lib/site.mjs";
import { serve } from "./lib/static-server.mjs";
import { inPage, openBrowser, skippedBrowsers } from "./lib/webdriver.mjs";

export const WHEEL = { name: "multiprocess", version: "0.70.19", python: "3.14" };
const CACHE = join(ROOT, ".cache", "conformance");
/** No answer from one test in this long: a hang (generous: a test's own timeouts are ≤ 30 s
 * here, and a busy 2-core machine boots a few interpreters per test). */
const HANG_S = 90;

/** The scoreboard's groups (as DragonHPC groups its multiprocessing scoreboard), by test class. */
export const GROUPS = [
  ["Process", ["TestProcess", "TestSubclassingProcess"]],
  ["Pool", ["TestPool", "TestPoolWorkerErrors", "TestPoolWorkerLifetime"]],
  ["Queue", ["TestQueue"]],
  ["Connection", ["TestConnection", "TestPoll", "TestPicklingConnections", "TestListener", "TestListenerClient"]],
  [
    "Lock, Event, Semaphore, Condition, Barrier",
    ["TestLock", "TestSemaphore", "TestCondition", "TestEvent", "TestBarrier"],
  ],
  ["Value, Array", ["TestValue", "TestArray", "TestSharedCTypes"]],
];
const QUICK = ["TestQueue", "TestLock", "TestEvent", "TestValue"];

/**
 * Tests that need what the interpreter itself lacks — threads in the test's own process, sockets,
 * fork, a subprocess — by what they raise or skip with: excluded from the counts, named with it.
 */
const LACKS = [
  [
    /can't start new thread|start_new_thread|RuntimeError: can't create new thread/i,
    "threads in the test's own process",
  ],
  [/socket|Listener|Client needs sockets/i, "sockets"],
  [/fork/i, "fork"],
  [/subprocess|python -c/i, "a subprocess"],
];

/** Tests whose own process needs threads (their failure says nothing else): excluded by name. */
const THREADED = new Set(["test_wait_for_threads"]);

/** The wheel's test module, fetched with pip into the cache once. */
export function testsSource() {
  mkdirSync(CACHE, { recursive: true });
  const find = () => readdirSync(CACHE).find((f) => f.startsWith(`${WHEEL.name}-${WHEEL.version}-py314`));
  if (!find()) {
    const pythons = [join(ROOT, "tests", "sites", ".venv", "bin", "python"), "python3"];
    const python = pythons.find((p) => p === "python3" || existsSync(p));
    execFileSync(
      python,
      [
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        WHEEL.python,
        "--dest",
        CACHE,
        `${WHEEL.name}==${WHEEL.version}`,
      ],
      { stdio: "inherit" },
    );
  }
  const wheel = join(CACHE, find());
  return execFileSync("python3", [
    "-c",
    "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('multiprocess/tests/__init__.py'))",
    wheel,
  ]);
}

/** The program the card runs: runner.py with the tests, the classes to run and the tests to leave out. */
export function program(source, classes, skip) {
  const runner = readFileSync(join(ROOT, "tests", "conformance", "runner.py"), "utf8");
  const select = classes.map((c) => `WithProcesses${c}`);
  return runner
    .replace('"@@TESTS_SOURCE@@"', JSON.stringify(deflateSync(source, { level: 9 }).toString("base64")))
    .replace('"@@SELECT@@"', JSON.stringify(JSON.stringify(select)))
    .replace('"@@SKIP@@"', JSON.stringify(JSON.stringify([...skip])));
}

// --- in the page -----------------------------------------------------------------------------------

/** Start the python card on `code` (not awaited: `pollCard` follows it). */
async function startCard(code) {
  await customElements.whenDefined("speedup-lab");
  const el = document.querySelector("speedup-lab#python") ?? document.querySelector('speedup-lab[experiment="python"]');
  const root = el.shadowRoot;
  while (!root.querySelector("textarea.py-editor")) await new Promise((r) => setTimeout(r, 50));
  root.querySelector("textarea.py-editor").value = code;
  // On the element, not a global: Firefox runs each WebDriver script in a sandbox of its own.
  el.dataset.conformanceState = "running";
  el.dataset.conformanceError = "";
  el.run().then(
    () => {
      el.dataset.conformanceState = "done";
    },
    (e) => {
      el.dataset.conformanceState = "ended";
      el.dataset.conformanceError = String(e?.message ?? e);
    },
  );
  return true;
}

/** The card's lines so far (its live console's last 500, or the result's once the run ended) and
 * whether the run has ended. */
function pollCard() {
  const el = document.querySelector("speedup-lab#python") ?? document.querySelector('speedup-lab[experiment="python"]');
  const lines = [...el.shadowRoot.querySelectorAll(".py-line")].map((l) => l.textContent);
  return { state: el.dataset.conformanceState, error: el.dataset.conformanceError, lines };
}

function cancelCard() {
  const el = document.querySelector("speedup-lab#python") ?? document.querySelector('speedup-lab[experiment="python"]');
  el.cancel();
  return true;
}

/** Run `classes` in the page `driver` shows; resolves with every test's record. */
async function runPlace(driver, source, classes, log) {
  const records = new Map();
  const skip = new Set();
  for (let attempt = 0; attempt < 50; attempt++) {
    await inPage(driver, startCard, program(source, classes, skip));
    let current = null;
    let since = Date.now();
    let state = "running";
    let error = "";
    while (state === "running") {
      await new Promise((r) => setTimeout(r, 1000));
      const seen = await inPage(driver, pollCard);
      state = seen.state;
      error = seen.error;
      for (const line of seen.lines) {
        const at = line.indexOf("CONFORMANCE");
        if (at < 0) continue;
        const text = line.slice(at);
        if (text.startsWith("CONFORMANCE-START ")) {
          const id = text.slice(18).trim();
          if (!records.has(id) && id !== current) {
            current = id;
            since = Date.now();
          }
        } else if (text.startsWith("CONFORMANCE {")) {
          const record = JSON.parse(text.slice(12));
          if (!records.has(record.id)) {
            records.set(record.id, record);
            log(record);
            if (record.id === current) since = Date.now();
          }
        }
      }
      if (current && !records.has(current) && Date.now() - since > HANG_S * 1000) {
        records.set(current, { id: current, outcome: "hang", why: `no answer in ${HANG_S} s (the run was cancelled)` });
        log(records.get(current));
        await inPage(driver, cancelCard);
        state = "cancelled";
      }
    }
    const lastLines = (await inPage(driver, pollCard)).lines;
    const finished = lastLines.some((l) => l.includes("CONFORMANCE-DONE"));
    for (const id of records.keys()) skip.add(id);
    // The program stopped before the card's cap on processes in one run: again, past those done.
    if (state === "done" && lastLines.some((l) => l.includes("CONFORMANCE-AGAIN"))) continue;
    if (state === "done" && !finished) {
      // The program stopped between tests (an exception outside any test): say it, and go on after.
      const seen = await inPage(driver, pollCard);
      const id = current && !records.has(current) ? current : null;
      if (id) {
        records.set(id, { id, outcome: "error", why: `the program stopped: ${seen.lines.at(-1)?.slice(0, 200)}` });
        log(records.get(id));
        skip.add(id);
        continue;
      }
      log({
        id: "(the run)",
        outcome: "error",
        why: `stopped early: ${seen.lines.slice(-3).join(" / ").slice(0, 300)}`,
      });
    }
    if (!current && !records.size) {
      const seen = await inPage(driver, pollCard);
      throw new Error(`the conformance program ran no test (${state} ${error}):\n${seen.lines.slice(-30).join("\n")}`);
    }
    if (state === "done") break;
    if (state === "ended" && !error.includes("AbortError") && current && !records.has(current)) {
      // The run ended under a test (a crashed Worker, a page-side error): that test, with why.
      records.set(current, { id: current, outcome: "error", why: `the run ended: ${error.slice(0, 200)}` });
      log(records.get(current));
      skip.add(current);
    } else if (state === "ended" && !current) {
      throw new Error(`the conformance program did not start: ${error}`);
    }
  }
  return [...records.values()];
}

// --- the table -----------------------------------------------------------------------------------

const groupOf = (id) => {
  const cls = id
    .split(".")
    .at(-2)
    .replace(/^WithProcesses/, "");
  return GROUPS.find(([, classes]) => classes.includes(cls))?.[0] ?? "Other";
};
const lacks = (r) => {
  if (r.outcome === "pass") return null;
  if (THREADED.has(r.id.split(".").at(-1))) return "threads in the test's own process";
  return r.outcome === "error" || r.outcome === "skip" ? (LACKS.find(([re]) => re.test(r.why))?.[1] ?? null) : null;
};

/** Per group: passed / failed / error / hang / skipped / excluded, and the pass rate counted. */
export function tally(records) {
  const rows = new Map();
  for (const r of records) {
    const group = groupOf(r.id);
    if (!rows.has(group)) rows.set(group, { pass: 0, fail: 0, error: 0, hang: 0, skip: 0, excluded: 0 });
    const row = rows.get(group);
    if (lacks(r)) row.excluded++;
    else row[r.outcome]++;
  }
  for (const row of rows.values()) {
    const counted = row.pass + row.fail + row.error + row.hang;
    row.rate = counted ? row.pass / counted : null;
  }
  return rows;
}

function markdown(results) {
  const out = [
    "# Conformance: CPython's own multiprocessing tests on the lab's `multiprocessing`",
    "",
    `Generated by \`npm run conformance\` (scripts/conformance.mjs) on ${new Date().toISOString().slice(0, 10)}. The tests are CPython 3.14's`,
    `\`_test_multiprocessing\` as the PyPI package \`${WHEEL.name}\` ${WHEEL.version} ships it (py314 wheel, fetched at run`,
    "time, not kept here), its `processes` classes under the `spawn` start method, run in the python card",
    "(tests/conformance/runner.py). *Counted* = passed + failed + error + hang; a test CPython itself",
    "skips here (another start method, a resource not enabled) is *skipped*; a test that needs what the",
    "interpreter lacks (threads in the test's own process, sockets, fork, a subprocess) is *excluded*,",
    "each named below with that reason.",
    "",
  ];
  const groups = [...GROUPS.map(([g]) => g), "Other"];
  out.push("| group | place | passed | failed | error | hang | skipped | excluded | pass rate |");
  out.push("|---|---|---|---|---|---|---|---|---|");
  for (const group of groups) {
    for (const { place, records } of results) {
      const row = tally(records).get(group);
      if (!row) continue;
      const rate = row.rate === null ? "—" : `${Math.round(row.rate * 100)} %`;
      out.push(
        `| ${group} | ${place} | ${row.pass} | ${row.fail} | ${row.error} | ${row.hang} | ${row.skip} | ${row.excluded} | ${rate} |`,
      );
    }
  }
  out.push("", "## Every test that did not pass, and why", "");
  for (const { place, records } of results) {
    const bad = records.filter((r) => r.outcome !== "pass" && r.outcome !== "skip");
    out.push(`### ${place}: ${bad.length} of ${records.length}`, "");
    for (const r of bad.sort((a, b) => a.id.localeCompare(b.id))) {
      const name = r.id.replace(/^__main__\./, "");
      const reason = lacks(r) ? `excluded (needs ${lacks(r)}): ${r.why}` : `${r.outcome}: ${r.why}`;
      out.push(`- \`${name}\` — ${reason.replace(/\|/g, "\\|").replace(/`/g, "'")}`);
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

// --- main ------------------------------------------------------------------------------------------

/**
 * Run the tests in each place; `quick`: the QUICK classes in Chromium on JSPI (npm test's subset).
 * Writes the table to `outFile` (and, for a full run, the card's summary to SUMMARY_FILE).
 */
export async function runConformance({ quick = false, only = null, outFile = join(ROOT, "CONFORMANCE.md") } = {}) {
  const source = testsSource();
  const classes = only ?? (quick ? QUICK : GROUPS.flatMap(([, c]) => c));
  const lab = await serve({ root: ROOT, isolation: true });
  const article = await articleServer(lab.url, join(ROOT, "tests", "browser", "fixtures", "python-article.html"));
  const skipped = skippedBrowsers();
  const onlyBrowser = process.env.CONFORMANCE_BROWSER ?? null;
  const places = [];
  for (const name of quick ? ["chromium"] : ["chromium", "firefox"]) {
    if (skipped.has(name) || (onlyBrowser && name !== onlyBrowser)) continue;
    places.push({ name, rung: "jspi", url: `${article.url}/`, place: `${name}, JSPI (an article)` });
    if (!quick) {
      places.push({
        name,
        rung: "shared-memory",
        url: `${lab.url}/`,
        place: `${name}, shared memory (the lab's page)`,
      });
    }
  }
  const results = [];
  try {
    for (const p of places) {
      const browser = await openBrowser(p.name, { height: 1200 });
      try {
        await browser.driver.get(p.url);
        const started = Date.now();
        console.log(`conformance: ${p.place}`);
        const records = await runPlace(browser.driver, source, classes, (r) => {
          if (r.outcome !== "pass")
            console.log(`  ${r.outcome.padEnd(5)} ${r.id.replace(/^__main__\./, "")} — ${r.why}`);
        });
        const rows = tally(records);
        for (const [group, row] of rows) {
          console.log(
            `  ${group}: ${row.pass} passed, ${row.fail} failed, ${row.error} errors, ${row.hang} hangs, ${row.skip} skipped, ${row.excluded} excluded`,
          );
        }
        console.log(`  ${records.length} tests in ${Math.round((Date.now() - started) / 1000)} s`);
        results.push({ place: p.place, records });
        if (!quick && !only)
          writeFileSync(join(CACHE, `results-${p.name}-${p.rung}.json`), JSON.stringify({ place: p.place, records }));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await article.close();
    await lab.close();
  }
  if (onlyBrowser && !quick && !only) {
    // One browser run again: the other places' last full results, from the cache, complete the table.
    for (const file of readdirSync(CACHE).filter(
      (f) => f.startsWith("results-") && !f.startsWith(`results-${onlyBrowser}-`),
    )) {
      results.push(JSON.parse(readFileSync(join(CACHE, file), "utf8")));
    }
    results.sort((a, b) => a.place.localeCompare(b.place));
  }
  writeFileSync(outFile, markdown(results));
  console.log(`conformance: wrote ${outFile}`);
  if (!quick && !only) {
    writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary(results), null, 1)}\n`);
    console.log(`conformance: wrote ${SUMMARY_FILE}`);
  }
  return results;
}

/** What the python card shows of the table ("What runs here"): per place and group, the counts. */
export const SUMMARY_FILE = join(ROOT, "www", "python", "conformance.json");
function summary(results) {
  return {
    generated: new Date().toISOString().slice(0, 10),
    tests: `${WHEEL.name} ${WHEEL.version} (CPython 3.14's _test_multiprocessing), processes classes, spawn`,
    places: results.map(({ place, records }) => ({
      place,
      groups: [...tally(records)].map(([group, row]) => ({ group, ...row })),
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  runConformance({
    quick: args.includes("--quick"),
    only: args.includes("--classes") ? args[args.indexOf("--classes") + 1].split(",") : null,
    ...(outAt >= 0 ? { outFile: args[outAt + 1] } : {}),
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
