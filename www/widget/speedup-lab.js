/**
 * `<speedup-lab experiment="perfect" n="20000" workers="4" unit-ms="100">`: one lesson as a
 * self-contained card in Shadow DOM. The hosted page is a list of these; an article embeds one
 * with a single module script tag. Everything shown is built with textContent (ui/dom.js).
 *
 * Attributes: experiment, n, workers, chunksize, unit-ms, engine (auto | threads | processes),
 * autorun, theme (auto | light | dark). API: run() → Promise<trace>, cancel(), result
 * ({lessonId, params, traces, summary}: lessons/contract.js); events speedup-lab:progress,
 * speedup-lab:done (detail: the headline trace), speedup-lab:error (detail: the message).
 * See EMBEDDING.md.
 *
 * Nothing starts before Run: rendering a card boots no engine and starts no Worker (the
 * engine boots on the first run, client.js); `autorun` runs once, when the card first comes
 * into view (never in a hidden frame).
 */
import { abortError, isAbort } from "../engine/abort.js";
import {
  defaultEngine,
  ENGINES,
  engineEvents,
  existingEngine,
  getEngine,
  threadsAvailable,
  threadsUnavailableReason,
} from "../engine/client.js";
import { coreError, poolSize, retryCore } from "../engine/core.js";
import { enqueue } from "../engine/queue.js";
import { checkResult, mainTrace } from "../lessons/contract.js";
import { LESSON_IDS, lessonById } from "../lessons/index.js";
import { PARAMS, paramsFor, parseParam } from "../lessons/params.js";
import { chartOn, loadChartJs } from "../ui/chart-lib.js";
import { h } from "../ui/dom.js";
import { exportButtons } from "../ui/export.js";
import { int, ms } from "../ui/format.js";

const STYLE_URL = new URL("./card.css", import.meta.url);
/** The parameters' attributes come from the core's table (src/limits.rs), like their limits. */
const ATTRS = ["experiment", ...Object.values(PARAMS).map((p) => p.attr), "engine", "autorun", "theme"];
const THEMES = ["auto", "light", "dark"];

/** The engine settings the form needs before the engine has started (the core's pool rule). */
function envFor(engine) {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return { engine, cores, poolSize: poolSize(cores) };
}

/** Say each input's range (from the core's table, for `env`) in its tooltip and data-min/max. */
function showLimits(ui) {
  const table = paramsFor(ui.env);
  for (const [name, { input }] of Object.entries(ui.inputs)) {
    const p = table[name];
    input.dataset.min = String(p.min);
    input.dataset.max = String(p.max);
    input.title = `A whole number from ${p.min} to ${p.max}${p.hint ? ` (${p.hint})` : ""}`;
  }
}

/**
 * The first card of a page sweeps what parallel-writes runs left in this origin's private file
 * system when their page closed mid-run (writes/opfs.js: only runs no live tab holds), when
 * the browser is idle. Its module loads then, not with the page.
 */
let swept = false;
function sweepOnce() {
  if (swept) return;
  swept = true;
  const idle = globalThis.requestIdleCallback ?? ((fn) => setTimeout(fn, 200));
  idle(() => import("../writes/opfs.js").then((opfs) => opfs.sweepStale()).catch(() => {}));
}

/** Engines already warmed up in this page: the first wasm run is ~20 % slower (tier-up). */
const warmed = new Set();

export class SpeedupLab extends HTMLElement {
  static observedAttributes = ATTRS;

  #root;
  #ui = null;
  #run = null; // { controller, promise }
  #chosenEngine = null; // a reader's switch overrides the attribute
  result = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
  }

  connectedCallback() {
    engineEvents.addEventListener("ready", this.#onEngine);
    engineEvents.addEventListener("failed", this.#onEngine);
    this.#render();
    sweepOnce();
    if (this.hasAttribute("autorun") && !this.#autoran) this.#watchForAutorun();
  }

  disconnectedCallback() {
    engineEvents.removeEventListener("ready", this.#onEngine);
    engineEvents.removeEventListener("failed", this.#onEngine);
    this.#seen?.disconnect();
    this.#seen = null;
    this.cancel();
  }

  #autoran = false;
  #seen = null; // the IntersectionObserver waiting to autorun

  /** `autorun`: run once, the first time the card is on screen (a hidden frame never is). */
  #watchForAutorun() {
    this.#seen?.disconnect();
    this.#seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting) || this.#autoran) return;
      this.#autoran = true;
      this.#seen.disconnect();
      this.#seen = null;
      if (this.#ui?.lesson) this.run().catch(() => {});
    });
    this.#seen.observe(this);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.isConnected || oldValue === newValue) return;
    if (this.#run) {
      this.cancel();
      this.#lastNote = `The ${name} attribute changed during the run, so the run was cancelled.`;
    }
    this.#render();
  }

  #lastNote = null;

  /** Which engine this card uses, with a note when the request could not be honoured. */
  #engineChoice() {
    const requested = (this.#chosenEngine ?? this.getAttribute("engine") ?? "auto").trim().toLowerCase();
    if (requested === "auto" || requested === "") return { engine: defaultEngine() };
    if (!ENGINES.includes(requested)) {
      return { error: `Unknown engine "${requested.slice(0, 24)}": use auto, threads or processes.` };
    }
    if (requested === "threads" && !threadsAvailable()) {
      return {
        engine: "processes",
        note: `The threads engine needs shared memory, and ${threadsUnavailableReason()}, so the processes engine runs instead.`,
      };
    }
    return { engine: requested };
  }

  #render() {
    const root = this.#root;
    this.#dropCharts();
    root.replaceChildren(h("link", { rel: "stylesheet", href: STYLE_URL.href }));
    const theme = (this.getAttribute("theme") ?? "auto").toLowerCase();
    const card = h("article", { class: "card", part: "card", "data-theme": THEMES.includes(theme) ? theme : "auto" });
    root.append(card);

    const id = (this.getAttribute("experiment") ?? "").trim();
    const lesson = coreError ? null : lessonById(id);
    if (!lesson) {
      const msg = coreError
        ? coreError.message
        : id
          ? `Unknown experiment "${id.slice(0, 40)}". Use one of: ${LESSON_IDS.join(", ")}.`
          : `No experiment chosen: set experiment="…" to one of ${LESSON_IDS.join(", ")}.`;
      card.append(
        h("header", {}, h("h2", { text: "Speedup Lab" })),
        h("p", { class: "error", role: "alert", text: msg }),
        // a core that failed to load is loaded again by the next Run (no reload needed)
        coreError &&
          h("button", { type: "button", class: "run", text: "Run", onclick: () => this.run().catch(() => {}) }),
      );
      this.#ui = { lesson: null, message: msg };
      this.#emitError(msg);
      return;
    }

    const choice = this.#engineChoice();
    const env = envFor(choice.engine ?? "processes");
    const ui = { lesson, env, inputs: {}, choice };
    this.#ui = ui;

    const codeView = h("pre", { class: "code" }, h("code", { text: lesson.code.rust }));
    const tab = (lang, label) =>
      h("button", {
        type: "button",
        class: "tab",
        "aria-pressed": lang === "rust" ? "true" : "false",
        text: label,
        onclick: (e) => {
          codeView.firstChild.textContent = lesson.code[lang];
          for (const b of e.target.parentElement.children) b.setAttribute("aria-pressed", String(b === e.target));
        },
      });

    const form = h("form", {
      class: "controls",
      onsubmit: (e) => {
        e.preventDefault();
        this.run().catch(() => {});
      },
    });
    for (const name of lesson.params) {
      const def = paramsFor(env)[name];
      const raw = this.getAttribute(def.attr);
      const fallback =
        typeof lesson.defaults?.[name] === "function" ? lesson.defaults[name](env) : lesson.defaults?.[name];
      const initial = raw ?? fallback ?? def.initial;
      const input = h("input", {
        name,
        inputmode: "numeric",
        placeholder: def.hint ?? "",
        "aria-label": lesson.labels?.[name] ?? def.label,
      });
      input.value = initial === null ? "" : String(initial);
      input.addEventListener("input", () => this.#updateExpect());
      ui.inputs[name] = { input, fallback };
      form.append(h("label", {}, h("span", { text: lesson.labels?.[name] ?? def.label }), input));
    }
    ui.runButton = h("button", { type: "submit", class: "run", text: "Run" });
    ui.cancelButton = h("button", {
      type: "button",
      class: "cancel",
      text: "Cancel",
      disabled: true,
      onclick: () => this.cancel(),
    });
    form.append(h("div", { class: "buttons" }, ui.runButton, ui.cancelButton));
    showLimits(ui);

    ui.expect = h("p", { class: "expect" });
    ui.progress = h("progress", { max: 1, value: 0, hidden: true });
    ui.status = h("span", { class: "status-text" });
    ui.live = h("p", { class: "live", hidden: true });
    ui.error = h("p", { class: "error", role: "alert", hidden: true });
    ui.results = h("section", { class: "results", "aria-label": "results" });

    const engineSelect = h(
      "select",
      {
        "aria-label": "engine",
        onchange: (e) => {
          this.#chosenEngine = e.target.value;
          this.cancel();
          this.#render();
        },
      },
      ENGINES.map((e) =>
        h("option", {
          value: e,
          text: e,
          selected: e === env.engine,
          disabled: e === "threads" && !threadsAvailable(),
        }),
      ),
    );
    ui.engineInfo = h("span", { class: "engine-info" });
    ui.engineSelect = engineSelect;
    // A lesson with Workers of its own (parallel-writes) has no engine to switch.
    const footer =
      lesson.needsEngine === false
        ? h("footer", {}, ui.engineInfo)
        : h("footer", {}, h("label", {}, "engine ", engineSelect), ui.engineInfo);

    card.append(
      h("header", {}, h("h2", { text: lesson.title }), h("p", { class: "lede", text: lesson.lede })),
      h(
        "details",
        { class: "code-view" },
        h("summary", { text: "What runs" }),
        h("div", { class: "tabs" }, tab("rust", "Rust (what runs)"), tab("python", "Python (the guide)")),
        codeView,
      ),
      form,
      ui.expect,
      h("div", { class: "status", role: "status", "aria-live": "polite" }, ui.progress, ui.status),
      ui.live,
      ui.error,
      ui.results,
      h("p", { class: "why" }, h("strong", { text: "Why: " }), lesson.why),
      footer,
    );
    if (choice.error) this.#showError(choice.error);
    else if (choice.note) this.#status(choice.note);
    if (this.#lastNote) {
      this.#status(this.#lastNote);
      this.#lastNote = null;
    }
    this.#updateExpect();
    if (this.result?.lessonId === lesson.id) this.#showResult(this.result);
    if (lesson.needsEngine === false) {
      ui.engineInfo.textContent = "Runs on its own writer Workers, one run at a time on this page (no engine to pick).";
    } else if (choice.engine) this.#describeEngine(choice.engine);
  }

  /**
   * Say which engine this card will use, without starting it: from the core's pool rule
   * before the first run, from the engine's own report once it has booted (and again whenever
   * it boots or fails: `#onEngine`).
   */
  #describeEngine(kind) {
    const ui = this.#ui;
    const engine = existingEngine(kind);
    const info = engine?.info;
    if (!info) {
      const shared = kind === "threads" ? ", shared memory" : ", separate Workers";
      ui.engineInfo.textContent = ` · ${ui.env.poolSize} workers${shared}, ${ui.env.cores} cores (as the browser reports); starts on the first Run`;
    } else {
      // info.engine differs from kind when threads could not start (info.fallback says why)
      ui.env = { engine: info.engine ?? kind, cores: info.hardwareConcurrency, poolSize: info.poolSize };
      // The switch names the engine that really runs (processes, after a threads boot that failed).
      ui.engineSelect.value = ui.env.engine;
      showLimits(ui);
      this.#updateExpect();
      const shared =
        info.engine === "threads" ? (info.sharedMemory ? ", shared memory ✓" : ", memory NOT shared ✗") : "";
      const fallback = info.fallback ? ` ${info.fallback}:` : "";
      ui.engineInfo.textContent = ` ·${fallback} ${info.poolSize} workers available, ${info.hardwareConcurrency} cores (as the browser reports)${shared}`;
    }
  }

  /** An engine of this page booted or failed (engineEvents): say so if it is this card's. */
  #onEngine = ({ type, detail }) => {
    const ui = this.#ui;
    if (!ui?.lesson || ui.lesson.needsEngine === false || detail.kind !== ui.choice.engine) return;
    if (type === "failed") ui.engineInfo.textContent = ` · could not start: ${detail.error.message}`;
    else this.#describeEngine(detail.kind);
  };

  /** Read and check the form: `{ params }` or `{ error }`. */
  #params() {
    const ui = this.#ui;
    const params = {};
    for (const [name, { input, fallback }] of Object.entries(ui.inputs)) {
      const r = parseParam(name, input.value, ui.env, fallback);
      if (r.error) return { error: r.error };
      params[name] = r.value;
    }
    return { params };
  }

  #updateExpect() {
    const ui = this.#ui;
    const { params, error } = this.#params();
    ui.expect.replaceChildren(
      h("strong", { text: "What to expect: " }),
      error ? "—" : ui.lesson.expect(params, ui.env),
    );
  }

  /** Say `text` in the status line of `ui` — only while `ui` is still this card's UI, so a
   * run cancelled by a re-render cannot write over the new card. */
  #status(text, ui = this.#ui) {
    if (ui === this.#ui && ui?.status) ui.status.textContent = text;
  }

  #showError(message) {
    const ui = this.#ui;
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  #emitError(message) {
    this.dispatchEvent(new CustomEvent("speedup-lab:error", { detail: message, bubbles: true, composed: true }));
  }

  /** Destroy this card's charts: Chart.js keeps every instance in a registry until then. */
  #dropCharts() {
    for (const canvas of this.#root.querySelectorAll("canvas")) chartOn(canvas)?.destroy();
  }

  #showResult(result) {
    const ui = this.#ui;
    this.#dropCharts();
    ui.results.replaceChildren();
    const facts = h("dl", { class: "facts" });
    const charts = h("div", { class: "charts" });
    const notes = h("div", { class: "notes" });
    const tables = h("div", { class: "tables" });
    ui.results.append(facts, notes, charts, tables);
    const out = {
      charts,
      facts(rows) {
        for (const [k, v] of rows) facts.append(h("dt", { text: k }), h("dd", { text: v }));
      },
      note(text) {
        notes.append(h("p", { class: "note", text }));
      },
      table(headers, rows, caption) {
        const table = h(
          "table",
          {},
          caption && h("caption", { text: caption }),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              headers.map((x) => h("th", { scope: "col", text: x })),
            ),
          ),
          h(
            "tbody",
            {},
            rows.map((r) =>
              h(
                "tr",
                {},
                r.map((c) => h("td", { text: c })),
              ),
            ),
          ),
        );
        tables.append(h("div", { class: "table-wrap" }, table));
      },
    };
    ui.lesson.render(result.summary, out, result.params, ui.env);
    if (result.traces.some(({ trace }) => trace.parkingFallback)) {
      out.note(
        "Note: some of the pool's spare threads were still busy when a work-stealing run started, so it ran on more threads than the workers asked for (see src/run/work_stealing.rs). Run again for a clean figure.",
      );
    }
    ui.results.append(
      exportButtons({
        lessonId: ui.lesson.id,
        params: result.params,
        result,
        charts,
        table: ui.lesson.csv?.(result.summary),
      }),
    );
  }

  /** Run the lesson with the current settings. Resolves with the main trace. */
  run() {
    const ui = this.#ui;
    if (!ui?.lesson && coreError) return this.#retryCore();
    if (!ui?.lesson) {
      const msg = ui?.message ?? 'Nothing to run: set experiment="…".';
      this.#emitError(msg);
      return Promise.reject(new Error(msg));
    }
    this.cancel();
    const controller = new AbortController();
    const promise = this.#execute(ui, controller);
    this.#run = { controller, promise };
    const clear = () => {
      if (this.#run?.controller === controller) this.#run = null;
    };
    promise.then(clear, clear);
    return promise;
  }

  /**
   * The page's core did not load (a failed fetch, say): load it again, and if it now loads,
   * draw the card and run. A reader's Run is the retry; no reload needed.
   */
  async #retryCore() {
    const error = await retryCore();
    if (error) {
      this.#emitError(error.message);
      throw error;
    }
    this.#render();
    return this.run();
  }

  /** Stop the run in progress, if any; the card says so at once. */
  cancel() {
    if (!this.#run) return;
    this.#run.controller.abort();
    this.#status("Cancelled.");
  }

  async #execute(ui, controller) {
    const { signal } = controller;
    ui.error.hidden = true;
    ui.live.hidden = true;
    const fail = (message) => {
      if (this.#ui === ui) {
        this.#showError(message);
        this.#status("");
      }
      this.#emitError(message);
      throw new Error(message);
    };
    if (ui.choice.error) return fail(ui.choice.error);
    const { params, error } = this.#params();
    if (error) return fail(error);

    ui.runButton.disabled = true;
    ui.cancelButton.disabled = false;
    ui.progress.hidden = false;
    ui.progress.value = 0;
    const t0 = performance.now();
    // Chart.js loads while the run goes on (not with the page): drawn once both are done
    const charts = loadChartJs();
    charts.catch(() => {}); // awaited below; a failed load is said there
    let stage = "";
    let ended = false;
    let engine = null;
    try {
      if (ui.lesson.needsEngine !== false) {
        engine = getEngine(ui.env.engine);
        if (!engine.info) this.#status("Starting the engine…", ui);
        // booted in the run queue, so a boot never competes with another card's run
        const info = await enqueue(() => engine.boot(), signal);
        ui.env = { engine: info.engine ?? ui.env.engine, cores: info.hardwareConcurrency, poolSize: info.poolSize };
      }
      signal.throwIfAborted();
      if (engine && ui.lesson.warm && !warmed.has(ui.env.engine)) {
        this.#status("Warming up the wasm engine (first runs are slower)…", ui);
        await engine.run({ workload: "perfect", n: 4000, strategy: "sequential", workers: 1 }, { signal });
        warmed.add(ui.env.engine);
      }
      const progress = (event) => {
        ui.progress.value = event.total ? event.done / event.total : 0;
        const label = stage ? `${stage}: ` : "";
        this.#status(
          `${label}${int(event.done)} of ${int(event.total)} ${event.unit ?? "tasks"} · ${ms(performance.now() - t0)}`,
          ui,
        );
        this.dispatchEvent(
          new CustomEvent("speedup-lab:progress", { detail: { ...event, stage }, bubbles: true, composed: true }),
        );
      };
      const ctx = {
        env: ui.env,
        signal,
        /** A lesson's own progress (one without engine runs): `done` of `total` `unit`. */
        progress: (done, total, unit) => {
          if (!ended) progress({ type: "progress", done, total, unit });
        },
        /** Run `job()` on the page in the page's run queue (queue.js): no other card runs meanwhile.
         * (`job` must not call `ctx.run`, which would wait behind it in the same queue.) */
        exclusive: (job) => enqueue(job, signal),
        stage: (text) => {
          stage = text;
          this.#status(`${text}…`, ui);
        },
        live: (text) => {
          ui.live.hidden = false;
          ui.live.textContent = text;
        },
        run: (spec, onLesson) => {
          if (!engine) throw new Error(`The ${ui.lesson.id} lesson has no engine (needsEngine: false).`);
          let settled = false;
          const running = engine.run(spec, {
            signal,
            onEvent: (event) => {
              // Progress travels on its own channel and may arrive after the run's result:
              // once this run has ended, late events must not overwrite "Done", nor the stage
              // of the lesson's next run.
              if (ended || settled) return;
              if (event.type === "progress") progress(event);
              onLesson?.(event);
            },
          });
          return running.finally(() => {
            settled = true;
          });
        },
      };
      const { traces, summary } = checkResult(ui.lesson.id, await ui.lesson.run(params, ctx));
      ended = true;
      await charts;
      signal.throwIfAborted();
      this.result = { lessonId: ui.lesson.id, params, traces, summary };
      if (this.#ui === ui) {
        this.#showResult(this.result);
        const by = engine ? `${ui.env.engine} engine` : "its own Workers";
        this.#status(`Done in ${ms(performance.now() - t0)} (${by}).`);
      }
      const trace = mainTrace(this.result);
      this.dispatchEvent(new CustomEvent("speedup-lab:done", { detail: trace, bubbles: true, composed: true }));
      return trace;
    } catch (err) {
      ended = true;
      if (signal.aborted || isAbort(err)) {
        if (this.#ui === ui) this.#status("Cancelled. The previous results stay until the next run.");
        throw abortError();
      }
      return fail(err?.message ?? String(err));
    } finally {
      if (this.#ui === ui) {
        ui.runButton.disabled = false;
        ui.cancelButton.disabled = true;
        ui.progress.hidden = true;
      }
    }
  }
}

if (!customElements.get("speedup-lab")) customElements.define("speedup-lab", SpeedupLab);
