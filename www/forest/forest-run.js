/**
 * The random-forest lesson inside an engine's coordinator Worker (never on the page): fetch the
 * digits once, then grow the forest its validated plan describes with exactly n_jobs workers —
 *  - threads engine: `startForest` grows it in the rayon pool (n_jobs loops in a rayon scope,
 *    shared memory, the data parsed once) while this Worker polls progress;
 *  - processes engine: n_jobs process Workers (www/forest/forest-process.js, behind the process
 *    bridge: engine/bridge.js), each with its own wasm instance (the `plain-forest` flavour, forest-wasm.js) and its own copy of the data, take tree indices from one queue and send back
 *    each tree's predictions; the coordinator's wasm votes with the same Rust code.
 * Either way tree i is seeded from (seed, i), so the forest does not depend on who grew it.
 * The coordinator (www/engine/coordinator.js, through forest-engine.js) validated the spec once
 * into a `ForestPlan`, which this module hands on (to `startForest`, to each process as
 * `plan.wire()`, to the vote); the coordinator owns progress events and the cancel signal, and
 * this module reports to it through `ctx`.
 */
import { abortError } from "../engine/abort.js";
import { ProcessError, spawnProcess } from "../engine/bridge.js";
import { now } from "../engine/clock.js";
import { onceUntilRejected } from "../engine/once.js";
import { pollRun } from "../engine/poll.js";
import { forestModule } from "./forest-wasm.js";

const DATA_URL = new URL("../data/digits.bin", import.meta.url);
const PROCESS_URL = new URL("./forest-process.js", import.meta.url);

/** The dataset's bytes, fetched on the first forest run of this coordinator, then kept (a failed
 * fetch is retried by the next run). */
const digits = onceUntilRejected(() =>
  fetch(DATA_URL).then(async (r) => {
    if (!r.ok) throw new Error(`Could not load the digits dataset (${DATA_URL.pathname}: HTTP ${r.status}).`);
    return r.arrayBuffer();
  }),
);

/** This coordinator's parsed copy (its own wasm instance): for `startForest` or the vote. */
let parsed = null;
async function parsedData(forest) {
  parsed ??= new forest.ForestData(new Uint8Array(await digits()));
  return parsed;
}

/**
 * Grow the forest `plan` describes and resolve with its result (the core's trace plus `forest`).
 * @param {object} forest  the engine's wasm exports: ForestData, [startForest]
 * @param {object} plan    the coordinator's `ForestPlan` (trees, workers, wire())
 * @param {object} ctx     the coordinator's `{ poolSize, signal, dispatched(t0), progress(done) }`
 */
export async function runForest(forest, plan, ctx) {
  const data = await parsedData(forest);
  if (ctx.signal.aborted) throw abortError();
  return forest.startForest ? inPool(forest, plan, data, ctx) : inProcesses(plan, data, ctx);
}

function inPool(forest, plan, data, ctx) {
  return pollRun(
    () => forest.startForest(plan, data),
    (handle) => handle.takeResult(),
    ctx,
  );
}

/** Start one forest process with its own copy of the data (copied, not shared), through the
 * process bridge: resolves once it has parsed the data, within the spawn deadline. */
function spawn(module, buffer, signal) {
  return spawnProcess(PROCESS_URL, { what: "forest process", init: { module, bytes: buffer }, signal });
}

/** Grow `tree` of the forest `settings` (`plan.wire()`) describes on `process`: `{start, end, predictions}`. */
function grow(process, settings, tree, signal) {
  return process.request("tree", { settings, tree }, { signal }).catch((error) => {
    throw error instanceof ProcessError
      ? new Error(`A forest process failed (${error.message}); run again to start fresh ones.`)
      : error;
  });
}

async function inProcesses(plan, data, { signal, dispatched, progress }) {
  const k = plan.workers;
  const trees = plan.trees;
  const settings = plan.wire(); // what each process is sent: the validated settings, not the spec
  const [module, buffer] = await Promise.all([forestModule(), digits()]);
  // Like a joblib pool started before the timer: spawn the k processes and load the data into
  // each, then time the fit alone (the start-up is reported beside it).
  const s0 = now();
  // every spawn sees the reader's cancel and the first failed spawn alike
  const stop = new AbortController();
  const spawning = AbortSignal.any([signal, stop.signal]);
  const starts = Array.from({ length: k }, () => spawn(module, buffer, spawning));
  const started = []; // terminated in the end, whatever happens
  for (const s of starts)
    s.then(
      (p) => started.push(p),
      () => stop.abort(),
    );
  try {
    const workers = await Promise.all(starts);
    const startupMs = now() - s0;
    if (signal.aborted) throw abortError();
    const t0 = now();
    dispatched(t0);
    const grown = new Array(trees);
    let next = 0;
    let done = 0;
    const loop = async (w) => {
      while (next < trees) {
        const tree = next++;
        grown[tree] = { ...(await grow(workers[w], settings, tree, signal)), worker: w };
        done += 1;
        progress(done); // the coordinator sends at most one event per 50 ms
      }
    };
    await Promise.all(workers.map((_, w) => loop(w)));
    const fitMs = now() - t0;
    progress(done);
    const rows = grown[0].predictions.length;
    const perTree = new Uint8Array(trees * rows);
    const spans = new Float64Array(trees * 4);
    for (const [i, g] of grown.entries()) {
      perTree.set(g.predictions, i * rows);
      spans.set([i, g.worker, g.start - t0, g.end - t0], i * 4);
    }
    const result = data.outcome(plan, perTree, spans, fitMs);
    result.startupMs = startupMs;
    return result;
  } finally {
    // Cancelled, failed or done: no process outlives its run (a cancel cannot interrupt a tree
    // being grown, so the busy ones are terminated).
    stop.abort();
    for (const w of started) w.terminate();
  }
}
