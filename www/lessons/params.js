/**
 * The reader-facing parameters: labels, limits and defaults, plus a parser that turns text from
 * a form, an attribute or a URL into a value or a clear message. The same limits are enforced
 * again by the Rust core (src/spec.rs), which has the last word.
 */
export const LIMITS = { maxN: 200_000, maxUnitMs: 5_000, maxSpawnN: 2_001 };

export const PARAMS = {
  n: {
    label: "N (numbers below)",
    attr: "n",
    kind: "int",
    min: () => 2,
    max: () => LIMITS.maxN,
    default: () => 20_000,
  },
  workers: {
    label: "Workers",
    attr: "workers",
    kind: "int",
    min: () => 1,
    max: (env) => env.poolSize,
    default: (env) => env.cores,
  },
  chunksize: {
    label: "Chunk size",
    attr: "chunksize",
    kind: "int",
    optional: true,
    hint: "blank: like Python",
    min: () => 1,
    max: () => LIMITS.maxN,
    default: () => null,
  },
  // The random-forest lesson (limits as in src/forest/settings.rs).
  trees: { label: "Trees", attr: "trees", kind: "int", min: () => 1, max: () => 1000, default: () => 100 },
  depth: { label: "Max depth", attr: "depth", kind: "int", min: () => 1, max: () => 30, default: () => 12 },
  unitMs: {
    label: "Time unit (ms)",
    attr: "unit-ms",
    kind: "number",
    min: () => 1,
    max: () => LIMITS.maxUnitMs,
    default: () => 100,
  },
};

/**
 * Parse `raw` (string, number, null) for parameter `name`; `fallback` overrides the default.
 * Returns `{ value }` or `{ error }`.
 */
export function parseParam(name, raw, env, fallback) {
  const def = PARAMS[name];
  const text = raw === null || raw === undefined ? "" : String(raw).trim();
  if (text === "") {
    if (def.optional) return { value: null };
    return { value: fallback ?? def.default(env) };
  }
  const value = Number(text);
  const lo = def.min(env);
  const hi = def.max(env);
  const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  const whole = def.kind === "int";
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < lo || value > hi) {
    const what = whole ? `a whole number from ${lo} to ${hi}` : `a number from ${lo} to ${hi}`;
    return { error: `${def.label} must be ${what}, got "${shown}".` };
  }
  return { value };
}
