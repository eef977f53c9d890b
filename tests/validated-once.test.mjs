// A run's spec is validated once, by the coordinator, against one maximum for workers (issue 24,
// item 3). The coordinator (www/engine/coordinator.js) asks its engine for the plan once and
// hands that plan on; the engines' exports take the plan, not the spec (`startRun`,
// `assembleTrace`), and a process receives the plan's tasks (`RunPlan.taskWire` → `TaskList`),
// never a spec to validate again. The Rust side holds the same claim in its types: a `Plan` can
// only be made by validation (the compile_fail example on `spec::Plan`).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../scripts/lib/site.mjs";
import { coordinatorApi } from "../www/engine/coordinator.js";

const WASM = join(ROOT, "www", "pkg", "plain", "speedup_lab_bg.wasm");
const skip = !existsSync(WASM) && "www/pkg/ is not built (npm run build)";

/** An engine that counts validations and records what each run was given. */
function countingEngine(refuse = null) {
  const seen = { validations: 0, runs: [], freed: 0 };
  const engine = {
    name: "counting",
    memoryBytes: () => 0,
    boot: async (cores) => ({ engine: "counting", poolSize: 10, hardwareConcurrency: cores }),
    planOf(spec, maxWorkers) {
      seen.validations += 1;
      if (refuse) throw new Error(refuse);
      return { spec, maxWorkers, tasks: 3, free: () => (seen.freed += 1) };
    },
    async run(spec, plan, ctx) {
      seen.runs.push({ spec, plan, poolSize: ctx.poolSize });
      ctx.dispatched(0);
      ctx.progress(3);
      return { totalMs: 1 };
    },
  };
  return { engine, seen };
}

test("the coordinator validates a run once, hands that plan on, and frees it after", async () => {
  const { engine, seen } = countingEngine();
  const api = coordinatorApi(engine);
  await api.init(2);
  await api.run({ workload: "perfect", n: 4 });
  assert.equal(seen.validations, 1, "one validation per run");
  assert.equal(seen.runs.length, 1);
  const [{ plan, poolSize }] = seen.runs;
  assert.equal(plan.maxWorkers, 10, "validated against the engine's pool size");
  assert.equal(poolSize, plan.maxWorkers, "one maximum for workers");
  assert.equal(seen.freed, 1, "the plan is freed once the run has ended");
  await api.run({ workload: "perfect", n: 4 });
  assert.equal(seen.validations, 2, "and once for the next run");
});

test("a refused spec stops at the coordinator with the core's message; nothing runs", async () => {
  const message = "Workers must be a whole number from 1 to 10, got 0.";
  const { engine, seen } = countingEngine(message);
  const api = coordinatorApi(engine);
  await api.init(2);
  await assert.rejects(api.run({ workload: "perfect", n: 4, workers: 0 }), { message });
  assert.equal(seen.validations, 1);
  assert.equal(seen.runs.length, 0);
});

test("only the engines' planOf makes a RunPlan; processes and the pool take the plan", () => {
  const dirs = ["www/engine", "www/workloads", "www/forest", "www/core", "www/lessons", "www/widget"];
  const makers = [];
  for (const dir of dirs) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(join(ROOT, dir, file), "utf8");
      if (/new RunPlan\(/.test(text)) makers.push(`${dir}/${file}`);
      assert.doesNotMatch(text, /\bplanOf\b.*from "\.\.\/pkg\//, `${dir}/${file} imports a removed export`);
      assert.doesNotMatch(text, /startRun\(spec|assembleTrace\(spec/, `${dir}/${file} hands on a spec`);
    }
  }
  // the two engines (the run's one validation) and the page's preview of a lesson's expectation
  assert.deepEqual(makers.sort(), [
    "www/core/core.js",
    "www/engine/processes-engine.js",
    "www/engine/threads-engine.js",
  ]);
  for (const file of ["www/engine/process.worker.js", "www/forest/forest-process.js"]) {
    const code = readFileSync(join(ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, "");
    assert.doesNotMatch(code, /RunPlan|ForestPlan|spec/, `${file}: a process never sees a spec`);
  }
  const forest = readFileSync(join(ROOT, "www/forest/forest-engine.js"), "utf8");
  assert.equal(forest.match(/new exports\.ForestPlan\(/g)?.length, 1, "a forest spec: validated in planOf, once");
});

test("the core: a RunPlan is the only way in, its tasks reach a process unchanged", { skip }, async () => {
  const core = await import("../www/pkg/plain/speedup_lab.js");
  core.initSync({ module: readFileSync(WASM) });
  const max = core.poolSizeFor(2);
  assert.equal(max, 10, "the one maximum, asked of the core");

  // bad input: the same clear messages as ever, at the one door
  assert.throws(() => new core.RunPlan({ workload: "perfect", n: 100, strategy: "pool-map", workers: max + 1 }, max), {
    message: `Workers must be a whole number from 1 to ${max}, got ${max + 1}.`,
  });
  assert.throws(() => new core.RunPlan({ workload: "dance" }, max), /Unknown workload "dance"/);

  const plan = new core.RunPlan({ workload: "perfect", n: 500, strategy: "pool-map", workers: 4 }, max);
  try {
    assert.deepEqual([plan.strategy, plan.workers, plan.chunksize, plan.tasks], ["pool-map", 4, 32, 499]);
    // a process's batch: the plan's tasks, read back without a spec
    const list = new core.TaskList(plan.taskWire(0, plan.tasks));
    const found = [];
    const records = [];
    for (let i = 0; i < list.length; i++) {
      const out = list.compute(i);
      if (!Number.isNaN(out)) found.push(out);
      records.push(i, 0, i, i + 1, out);
    }
    list.free();
    assert.deepEqual(found, [6, 28, 496]);
    const trace = core.assembleTrace(plan, Float64Array.from(records), 499);
    assert.deepEqual(trace.results, [6, 28, 496]);
    assert.equal(trace.workers, 4);
    // what is not a validated plan is refused, not validated again
    assert.throws(() => core.assembleTrace({ workload: "perfect", n: 500 }, new Float64Array(), 1));
    assert.throws(() => new core.TaskList(Float64Array.of(9, 0, 0)), /not a plan's tasks/);
  } finally {
    plan.free();
  }
});
