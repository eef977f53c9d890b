/**
 * The reader-facing parameters, read from the core's one table (src/limits.rs, through
 * core/core.js): labels, limits, initial values and the messages for bad input all come from
 * Rust, which validates every run spec with the same code. Nothing here is a copy of a limit;
 * to add a parameter, add its line to that table (see the doc comment there).
 */
import { checkParam, limitsFor } from "../core/core.js";

const FORM = limitsFor(10, 1);

/** Run limits that are not reader parameters (e.g. `maxSpawnN`), from the core. */
export const LIMITS = FORM;

/** Every parameter's key, element attribute and label (bounds depend on the engine: `paramsFor`). */
export const PARAMS = Object.fromEntries(FORM.params.map((p) => [p.key, p]));

/** The parameters with their bounds resolved for `env` ({ poolSize, cores }), by key. */
export function paramsFor(env) {
  return Object.fromEntries(limitsFor(env.poolSize, env.cores).params.map((p) => [p.key, p]));
}

/**
 * Parse `raw` (string, number, null) for parameter `name` with the core's own check;
 * `fallback` (a lesson's default) replaces a blank, else the table's initial value.
 * Returns `{ value }` or `{ error }`.
 */
export function parseParam(name, raw, env, fallback) {
  const r = checkParam(name, raw, env.poolSize, env.cores);
  if (r.error || r.value !== null) return r;
  const def = paramsFor(env)[name];
  if (def.initial === null) return { value: null }; // optional: the core picks
  return checkParam(name, fallback ?? def.initial, env.poolSize, env.cores);
}
