// The python card's editor (www/python/code-editor.js): only the CodeMirror 6 pieces it uses,
// named here so that esbuild tree-shakes the rest away. `pythonLanguage`, not `python()`: the
// latter adds @codemirror/lang-python's completions, which pull in @codemirror/autocomplete (the
// card offers none). `classHighlighter`: tokens get plain `tok-*` classes that python.css colours
// from the card's own theme variables, light and dark alike, instead of a fixed palette.
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { pythonLanguage } from "@codemirror/lang-python";
export { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
export { EditorSelection, EditorState, RangeSet, StateEffect, StateField } from "@codemirror/state";
export {
  Decoration,
  drawSelection,
  EditorView,
  GutterMarker,
  gutterLineClass,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
export { classHighlighter } from "@lezer/highlight";
