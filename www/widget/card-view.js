/**
 * The card's layout, beginner-first: the title and one sentence (what the reader will see, then
 * this run's answer), the form, the status line, the result's answer and main chart; everything
 * else behind a labelled disclosure after it (the result's own, then what to expect, why, and the
 * code — the same on every card), then the result's tools and the footer with the engine switch.
 * Built once per render; the card keeps the parts it updates in `ui`.
 */
import { defaultEngine, ENGINES, threadsAvailable, threadsRefusal } from "../engine/client.js";
import { disclosure } from "../ui/details.js";
import { h } from "../ui/dom.js";

/** The code disclosure's tabs: the Rust that runs and the guide's Python; `code.lang` is kept
 * by the card across renders (the reader's choice). */
function codeTabs(lesson, code) {
  // tabindex: a reader on a keyboard can scroll a long line of code sideways.
  const view = h("pre", { class: "code", tabindex: "0" }, h("code", { text: lesson.code[code.lang] }));
  const tab = (lang, label) =>
    h("button", {
      type: "button",
      class: "tab",
      "aria-pressed": String(lang === code.lang),
      text: label,
      onclick: (e) => {
        code.lang = lang;
        view.firstChild.textContent = lesson.code[lang];
        for (const b of e.target.parentElement.children) b.setAttribute("aria-pressed", String(b === e.target));
      },
    });
  return [h("div", { class: "tabs" }, tab("rust", "Rust (what runs)"), tab("python", "Python (the guide)")), view];
}

/** The engine switch, `env.engine` selected (threads disabled where the page cannot run it). */
function engineSwitch(env, onEngine) {
  return h(
    "select",
    { "aria-label": "engine", onchange: (e) => onEngine(e.target.value) },
    ENGINES.map((e) =>
      h("option", { value: e, text: e, selected: e === env.engine, disabled: e === "threads" && !threadsAvailable() }),
    ),
  );
}

/**
 * Lay out the card of `ui.lesson` in `card` around `form`. Fills `ui` with the parts the card
 * updates (`sentence`, `expect`, `progress`, `status`, `live`, `error`, `results`, `toolbar`,
 * `engineInfo`, `engineSelect`). `open` and `code` are the card's kept state (which disclosures
 * the reader opened, which code tab); `onEngine(kind)` is the reader's switch.
 */
export function layOut(card, ui, form, { open, code, onEngine }) {
  const { lesson } = ui;
  ui.expect = h("p", { class: "expect" });
  ui.sentence = h("p", { class: "lede", "aria-live": "polite", text: lesson.lede });
  ui.progress = h("progress", { max: 1, value: 0, hidden: true });
  ui.status = h("span", { class: "status-text" });
  ui.live = h("p", { class: "live", hidden: true });
  ui.error = h("p", { class: "error", role: "alert", hidden: true });
  ui.results = h("section", { class: "results", "aria-label": "results" });
  // The card's tools for a result (Save as CSV/JSON/PNG), under every disclosure so the list of
  // them reads as one.
  ui.toolbar = h("div", { class: "toolbar" });
  ui.engineSelect = engineSwitch(ui.env, onEngine);
  ui.engineInfo = h("span", { class: "engine-info" });
  // A lesson with Workers of its own (parallel-writes, python) has no engine to switch. The
  // slot holds what a hosting page adds to the card (the hosted page's Embed button, www/share/).
  const actions = h("slot", { name: "actions" });
  const footer =
    lesson.needsEngine === false
      ? h("footer", {}, ui.engineInfo, actions)
      : h("footer", {}, h("label", {}, "engine ", ui.engineSelect), ui.engineInfo, actions);
  const more = (label, children, key) => disclosure(label, children, { key, state: open });
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
      more("The code: the Rust that runs, and the guide's Python", codeTabs(lesson, code), "code"),
    ),
    ui.toolbar,
    footer,
  );
}

/** A card that cannot show a lesson: its message, and Run when a Run can retry (`onRun`). */
export function errorView(card, message, onRun) {
  card.append(
    h("header", {}, h("h2", { text: "Speedup Lab" })),
    h("p", { class: "error", role: "alert", text: message }),
    onRun && h("button", { type: "button", class: "run", text: "Run", onclick: onRun }),
  );
}

/**
 * The engine line: before the first run from the core's pool rule (`env`), once the engine has
 * booted from its own report (`info`: its pool, the cores, shared memory, a fallback's reason).
 */
export function engineLine(kind, env, info) {
  if (!info) {
    const shared = kind === "threads" ? ", shared memory" : ", separate Workers";
    return ` · ${env.poolSize} workers${shared}, ${env.cores} cores (as the browser reports); starts on the first Run`;
  }
  const shared = info.engine === "threads" ? (info.sharedMemory ? ", shared memory ✓" : ", memory NOT shared ✗") : "";
  const fallback = info.fallback ? ` ${info.fallback}:` : "";
  return ` ·${fallback} ${info.poolSize} workers available, ${info.hardwareConcurrency} cores (as the browser reports)${shared}`;
}

/**
 * Which engine a card uses for `requested` (its attribute or the reader's switch): `{ engine }`,
 * with a `note` when the request could not be honoured, or `{ error }` for an unknown name.
 */
export function engineChoice(requested) {
  const wanted = (requested ?? "auto").trim().toLowerCase();
  if (wanted === "auto" || wanted === "") return { engine: defaultEngine() };
  if (!ENGINES.includes(wanted)) {
    return { error: `Unknown engine "${wanted.slice(0, 24)}": use auto, threads or processes.` };
  }
  if (wanted === "threads" && !threadsAvailable()) {
    return { engine: "processes", note: `${threadsRefusal()}, so the processes engine runs instead.` };
  }
  return { engine: wanted };
}

/** Why a card shows no lesson: `id` is unknown, or none was chosen (`ids`: the lessons there are). */
export function noLessonMessage(id, ids) {
  return id
    ? `Unknown experiment "${id.slice(0, 40)}". Use one of: ${ids.join(", ")}.`
    : `No experiment chosen: set experiment="…" to one of ${ids.join(", ")}.`;
}

/** Call `seen()` once, the first time `el` is on screen; returns the observer (disconnect it to
 * stop waiting). A hidden frame is never on screen, so an autorun card there never runs. */
export function whenFirstSeen(el, seen) {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    seen();
  });
  observer.observe(el);
  return observer;
}
