/**
 * The python card's editor: CodeMirror 6 (www/vendor/codemirror.js, built by scripts/vendor.mjs)
 * over the card's plain `<textarea class="py-editor">`, because in Python indentation is syntax and
 * a textarea's Tab leaves the field. What a reader of Python expects from an editor: highlighting,
 * line numbers, Tab and Shift-Tab indenting by four spaces (Escape then Tab leaves the editor,
 * CodeMirror's documented way out for keyboard users, said in a hint the editor is described by),
 * and the line a traceback points at marked.
 *
 * Loaded by program-view.js only when the reader opens the editor or runs the program (about
 * 120 kB gzipped: more than a page of cards loads before its first Run). Until then, and for good
 * if this module fails to load, the textarea is the editor.
 *
 * The textarea stays the one source of truth: it stays in the card, hidden, every edit in
 * CodeMirror is written to its value, and a value set on it (the program list, a test's
 * `editor.value = code`) is shown in CodeMirror: its `value` property is wrapped on the element.
 */
import {
  bracketMatching,
  classHighlighter,
  Decoration,
  defaultKeymap,
  EditorSelection,
  EditorState,
  EditorView,
  GutterMarker,
  gutterLineClass,
  history,
  historyKeymap,
  indentOnInput,
  indentUnit,
  indentWithTab,
  keymap,
  lineNumbers,
  pythonLanguage,
  RangeSet,
  StateEffect,
  StateField,
  syntaxHighlighting,
} from "../vendor/codemirror.js";

const STYLE_URL = new URL("./code-editor.css", import.meta.url);
/** The textarea's own `value`, under the wrapper this module puts on the element. */
const NATIVE_VALUE = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value");

/** Mark line n (1-based) as where the traceback points, or none (null). */
const setErrorLine = StateEffect.define();
const errorLineDeco = Decoration.line({
  class: "cm-py-error-line",
  attributes: { title: "The traceback in the console points at this line" },
});
const errorGutter = new (class extends GutterMarker {
  elementClass = "cm-py-error-gutter";
})();

/**
 * The traceback's line, as a line decoration and a gutter class. Mapped through edits, so it
 * follows its line while the reader fixes the program, until the next run sets it again.
 */
const errorLine = StateField.define({
  create: () => ({ line: Decoration.none, gutter: RangeSet.empty }),
  update(value, tr) {
    let { line, gutter } = value;
    line = line.map(tr.changes);
    gutter = gutter.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrorLine)) continue;
      const n = e.value;
      if (!n || n > tr.state.doc.lines) {
        line = Decoration.none;
        gutter = RangeSet.empty;
      } else {
        const from = tr.state.doc.line(n).from;
        line = Decoration.set([errorLineDeco.range(from)]);
        gutter = RangeSet.of([errorGutter.range(from)]);
      }
    }
    return line === value.line && gutter === value.gutter ? value : { line, gutter };
  },
  provide: (field) => [EditorView.decorations.from(field, (v) => v.line), gutterLineClass.from(field, (v) => v.gutter)],
});

/**
 * Typing over a selection of several lines, done by CodeMirror, not by the browser: Chromium's
 * own editing merges the lines with inline `style` attributes, which the lab's pages forbid
 * (Content-Security-Policy `style-src 'self'`) and log as an error, once per key. CodeMirror
 * redraws the lines from its state either way; this only keeps the browser from trying.
 * (Not while composing: an input method's text goes the usual way.)
 */
const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertText" || event.isComposing || !event.data) return false;
    const { main } = view.state.selection;
    if (view.state.selection.ranges.length > 1 || view.state.doc.lineAt(main.from).to >= main.to) return false;
    event.preventDefault();
    view.dispatch(view.state.replaceSelection(event.data), { scrollIntoView: true, userEvent: "input.type" });
    return true;
  },
});

/** The stylesheet in `root` (once per shadow root); resolves when it has loaded, so nothing shows unstyled. */
function styleIn(root) {
  const host = root.host ? root : root.head;
  let link = host.querySelector(`link[href="${STYLE_URL.href}"]`);
  if (!link) {
    link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE_URL.href;
    host.prepend(link);
  }
  if (link.sheet) return Promise.resolve();
  return new Promise((resolve, reject) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener(
      "error",
      () => {
        link.remove(); // the next opening tries again with a new link (this one never loads now)
        reject(new Error(`could not load ${STYLE_URL.href}`));
      },
      { once: true },
    );
  });
}

/**
 * Put CodeMirror in place of `textarea` (connected, in the card's shadow root). Returns
 * `{ view, showError(line) }`; `showError(null)` clears the mark. Idempotent per textarea.
 */
export async function upgradeEditor(textarea) {
  if (textarea.codeEditor) return textarea.codeEditor;
  const root = textarea.getRootNode();
  await styleIn(root);
  if (textarea.codeEditor) return textarea.codeEditor; // two callers raced through the await
  const write = (text) => NATIVE_VALUE.set.call(textarea, text);
  const read = () => NATIVE_VALUE.get.call(textarea);
  const hint = document.createElement("p");
  hint.className = "py-keys";
  hint.id = "py-editor-keys";
  hint.textContent = "Tab indents, Shift-Tab dedents; to leave the editor by keyboard, press Escape, then Tab.";
  const box = document.createElement("div");
  box.className = "py-code";
  const focused = root.activeElement === textarea;
  const { selectionStart, selectionEnd } = textarea;
  const view = new EditorView({
    root,
    parent: box,
    state: EditorState.create({
      doc: read(),
      selection: EditorSelection.single(selectionStart, selectionEnd),
      extensions: [
        lineNumbers(),
        history(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        pythonLanguage,
        syntaxHighlighting(classHighlighter),
        indentOnInput(),
        bracketMatching(),
        errorLine,
        typeOverSelection,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({
          // focusable as it is (contenteditable), but said: axe-core's scrollable-region-focusable
          // looks for a tabindex inside CodeMirror's scroller, and finds none otherwise
          tabindex: "0",
          "aria-label": textarea.getAttribute("aria-label") ?? "Python program",
          "aria-describedby": hint.id,
          spellcheck: "false",
          autocapitalize: "off",
          autocorrect: "off",
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) write(u.state.doc.toString());
        }),
      ],
    }),
  });
  // A value set on the textarea from now on goes to CodeMirror as well (one edit, undoable),
  // with the caret at the top, as a textarea given a new value shows it.
  Object.defineProperty(textarea, "value", {
    configurable: true,
    get: read,
    set(text) {
      const next = String(text ?? "");
      write(next);
      if (view.state.doc.toString() === next) return;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: next },
        selection: { anchor: 0 },
        effects: setErrorLine.of(null),
        scrollIntoView: true,
      });
    },
  });
  textarea.after(box, hint);
  textarea.hidden = true;
  if (focused) view.focus();
  const editor = {
    view,
    /** Mark line `n` of the program (the traceback's last line in the main script), or none. */
    showError(n) {
      const line = n && n <= view.state.doc.lines ? view.state.doc.line(n) : null;
      view.dispatch({
        effects: [
          setErrorLine.of(line ? n : null),
          ...(line ? [EditorView.scrollIntoView(line.from, { y: "center" })] : []),
        ],
      });
    },
  };
  textarea.codeEditor = editor;
  return editor;
}
