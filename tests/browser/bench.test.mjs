// `npm run bench -- --quick` runs end to end and writes well-formed results. This is not a
// benchmark: the numbers of a quick run on a busy CI machine mean little, so nothing here
// judges them — it checks that every figure is there, finite and positive, that each median is
// the median of its runs, and that every ratio and target is computed from those medians.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT } from "./server.mjs";

const NATIVE = [
  "native-sequential",
  "native-pool-map",
  "native-work-stealing",
  // the division limit: the lanes kernel built for x86-64-v2 and for this CPU
  "native-lanes-v2-sequential",
  "native-lanes-v2-work-stealing",
  "native-lanes-cpu-sequential",
  "native-lanes-cpu-work-stealing",
];
const BROWSER = [
  "wasm-sequential",
  "wasm-plain-sequential",
  "wasm-threads-pool-map",
  "wasm-threads-work-stealing",
  "wasm-threads-work-stealing-lanes",
  "wasm-sequential-lanes",
  "wasm-processes-pool-map",
  "js-loop",
];
const PYTHON = ["python-loop", "python-pool", "python-loop-small", "python-process-per-number"];
const OVERHEADS = ["threadsBoot", "spawnPerWorker", "poolMapSleep", "firstResult", "firstChart"];
const TARGETS = [
  "wasm-vs-native",
  "pool-speedup-pool-map",
  "pool-speedup-work-stealing",
  "wasm-vs-cpython-pool",
  "lanes-vs-cpython-pool",
  "wasm-vs-js",
  "pool-map-sleep",
  "first-result",
  "first-chart",
  "wasm-size",
  "before-run-weight",
  "before-run-workers",
  "page-weight",
];

const positive = (x, what) => assert.ok(typeof x === "number" && Number.isFinite(x) && x > 0, `${what}: ${x}`);
const close = (a, b, what) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let out;
let run;
let result;
let files;

before(() => {
  out = mkdtempSync(join(tmpdir(), "speedup-bench-"));
  run = spawnSync("bash", ["scripts/bench.sh", "--quick", "--out", out], {
    cwd: ROOT,
    encoding: "utf8",
    // Generous: the first run also builds the lanes kernel twice more (x86-64-v2 and native).
    timeout: 600_000,
  });
  files = readdirSync(out);
  const json = files.find((f) => f.endsWith("-quick.json"));
  if (json) result = JSON.parse(readFileSync(join(out, json), "utf8"));
});

after(() => rmSync(out, { recursive: true, force: true }));

test("npm run bench -- --quick exits 0 and writes a JSON and an HTML report", () => {
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stderr.slice(-3000)}`);
  // The terminal shows every target of the JSON, in order, each on one line with its verdict.
  const lines = run.stdout.split("\n");
  let at = -1;
  for (const t of result?.targets ?? []) {
    const verdict = t.pass === null ? "SKIP" : t.pass ? "PASS" : "FAIL";
    const found = lines.findIndex((l, i) => i > at && l.startsWith(t.label) && l.trimEnd().endsWith(verdict));
    assert.ok(found > at, `no line "${t.label} … ${verdict}" after line ${at} of the output`);
    at = found;
  }
  assert.ok(result?.targets?.length > 0, "the JSON lists the targets");
  const json = files.filter((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-quick\.json$/.test(f));
  const html = files.filter((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-quick\.html$/.test(f));
  assert.equal(json.length, 1, files.join(", "));
  assert.equal(html.length, 1, files.join(", "));
  const page = readFileSync(join(out, html[0]), "utf8");
  assert.match(page, /<svg /);
  assert.doesNotMatch(page, /\{\{[A-Z]+\}\}/, "every placeholder of the template is filled");
});

test("the settings and the machine are recorded", () => {
  assert.ok(result, "no JSON result");
  assert.equal(result.schema, 1);
  assert.equal(result.mode, "quick");
  for (const k of ["n", "reps", "pythonReps", "spawnN", "workers"])
    assert.ok(Number.isInteger(result[k]) && result[k] > 0, k);
  const m = result.machine;
  positive(m.cores, "cores");
  positive(m.hardwareConcurrency, "hardwareConcurrency");
  for (const k of ["cpu", "os", "chromium", "rustc", "node"]) assert.ok(typeof m[k] === "string" && m[k].length > 0, k);
  assert.match(m.chromium, /Chromium \d+/);
  assert.match(m.rustc, /^rustc /);
  assert.ok(m.python === null || /^CPython 3\./.test(m.python), m.python);
  assert.ok(typeof result.git.commit === "string");
  assert.deepEqual(
    result.perfect.expected,
    [6, 28, 496, 8128].filter((p) => p < result.n),
  );
});

test("every row is there, with finite positive runs and their true median", () => {
  const { rows } = result.perfect;
  const want = [...NATIVE, ...BROWSER, ...(result.machine.python ? PYTHON : [])];
  assert.deepEqual(Object.keys(rows).sort(), want.sort());
  if (!result.machine.python)
    assert.ok(
      result.notes.some((n) => n.includes("CPython")),
      "a note says CPython was skipped",
    );
  for (const [id, r] of Object.entries(rows)) {
    assert.ok(typeof r.label === "string" && r.label.length > 0, id);
    assert.ok(["native", "wasm", "js", "python"].includes(r.platform), `${id}: ${r.platform}`);
    const reps = r.platform === "python" ? result.pythonReps : result.reps;
    assert.equal(r.runs.length, reps, `${id}: runs`);
    for (const x of r.runs) positive(x, `${id} run`);
    close(r.medianMs, median(r.runs), `${id} median`);
    assert.ok(r.minMs <= r.medianMs && r.medianMs <= r.maxMs, `${id}: min ≤ median ≤ max`);
    positive(r.workers, `${id} workers`);
    assert.equal(
      r.n,
      id.endsWith("-small") || id === "python-process-per-number" ? result.spawnN : result.n,
      `${id} N`,
    );
  }
});

test("every ratio is the quotient of two medians of this run", () => {
  const { rows } = result.perfect;
  assert.ok(result.ratios.length >= 8);
  for (const r of result.ratios) {
    assert.ok(rows[r.of] && rows[r.over], `${r.id}: rows ${r.of}, ${r.over}`);
    positive(r.value, r.id);
    close(r.value, rows[r.of].medianMs / rows[r.over].medianMs, r.id);
    // its spread: the extremes divided crosswise, which must hold the medians' quotient
    close(r.min, rows[r.of].minMs / rows[r.over].maxMs, `${r.id} min`);
    close(r.max, rows[r.of].maxMs / rows[r.over].minMs, `${r.id} max`);
    assert.ok(r.min <= r.value && r.value <= r.max, `${r.id}: ${r.min} ≤ ${r.value} ≤ ${r.max}`);
  }
  // the wasm lanes kernel is compared with the native division limit, one thread and all workers
  const ids = result.ratios.map((r) => r.id);
  for (const id of ["wasm-lanes-vs-native-limit", "wasm-lanes-vs-native-v2", "wasm-lanes-threads-vs-native-limit"])
    assert.ok(ids.includes(id), `ratio ${id}`);
});

test("the native lanes rows name the f32x4 kernel (exact below 2^24, so at every N here)", () => {
  const { rows } = result.perfect;
  for (const id of NATIVE.filter((x) => x.includes("lanes"))) assert.equal(rows[id].kernel, "f32x4", id);
  assert.match(run.stdout, /ns per divisor test/);
});

test("overheads and sizes are measured", () => {
  const o = result.overheads;
  for (const k of OVERHEADS) {
    positive(o[k].medianMs, k);
    for (const x of o[k].runs) positive(x, `${k} run`);
    close(o[k].medianMs, median(o[k].runs), `${k} median`);
  }
  assert.equal(o.poolMapSleep.idealMs, 15 * o.poolMapSleep.unitMs);
  close(
    o.poolMapSleep.offByPct,
    ((o.poolMapSleep.medianMs - o.poolMapSleep.idealMs) / o.poolMapSleep.idealMs) * 100,
    "offByPct",
  );
  for (const flavour of ["threads", "plain"]) {
    const s = o.wasm[flavour];
    positive(s.gzipBytes, `${flavour} gzip`);
    assert.ok(s.gzipBytes < s.bytes, `${flavour}: gzip smaller than raw`);
  }
  const w = o.pageWeight;
  assert.ok(w.files >= 5, `page weight counts ${w.files} files`);
  assert.ok(
    w.list.some((f) => f.path.endsWith("threads/speedup_lab_bg.wasm")),
    "the page weight includes the wasm",
  );
  close(
    w.gzipBytes,
    w.list.reduce((a, f) => a + f.gzipBytes, 0),
    "page weight sum",
  );
  assert.ok(w.gzipBytes > 0 && w.gzipBytes < w.bytes);
});

test("every target has a value, a limit and a verdict consistent with both", () => {
  const ratios = Object.fromEntries(result.ratios.map((r) => [r.id, r.value]));
  assert.deepEqual(
    result.targets.map((t) => t.id),
    TARGETS,
  );
  for (const t of result.targets) {
    assert.ok(t.label.length > 0 && ["<=", ">="].includes(t.cmp), t.id);
    // every limit is positive but one: 0 Workers before the first Run
    if (t.id === "before-run-workers") assert.equal(t.limit, 0);
    else positive(t.limit, `${t.id} limit`);
    if (t.value === null) {
      assert.ok(
        ["wasm-vs-cpython-pool", "lanes-vs-cpython-pool"].includes(t.id),
        "only CPython's targets may be unmeasured (no python3)",
      );
      assert.equal(t.pass, null);
      continue;
    }
    assert.ok(Number.isFinite(t.value) && t.value >= 0, `${t.id}: ${t.value}`);
    if (t.ratio) close(t.value, ratios[t.ratio], `${t.id} = ratio ${t.ratio}`);
    assert.equal(t.pass, t.cmp === "<=" ? t.value <= t.limit : t.value >= t.limit, t.id);
  }
  close(result.targets.find((t) => t.id === "wasm-size").value, result.overheads.wasm.threads.gzipBytes / 1000, "size");
  const page = result.targets.find((t) => t.id === "page-weight");
  close(page.value, result.overheads.pageWeight.gzipBytes / 1000, "page weight");
  const idle = result.targets.find((t) => t.id === "before-run-weight");
  close(idle.value, result.overheads.beforeRun.gzipBytes / 1000, "weight before the first Run");
  positive(result.overheads.dataset.gzipBytes, "dataset size");
});

test("random forest: the lab's rows grew one forest everywhere; scikit-learn beside it or a reason", () => {
  const f = result.forest;
  assert.ok(f, "no forest section");
  const lab = ["native-1", "native-2", "wasm-threads-1", "wasm-threads-2", "wasm-processes-1", "wasm-processes-2"];
  for (const id of lab) {
    const r = f.rows[`forest-${id}`];
    assert.ok(r, `forest-${id} missing`);
    assert.equal(r.runs.length, result.reps, `${id}: runs`);
    close(r.medianMs, median(r.runs), `${id} median`);
    assert.equal(r.fingerprint, f.rows["forest-native-1"].fingerprint, `${id}: another forest`);
    assert.ok(r.accuracy > 0.5 && r.accuracy <= 1, `${id}: accuracy ${r.accuracy}`);
  }
  assert.ok(f.rows["forest-sklearn-1"] || f.sklearn.skipped, "scikit-learn rows or the reason they are missing");
  positive(f.dataset.gzipBytes, "dataset size");
});
