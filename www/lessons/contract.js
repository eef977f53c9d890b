/**
 * The one result contract: every lesson's `run(params, ctx)` resolves with a LessonResult —
 * the list of labelled Traces it measured and the lesson's own summary — so the card, the
 * exporter (ui/export.js) and an embedding page find traces in one place, the same way for
 * every lesson, and nothing searches a free-form object for them. See lessons/README.md.
 *
 * @typedef {object} Span  one worker's stretch of work: `{worker, first, last, start, end}`
 *   (ms from the run's start; tasks `first..=last`), plus what a lesson adds (parallel-writes:
 *   `bytes`, `mibPerSec`)
 * @typedef {object} Trace  one run, as the core assembles it (src/trace.rs): `{strategy,
 *   engine, workers, hardwareConcurrency, chunksize, totalMs, spans: Span[], results, …}`
 * @typedef {{label: string, trace: Trace}} LabelledTrace
 * @typedef {{traces: LabelledTrace[], summary: object}} LessonResult  `traces[0]` is the
 *   headline run: what the card's `run()` resolves with and `speedup-lab:done` carries. The
 *   summary is what the lesson's `render` draws; it may refer to the same Trace objects.
 */

/** Whether `t` has a trace's shape: spans and a total. */
function isTrace(t) {
  return Array.isArray(t?.spans) && typeof t.totalMs === "number";
}

/**
 * A LessonResult from `traces` — `[label, trace]` pairs, headline first (missing traces are
 * left out) — and `summary`.
 * @param {Array<[string, Trace | null | undefined]>} traces
 * @param {object} summary
 * @returns {LessonResult}
 */
export function lessonResult(traces, summary) {
  return { traces: traces.filter(([, trace]) => trace).map(([label, trace]) => ({ label, trace })), summary };
}

/**
 * `result` if it keeps the contract, else a clear error naming the lesson (a lesson's bug is
 * said as one, not shown as a broken card further down).
 * @returns {LessonResult}
 */
export function checkResult(lessonId, result) {
  const ok =
    result &&
    typeof result.summary === "object" &&
    Array.isArray(result.traces) &&
    result.traces.length > 0 &&
    result.traces.every((x) => typeof x?.label === "string" && isTrace(x.trace));
  if (!ok) {
    throw new Error(
      `The ${lessonId} lesson returned no labelled traces and summary ({traces: [{label, trace}], summary}): see www/lessons/README.md.`,
    );
  }
  return result;
}

/** The headline trace of a LessonResult. */
export const mainTrace = (result) => result.traces[0].trace;

/**
 * What any result must say under its chart whatever the lesson, from its traces' own flags: a
 * work-stealing run that could not park the pool's spare threads ran on more threads than asked
 * (the core's `Trace.parkingFallback`, src/run/work_stealing.rs).
 * @param {LessonResult} result
 * @returns {string[]}
 */
export function resultNotes(result) {
  return result.traces.some(({ trace }) => trace.parkingFallback)
    ? [
        "Note: some of the pool's spare threads were still busy when a work-stealing run started, so it ran on more threads than the workers asked for (see src/run/work_stealing.rs). Run again for a clean figure.",
      ]
    : [];
}
