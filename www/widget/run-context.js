/**
 * What a lesson's `run(params, ctx)` gets from the card: the run's environment and signal, and
 * the card's ways to run and to report — engine runs (`ctx.run`), exclusive work on the page
 * (`ctx.exclusive`), progress, stages and a live line. A lesson computes its result through
 * these and never reaches into the card (see lessons/README.md).
 */
import { getEngine } from "../engine/client.js";
import { enqueue } from "../engine/queue.js";
import { int, ms } from "../ui/format.js";
import { envFor } from "./core-loader.js";

/** Engines already warmed up in this page: the first wasm runs are ~20 % slower (tier-up). */
const warmed = new Set();

/**
 * Before a lesson runs: its engine booted (in the run queue, so a boot never competes with
 * another card's run; `ui.env` then says what booted), and once per engine and page the
 * lesson's untimed warm-up (`lesson.warm`, lessons/common.js WARM_UP). `status(text)` tells
 * the card.
 */
export async function prepareEngine(ui, engine, signal, status) {
  if (ui.lesson.needsEngine !== false) {
    engine.current = getEngine(ui.env.engine);
    if (!engine.current.info) status("Starting the engine…");
    const info = await enqueue(() => engine.current.boot(), signal);
    ui.env = envFor(ui.env.engine, info);
  }
  signal.throwIfAborted();
  if (engine.current && ui.lesson.warm && !warmed.has(ui.env.engine)) {
    status("Warming up the wasm engine (first runs are slower)…");
    await engine.current.run(ui.lesson.warm, { signal });
    warmed.add(ui.env.engine);
  }
}

/**
 * The ctx of one run of the card's `ui`. `engine` is the run's engine holder (`{ current }`,
 * null until a run needs one); `progress(event)`, `stage(text)` and `live(text)` report to the
 * card; `ended()` is true once the lesson's run has settled (late progress is then dropped).
 */
export function runContext({ ui, signal, engine, progress, stage, live, ended }) {
  return {
    env: ui.env,
    mounted: ui.mounted,
    signal,
    /** A lesson's own progress (one without engine runs): `done` of `total` `unit`. */
    progress: (done, total, unit) => {
      if (!ended()) progress({ type: "progress", done, total, unit });
    },
    /** Run `job()` on the page in the page's run queue (queue.js): no other card runs meanwhile.
     * (`job` must not call `ctx.run`, which would wait behind it in the same queue.) */
    exclusive: (job) => enqueue(job, signal),
    stage,
    live,
    run: (spec, onLesson) => {
      // A lesson with Workers of its own (python) may run the lab's engine after them: it
      // boots then, in the run queue like any run (client.js).
      engine.current ??= getEngine(ui.env.engine);
      let settled = false;
      const running = engine.current.run(spec, {
        signal,
        onEvent: (event) => {
          // Progress travels on its own channel and may arrive after the run's result: once this
          // run has ended, late events must not overwrite "Done", nor the stage of the next run.
          if (ended() || settled) return;
          if (event.type === "progress") progress(event);
          onLesson?.(event);
        },
      });
      return running.finally(() => {
        settled = true;
      });
    },
  };
}

/** The status line while a run goes on: `stage: done of total unit · elapsed`. */
export function progressLine(event, stage, elapsedMs) {
  const label = stage ? `${stage}: ` : "";
  return `${label}${int(event.done)} of ${int(event.total)} ${event.unit ?? "tasks"} · ${ms(elapsedMs)}`;
}

/** The status line after a run: how long, and what did the work — the engine, or a lesson's own
 * Workers (python: then the engine, when it ran the Rust after the Python). */
export function doneLine(ui, engine, elapsedMs) {
  const own = ui.lesson.ownWorkers ?? "its own Workers";
  const used = `${engine?.info?.engine ?? ui.env.engine} engine`;
  const by = ui.lesson.needsEngine !== false ? used : engine ? `${own}, then the ${used}` : own;
  return `Done in ${ms(elapsedMs)} (${by}).`;
}
