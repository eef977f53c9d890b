/**
 * The python card's own inputs and console: the program (a list of the guide's programs and an
 * editor) and the console the program prints into, built by the lesson's `mount()` once per card
 * render and given back to `run` (ctx.mounted) and `render` (out.mounted).
 */

import { onceUntilRejected } from "../engine/once.js";
import { disclosure } from "../ui/details.js";
import { h } from "../ui/dom.js";
import { blockingRung } from "./blocking.js";
import { handoverUrl, LAB_PAGE, MAX_PROGRAM_BYTES } from "./handover.js";
import { SNIPPETS, snippetById } from "./snippets.js";
import { whatRunsHere } from "./what-runs.js";

const STYLE_URL = new URL("./python.css", import.meta.url);
/**
 * CodeMirror over the textarea (code-editor.js, ~120 kB gzipped), fetched the first time a reader
 * opens the editor or runs the program, never with the page; a failed load is retried next time.
 */
let codeEditorLoaded = false;
const loadCodeEditor = onceUntilRejected(() =>
  import("./code-editor.js").then((m) => {
    codeEditorLoaded = true;
    return m;
  }),
);
/** A traceback's frame in the program itself (python.worker.js runs it as /home/pyodide/main.py). */
const PROGRAM_FRAME = /File "[^"]*\/main\.py", line (\d+)/;
/** The program's line that `text` (a line the program wrote to stderr) names, else `previous`. */
const programLine = (text, previous) => Number(PROGRAM_FRAME.exec(text)?.[1] ?? previous) || null;
/** Console lines kept in the card (a program that prints in a loop must not grow the page without end). */
export const MAX_LINES = 500;

/** One console line: the time since Run, the process that printed it, the text. */
export function consoleLine({ process, stream, text, t }) {
  return h(
    "div",
    { class: `py-line${stream === "stderr" ? " py-err" : stream === "note" ? " py-gap" : ""}` },
    h("span", { class: "py-t", text: `${t.toFixed(2)} s` }),
    h("span", { class: "py-proc", text: process }),
    h("span", { class: "py-text", text }),
  );
}

/**
 * The editor (a list of the guide's programs and a textarea, which becomes a CodeMirror editor
 * once opened: see `upgrade` below) and the console, built once per card render. Beginner-first: the editor sits in a disclosure that is open until
 * the first run, so a reader sees the program before pressing Run, and folds when Run is
 * pressed (the reader can open it again, and it then stays as they leave it); the console
 * shows the output live under the buttons while the program runs, and once the result is
 * shown it moves behind "What the program printed", after the answer and the timeline.
 */
export function mountProgram({ authorCode }) {
  const own = authorCode.trim() ? `${authorCode.replace(/^\n+/, "").replace(/\s+$/, "")}\n` : null;
  const select = h(
    "select",
    { "aria-label": "the guide's program" },
    own && h("option", { value: "own", text: "this page's own program" }),
    SNIPPETS.map((s) => h("option", { value: s.id, text: s.label })),
  );
  const editor = h("textarea", {
    class: "py-editor",
    spellcheck: "false",
    autocapitalize: "off",
    "aria-label": "Python program",
    rows: 16,
    wrap: "off", // Python's indentation is its syntax: a long line scrolls rather than wraps
  });
  editor.value = own ?? SNIPPETS[0].code;
  const expect = h("p", { class: "py-note py-expect" });
  const showExpect = () => {
    expect.textContent = select.value === "own" ? "" : (snippetById(select.value)?.expect ?? "");
  };
  showExpect();
  select.addEventListener("change", () => {
    editor.value = select.value === "own" ? own : (snippetById(select.value)?.code ?? "");
    showExpect();
  });
  const fixes = h(
    "p",
    { class: "py-note" },
    "The guide's code as it should have been printed: ",
    h("code", { text: "toc - tic" }),
    " where its text has ",
    h("code", { text: "knock-tic" }),
    ", its indentation restored; only the perfect-number range is smaller (the guide's 100 000 takes minutes in any CPython; a comment in the code shows where to put it back).",
  );
  // One at a time here (an author's page in a browser with neither shared memory nor JSPI):
  // the lab's own page can do better, with its service worker; offer to go there.
  const { rung } = blockingRung();
  const away = h("a", { href: LAB_PAGE.href, target: "_blank", rel: "noopener", text: "run it on the lab's page" });
  away.addEventListener("click", () => {
    away.href = handoverUrl(editor.value) ?? LAB_PAGE.href;
  });
  const handover =
    rung === "one-at-a-time" &&
    globalThis.origin !== LAB_PAGE.origin &&
    h(
      "p",
      { class: "py-note py-handover" },
      "This browser cannot make one Worker wait for another on this page (no shared memory here, no JSPI), so the program's processes will run one at a time, with no speedup. To see them run at once, ",
      away,
      ` (opens the lab with this program, up to ${MAX_PROGRAM_BYTES / 1024} KB).`,
    );
  const program = disclosure(
    "The program: read it, pick another, or change it",
    [h("label", { class: "py-pick" }, h("span", { text: "Program" }), select), expect, editor, fixes, handover],
    { open: true, className: "py-program" },
  );
  const consoleBox = h("div", { class: "py-console", role: "log", "aria-label": "Python console", tabindex: "0" });
  // The editor proper (code-editor.js) once the reader opens it — focuses the textarea, or opens
  // the disclosure again — or runs the program; the textarea stays its source of truth, and the
  // editor until then (or for good, if the module cannot load). It marks the line of the run's
  // last traceback in the program (`errorLine`, from the console's lines).
  let errorLine = null;
  let closed = false;
  const upgrade = () => {
    if (!editor.isConnected) return;
    loadCodeEditor()
      .then(({ upgradeEditor }) => upgradeEditor(editor))
      .then((ed) => ed.showError(errorLine))
      .catch(() => {}); // the textarea stays
  };
  editor.addEventListener("focus", upgrade);
  program.addEventListener("toggle", () => {
    if (!program.open) closed = true;
    else if (closed) upgrade();
  });
  // A re-rendered card (a theme change): the editor is already paid for. (Its program is the
  // list's again, not the one whose traceback the console may show: no line is marked.)
  if (codeEditorLoaded) requestAnimationFrame(upgrade);
  let pending = [];
  let frame = null;
  let fallback = null;
  const draw = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    clearTimeout(fallback);
    frame = fallback = null;
    const batch = pending.length > MAX_LINES ? pending.slice(-MAX_LINES) : pending;
    pending = [];
    if (!batch.length) return;
    const excess = consoleBox.childElementCount + batch.length - MAX_LINES;
    for (let i = 0; i < excess && consoleBox.firstElementChild; i++) consoleBox.firstElementChild.remove();
    consoleBox.append(...batch.map(consoleLine));
    consoleBox.scrollTop = consoleBox.scrollHeight;
  };
  // The console's place while a program runs (render() moves the console into the results).
  const home = h("div", { class: "py-live" }, consoleBox);
  let sweepNext = null;
  return {
    form: [h("link", { rel: "stylesheet", href: STYLE_URL.href }), program, whatRunsHere()],
    live: [home],
    program,
    console: consoleBox,
    source: () => editor.value,
    /**
     * The sweep button (sweep-view.js): the card's next run is a sweep over `sizes`, started now
     * through the card's own run() (its progress, Cancel and result, as any run).
     */
    requestSweep: (sizes) => {
      sweepNext = sizes;
      program
        .getRootNode()
        .host?.run()
        .catch(() => {}); // the card shows a failed or cancelled sweep itself
    },
    /** The sizes of a sweep asked for, once (null for an ordinary run). */
    takeSweep: () => {
      const sizes = sweepNext;
      sweepNext = null;
      return sizes;
    },
    snippet: () => (select.value === "own" ? null : snippetById(select.value)),
    /**
     * A new run: the editor folds the first time (see above), and the console comes back under
     * the buttons, empty — leaving a copy with the last result, where render() had moved it.
     * (The same element throughout: a script that holds the console keeps seeing the output.)
     */
    clear: () => {
      errorLine = null;
      upgrade();
      if (!program.dataset.folded) {
        program.open = false;
        program.dataset.folded = "true";
      }
      if (consoleBox.parentNode !== home) consoleBox.replaceWith(consoleBox.cloneNode(true));
      pending = [];
      consoleBox.replaceChildren();
      home.append(consoleBox);
    },
    /** The program could not run (e.g. too many processes): the editor opens again, to fix it. */
    failed: () => {
      program.open = true;
    },
    /**
     * A printed line. Drawn at most once per frame, and only the last MAX_LINES of a frame's
     * lines: a program printing 2 000 000 lines costs the page a few thousand nodes a frame,
     * never one layout per line.
     */
    line(l) {
      if (l.stream === "stderr") errorLine = programLine(l.text, errorLine);
      pending.push(l);
      if (pending.length > 2 * MAX_LINES) pending.splice(0, pending.length - MAX_LINES); // now and then, not per line
      frame ??= requestAnimationFrame(draw);
      // A frame out of view gets no animation frames in Chromium: a timer draws there instead.
      fallback ??= setTimeout(draw, 250);
    },
    /** Draw what is pending now (the run ended: its last lines must be there for render()). */
    flush: () => {
      draw();
      upgrade(); // the traceback's line, if any, marked in the editor
    },
  };
}
