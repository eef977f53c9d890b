/**
 * `<speedup-lab experiment="perfect" n="20000" workers="4" unit-ms="100">`: one lesson as a
 * self-contained card in Shadow DOM. The hosted page is a list of these; an article embeds one
 * with a single module script tag. Everything shown is built with textContent (ui/dom.js).
 *
 * Attributes: experiment; each lesson parameter's, from the core's table (n, workers, chunksize,
 * unit-ms, students, …: src/limits.rs, `attributeNames()`); engine (auto | threads | processes),
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
import { engineEvents, existingEngine } from "../engine/client.js";
import { checkResult, mainTrace } from "../lessons/contract.js";
import { loadChartJs } from "../ui/chart-lib.js";
import { h } from "../ui/dom.js";
import { buildForm, readParams, settingsOf, showLimits } from "./card-form.js";
import { engineChoice, engineLine, errorView, layOut, noLessonMessage, whenFirstSeen } from "./card-view.js";
import {
  ATTRS,
  core,
  coreError,
  coreLoaded,
  coreRecovered,
  envFor,
  LESSON_IDS,
  lessonById,
  loaded,
  OWN_ATTRS,
  retryCore,
} from "./core-loader.js";
import { dropCharts, showError, showResult } from "./result-view.js";
import { doneLine, prepareEngine, progressLine, runContext } from "./run-context.js";

const STYLE_URL = new URL("./card.css", import.meta.url);

const THEMES = ["auto", "light", "dark"];

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
  #code = { lang: "rust" }; // the code tab the reader chose, kept likewise
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
    this.#ui?.lesson?.connected?.(); // a lesson's own first step on a page (parallel-writes: its OPFS sweep)
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
    this.#seen = whenFirstSeen(this, () => {
      this.#autoran = true;
      this.#seen = null;
      if (this.#ui?.lesson) this.run().catch(() => {});
    });
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

  #render() {
    const root = this.#root;
    dropCharts(this.#root);
    root.replaceChildren(h("link", { rel: "stylesheet", href: STYLE_URL.href }));
    const theme = (this.getAttribute("theme") ?? "auto").toLowerCase();
    const card = h("article", { class: "card", part: "card", "data-theme": THEMES.includes(theme) ? theme : "auto" });
    root.append(card);

    const id = (this.getAttribute("experiment") ?? "").trim();
    const lesson = coreError ? null : lessonById(id);
    if (!lesson) {
      const msg = coreError?.message ?? noLessonMessage(id, LESSON_IDS);
      // a core that failed to load is loaded again by the next Run (no reload needed)
      errorView(card, msg, coreError && retryCore && (() => this.run().catch(() => {})));
      this.#ui = { lesson: null, message: msg };
      this.#emitError(msg);
      return;
    }

    const choice = engineChoice(this.#chosenEngine ?? this.getAttribute("engine")); // a reader's switch wins
    const env = envFor(choice.engine ?? "processes");
    const ui = { lesson, env, inputs: {}, choice };
    this.#ui = ui;

    // A lesson with its own inputs (the python card's editor; the element's text is its code).
    // The author's own text: the element's text nodes only — not the text of elements a hosting
    // page slots in (the hosted page's Embed button once became the program: a NameError).
    const authorCode = [...this.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.data)
      .join("");
    const { form, ...parts } = buildForm({
      lesson,
      env,
      core,
      attr: (name) => this.getAttribute(name),
      authorCode,
      onInput: () => this.#updateExpect(),
      onRun: () => this.run().catch(() => {}),
      onCancel: () => this.cancel(),
    });
    Object.assign(ui, parts);
    showLimits(ui, core);

    layOut(card, ui, form, {
      open: this.#open,
      code: this.#code,
      onEngine: (kind) => {
        this.#chosenEngine = kind;
        this.cancel();
        this.#render();
      },
    });
    if (choice.error) showError(this.#ui, choice.error);
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
    const info = existingEngine(kind)?.info;
    if (info) {
      ui.env = envFor(kind, info);
      // The switch names the engine that really runs (processes, after a threads boot that failed).
      ui.engineSelect.value = ui.env.engine;
      showLimits(ui, core);
      this.#updateExpect();
    }
    ui.engineInfo.textContent = engineLine(kind, ui.env, info);
  }

  /** An engine of this page booted or failed (engineEvents): say so if it is this card's. */
  #onEngine = ({ type, detail }) => {
    const ui = this.#ui;
    if (!ui?.lesson || ui.lesson.needsEngine === false || detail.kind !== ui.choice.engine) return;
    if (type === "failed") ui.engineInfo.textContent = ` · could not start: ${detail.error.message}`;
    else this.#describeEngine(detail.kind);
  };

  #updateExpect() {
    const ui = this.#ui;
    const { params, error } = readParams(this.#ui, core);
    ui.expect.textContent = error ? "— (fix the settings above first)" : ui.lesson.expect(params, ui.env);
  }

  /** Say `text` in the status line of `ui` — only while `ui` is still this card's UI, so a
   * run cancelled by a re-render cannot write over the new card. */
  #status(text, ui = this.#ui) {
    if (ui === this.#ui && ui?.status) ui.status.textContent = text;
  }

  #emitError(message) {
    this.dispatchEvent(new CustomEvent("speedup-lab:error", { detail: message, bubbles: true, composed: true }));
  }

  /** Show a result (result-view.js), its charts drawn afresh. */
  #showResult(result) {
    dropCharts(this.#root);
    showResult(this.#ui, result, this.#open);
  }

  /**
   * The card's current settings as attributes, `[[name, value], …]`: `experiment`, then each
   * parameter set by an attribute or whose input differs from its default (names from the core's
   * table). The hosted page's Embed dialog and its URL are made from this (www/share/).
   */
  get settings() {
    const ui = this.#ui;
    if (!ui?.lesson) return [["experiment", (this.getAttribute("experiment") ?? "").trim()]];
    const out = [["experiment", ui.lesson.id], ...settingsOf(ui, core, (attr) => this.hasAttribute(attr))];
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
    coreRecovered();
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
        showError(this.#ui, message);
        this.#status("");
      }
      this.#emitError(message);
      throw new Error(message);
    };
    if (ui.choice.error) return fail(ui.choice.error);
    const { params, error } = readParams(this.#ui, core);
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
    const engine = { current: null }; // the run's engine, once it needs one (run-context.js)
    try {
      // A lesson with Workers of its own starts in this task: its console is back under the
      // buttons when run() returns (a script that watches it finds it there).
      if (ui.lesson.needsEngine !== false) await prepareEngine(ui, engine, signal, (text) => this.#status(text, ui));
      const progress = (event) => {
        ui.progress.value = event.total ? event.done / event.total : 0;
        this.#status(progressLine(event, stage, performance.now() - t0), ui);
        this.dispatchEvent(
          new CustomEvent("speedup-lab:progress", { detail: { ...event, stage }, bubbles: true, composed: true }),
        );
      };
      const ctx = runContext({
        ui,
        signal,
        engine,
        progress,
        stage: (text) => {
          stage = text;
          this.#status(`${text}…`, ui);
        },
        live: (text) => {
          ui.live.hidden = false;
          ui.live.textContent = text;
        },
        ended: () => ended,
      });
      const { traces, summary } = checkResult(ui.lesson.id, await ui.lesson.run(params, ctx));
      ended = true;
      await charts;
      signal.throwIfAborted();
      this.result = { lessonId: ui.lesson.id, params, traces, summary };
      if (this.#ui === ui) {
        this.#showResult(this.result);
        this.#status(doneLine(ui, engine.current, performance.now() - t0));
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
