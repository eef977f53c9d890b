/**
 * The card's link to the core: the core's table and the lessons arrive with the core's wasm
 * (core-deps.js), imported dynamically so that speedup-lab.js defines the element at once,
 * before the wasm has loaded (an author's `el.run()` at DOMContentLoaded must find the method).
 * Until then a card shows a line saying it is loading, and `run()` waits for `coreLoaded`.
 *
 * The exports are live bindings: read them after `coreLoaded` (or while `loaded`).
 */

import { threadsUnavailableReason } from "../engine/client.js";

/** The element's own attributes, known without the core: observed as usual (synchronously). */
export const OWN_ATTRS = ["experiment", "engine", "autorun", "theme"];
/** Every attribute the element reads: the parameters' come from the core's table (src/limits.rs). */
export let ATTRS = OWN_ATTRS;
export let coreError = null;
export let retryCore = null;
export let LESSON_IDS = [];
/** Every lesson object, in the guide's order (www/lessons/index.js); empty if they could not load. */
export let LESSONS = [];
/** The core's parameter table, by key (lessons/params.js `PARAMS`); empty if it could not load. */
export let PARAMS = {};
export let lessonById = () => null;
export let loaded = false;
/** The core's pool-size rule (core/core.js `poolSize`). */
export let poolSize = null;
let paramsFor = null;
let parseParam = null;

export const coreLoaded = import("./core-deps.js").then(
  (m) => {
    ({ coreError, poolSize, retryCore, LESSONS, LESSON_IDS, lessonById, PARAMS, paramsFor, parseParam } = m);
    ATTRS = ["experiment", ...Object.values(m.PARAMS).map((p) => p.attr), "engine", "autorun", "theme"];
    loaded = true;
  },
  (error) => {
    // The lessons' modules could not load (the network, say): every card says so.
    coreError = new Error(`The lab's core could not load here: ${error?.message ?? error}`);
    loaded = true;
  },
);

/** A retried core loaded: forget the error (this module's copy of core.js's). */
export function coreRecovered() {
  coreError = null;
}

/** The core's table, as the form's helpers take it (card-form.js). */
export const core = {
  paramsFor: (env) => paramsFor(env),
  parseParam: (name, value, env, fallback) => parseParam(name, value, env, fallback),
};

/**
 * What a lesson knows of the engine (its `env`, in `expect`, `run` through ctx.env, `render`):
 * which engine, the cores, the pool — from the core's pool rule before the engine has started,
 * from the engine's own report (`info`) once it has — and why the threads engine cannot run here
 * (`threadsUnavailable`, null where it can). Lessons read these facts here, never the engine.
 */
export function envFor(engine, info) {
  const threadsUnavailable = threadsUnavailableReason();
  if (info) {
    // info.engine differs from `engine` when threads could not start (info.fallback says why)
    return {
      engine: info.engine ?? engine,
      cores: info.hardwareConcurrency,
      poolSize: info.poolSize,
      threadsUnavailable,
    };
  }
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return { engine, cores, poolSize: poolSize(cores), threadsUnavailable };
}
