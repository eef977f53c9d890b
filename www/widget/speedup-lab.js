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
  threadsRefusal,
} from "../engine/client.js";
import { enqueue } from "../engine/queue.js";
import { checkResult, mainTrace } from "../lessons/contract.js";
import { chartOn, loadChartJs } from "../ui/chart-lib.js";
import { disclosure } from "../ui/details.js";
import { h } from "../ui/dom.js";
import { exportButtons } from "../ui/export.js";
import { int, ms } from "../ui/format.js";

const STYLE_URL = new URL("./card.css", import.meta.url);

/*
 * The core's table and the lessons arrive with the core's wasm (core-deps.js). They are imported
 * dynamically so that this module defines the element at once, before the wasm has loaded: an
 * author's `el.run()` at DOMContentLoaded must find the method. Until then a card shows a line
 * saying it is loading, and `run()` waits.
 */
let coreError, poolSize, retryCore, LESSON_IDS, lessonById, PARAMS, paramsFor, parseParam;
/** The element's own attributes, known without the core: observed as usual (synchronously). */
const OWN_ATTRS = ["experiment", "engine", "autorun", "theme"];
/** The parameters' attributes come from the core's table (src/limits.rs), like their limits. */
let ATTRS = OWN_ATTRS;
const coreLoaded = import("./core-deps.js").then(
  (m) => {
    ({ coreError, poolSize, retryCore, LESSON_IDS, lessonById, PARAMS, paramsFor, parseParam } = m);
    ATTRS = ["experiment", ...Object.values(PARAMS).map((p) => p.attr), "engine", "autorun", "theme"];
  },
  (error) => {
    // The lessons' modules could not load (the network, say): every card says so.
    coreError = new Error(`The lab's core could not load here: ${error?.message ?? error}`);
    LESSON_IDS = [];
  },
);
let loaded = false;
coreLoaded.then(() => {
  loaded = true;
});
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
 * The first parallel-writes card of a page sweeps what earlier runs left in this origin's private
 * file system when their page closed mid-run (writes/opfs.js: only runs no live tab holds), when
 * the browser is idle. Its module loads then, not with the page; a page without such a card never
 * touches the origin's file system (an author's article is the author's origin: issue 27).
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
  /**
   * The element's attributes (the parameters' come from the core's table), once the core has
   * loaded. A custom element must give `observedAttributes` when it is defined, before the table
   * is known: its own four are observed as usual, the parameters' with a MutationObserver (and
   * run() applies pending changes first, so `setAttribute("n", …); run()` runs with the new N).
   */
  static observedAttributes = OWN_ATTRS;

  static async attributeNames() {
    await coreLoaded;
    return [...ATTRS];
  }

  #root;
  #attrs;
  #ui = null;
  #run = null; // { controller, promise }
  #chosenEngine = null; // a reader's switch overrides the attribute
  #open = new Map(); // which disclosures the reader opened: kept across re-renders (ui/details.js)
  #codeLang = "rust"; // the code tab the reader chose, kept likewise
  result = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#attrs = new MutationObserver((records) => this.#attributesChanged(records));
    this.#attrs.observe(this, { attributes: true, attributeOldValue: true });
  }

  /** Attribute changes, as attributeChangedCallback would see them (only once the core is here). */
  #attributesChanged(records) {
    if (!loaded) return; // the first render reads every attribute anyway
    for (const r of records) {
      if (ATTRS.includes(r.attributeName) && !OWN_ATTRS.includes(r.attributeName)) {
        this.attributeChangedCallback(r.attributeName, r.oldValue, this.getAttribute(r.attributeName));
      }
    }
  }

  connectedCallback() {
    engineEvents.addEventListener("ready", this.#onEngine);
    engineEvents.addEventListener("failed", this.#onEngine);
    if (!loaded) {
      this.#root.replaceChildren(h("p", { role: "status", text: "Loading the lab…" }));
      coreLoaded.then(() => {
        if (this.isConnected && !this.#ui) this.connectedCallback();
      });
      return;
    }
    this.#attrs.takeRecords(); // this render reads every attribute
    this.#render();
    if (this.#ui?.lesson?.id === "parallel-writes") sweepOnce();
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
    if (!loaded || !this.isConnected || oldValue === newValue) return;
    if (this.#run) {
      this.cancel();
      this.#lastNote = `The ${name} attribute changed during the run, so the run was cancelled.`;
    }
    this.#render();
  }

  #lastNote = null;
  #waiting = null; // a run() called before the core loaded, until it starts

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
        note: `${threadsRefusal()}, so the processes engine runs instead.`,
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
          retryCore &&
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

    // tabindex: a reader on a keyboard can scroll a long line of code sideways.
    const codeView = h("pre", { class: "code", tabindex: "0" }, h("code", { text: lesson.code[this.#codeLang] }));
    const tab = (lang, label) =>
      h("button", {
        type: "button",
        class: "tab",
        "aria-pressed": String(lang === this.#codeLang),
        text: label,
        onclick: (e) => {
          this.#codeLang = lang;
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
    // A lesson with its own inputs (the python card's editor; the element's text is its code).
    // The author's own text: the element's text nodes only — not the text of elements a hosting
    // page slots in (the hosted page's Embed button once became the program: a NameError).
    const authorCode = [...this.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.data)
      .join("");
    ui.mounted = lesson.mount?.({ authorCode }) ?? null;
    if (ui.mounted) form.append(...ui.mounted.form);
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
    // One sentence under the title: what the reader will see, then, after a run, the answer.
    ui.sentence = h("p", { class: "lede", "aria-live": "polite", text: lesson.lede });
    ui.progress = h("progress", { max: 1, value: 0, hidden: true });
    ui.status = h("span", { class: "status-text" });
    ui.live = h("p", { class: "live", hidden: true });
    ui.error = h("p", { class: "error", role: "alert", hidden: true });
    ui.results = h("section", { class: "results", "aria-label": "results" });
    // The card's tools for a result (Save as CSV/JSON/PNG; room for more, e.g. Embed), under
    // every disclosure so the list of them reads as one.
    ui.toolbar = h("div", { class: "toolbar" });

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
    // A lesson with Workers of its own (parallel-writes, python) has no engine to switch. The
    // slot holds what a hosting page adds to the card (the hosted page's Embed button, www/share/).
    const actions = h("slot", { name: "actions" });
    const footer =
      lesson.needsEngine === false
        ? h("footer", {}, ui.engineInfo, actions)
        : h("footer", {}, h("label", {}, "engine ", engineSelect), ui.engineInfo, actions);

    // Beginner-first: the title, one sentence, the controls, then the result's answer and main
    // chart; everything else is behind a labelled disclosure after it (the results' own, then
    // these three, the same on every card).
    const more = (label, children, key) => disclosure(label, children, { key, state: this.#open });
    card.append(
      h("header", {}, h("h2", { text: lesson.title }), ui.sentence),
      form,
      h("div", { class: "status", role: "status", "aria-live": "polite" }, ui.progress, ui.status),
      ...(ui.mounted?.live ?? []),
      ui.live,
      ui.error,
      ui.results,
      h(
        "div",
        { class: "more" },
        more("What to expect, in detail", [ui.expect], "expect"),
        more("Why it works this way", [h("p", { class: "why", text: lesson.why })], "why"),
        more(
          "The code: the Rust that runs, and the guide's Python",
          [h("div", { class: "tabs" }, tab("rust", "Rust (what runs)"), tab("python", "Python (the guide)")), codeView],
          "code",
        ),
      ),
      ui.toolbar,
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
      ui.engineInfo.textContent =
        (typeof lesson.engineNote === "function" ? lesson.engineNote() : lesson.engineNote) ??
        "Runs on its own writer Workers, one run at a time on this page (no engine to pick).";
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
    ui.expect.textContent = error ? "— (fix the settings above first)" : ui.lesson.expect(params, ui.env);
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

  /**
   * Show a result, beginner-first: the lesson's `answer` sentence (this run's numbers, in plain
   * words) replaces the sentence under the title; the lesson's main chart comes first in the
   * results, its warnings right after, and every other figure (facts, notes, more charts,
   * tables) in labelled disclosures whose open state survives the next run.
   *
   * What `render(summary, out, params, env)` gets in `out`:
   * - `charts`: the main chart's container (what the answer is about; usually one chart);
   * - `more(label, key?)`: a container inside the disclosure `label` (made on first use), for
   *   further charts; `key` keeps its open state when the label carries numbers;
   * - `facts(rows, label?)`: name–value rows, in "All the figures" unless labelled otherwise;
   * - `note(text, label?)`: with a label, a paragraph in that disclosure; without, a warning
   *   shown under the chart (a run that does not show the lesson must say so in view);
   * - `table(headers, rows, caption, label?)`: a table in the disclosure `label` (else its caption).
   */
  #showResult(result) {
    const ui = this.#ui;
    this.#dropCharts();
    ui.results.replaceChildren();
    const charts = h("div", { class: "charts" });
    const notes = h("div", { class: "notes" });
    const details = h("div", { class: "details" });
    ui.results.append(charts, notes, details);
    const boxes = new Map();
    const box = (label, key = label) => {
      if (!boxes.has(key)) {
        const inner = h("div", { class: "detail" });
        details.append(disclosure(label, [inner], { key, state: this.#open }));
        boxes.set(key, inner);
      }
      return boxes.get(key);
    };
    const FIGURES = "All the figures";
    const out = {
      charts,
      more: (label, key) => box(label, key),
      facts(rows, label = FIGURES) {
        const facts = h("dl", { class: "facts" });
        for (const [k, v] of rows) facts.append(h("dt", { text: k }), h("dd", { text: v }));
        box(label).append(facts);
      },
      note(text, label) {
        const p = h("p", { class: "note", text });
        if (label) box(label).append(p);
        else notes.append(p);
      },
      table(headers, rows, caption, label) {
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
        box(label ?? caption ?? "Table").append(h("div", { class: "table-wrap", tabindex: "0" }, table));
      },
    };
    ui.lesson.render(result.summary, out, result.params, ui.env);
    ui.sentence.textContent = ui.lesson.answer?.(result.summary, result.params, ui.env) ?? ui.lesson.lede;
    ui.live.hidden = true; // what the run said while it ran: the answer now says it with the result
    if (result.traces.some(({ trace }) => trace.parkingFallback)) {
      out.note(
        "Note: some of the pool's spare threads were still busy when a work-stealing run started, so it ran on more threads than the workers asked for (see src/run/work_stealing.rs). Run again for a clean figure.",
      );
    }
    ui.toolbar.replaceChildren(
      exportButtons({
        lessonId: ui.lesson.id,
        params: result.params,
        result,
        charts: ui.results,
        table: ui.lesson.csv?.(result.summary),
      }),
    );
  }

  /**
   * The card's current settings as attributes, `[[name, value], …]`: `experiment`, then each
   * parameter set by an attribute or whose input differs from its default (names from the core's
   * table). The hosted page's Embed dialog and its URL are made from this (www/share/).
   */
  get settings() {
    const ui = this.#ui;
    if (!ui?.lesson) return [["experiment", (this.getAttribute("experiment") ?? "").trim()]];
    const table = paramsFor(ui.env);
    const out = [["experiment", ui.lesson.id]];
    for (const [name, { input, fallback }] of Object.entries(ui.inputs)) {
      const initial = fallback ?? table[name].initial;
      const value = input.value.trim();
      const { attr } = table[name];
      // Only a value the core accepts goes into a snippet or a link: an out-of-range one (typed,
      // or from a crafted URL) is left out, so whoever pastes the snippet gets the default.
      if (value !== "" && parseParam(name, value, ui.env, fallback).error) continue;
      if (value !== String(initial ?? "") || this.hasAttribute(attr)) out.push([attr, value]);
    }
    const theme = (this.getAttribute("theme") ?? "").toLowerCase();
    if (THEMES.includes(theme)) out.push(["theme", theme]);
    return out;
  }

  /** Run the lesson with the current settings. Resolves with the main trace. */
  run() {
    if (!loaded) {
      // Called before the core has loaded (a script at DOMContentLoaded): run once it is here.
      const waiting = new AbortController();
      this.#waiting = waiting;
      return coreLoaded.then(() => {
        if (waiting.signal.aborted) throw abortError();
        return this.run();
      });
    }
    this.#attributesChanged(this.#attrs.takeRecords()); // attributes set just before run() apply
    const ui = this.#ui;
    if (!ui?.lesson && coreError && retryCore) return this.#retryCore();
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
    coreError = null; // this module's copy of core.js's (core-deps.js is imported dynamically)
    this.#render();
    return this.run();
  }

  /** Stop the run in progress, if any; the card says so at once. */
  cancel() {
    this.#waiting?.abort();
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
        mounted: ui.mounted,
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
          // A lesson with Workers of its own (python) may run the lab's engine after them: it
          // boots then, in the run queue like any run (client.js).
          engine ??= getEngine(ui.env.engine);
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
        // Say what did the work: the engine, or a lesson's own Workers (python: then the engine).
        const own = ui.lesson.ownWorkers ?? "its own Workers";
        const used = `${engine?.info?.engine ?? ui.env.engine} engine`;
        const by = ui.lesson.needsEngine !== false ? used : engine ? `${own}, then the ${used}` : own;
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
