/**
 * The embed recipes: for one card's current settings, the text an author pastes into each tool
 * they write with. Pure functions of `{ lab, settings }` — `lab` is the URL of the lab's site
 * root, `settings` the card's `[[attribute, value], …]` (speedup-lab.js `settings`: attribute
 * names from the core's parameter table, src/limits.rs), so a snippet can never name an attribute
 * the widget does not read. The Embed dialog (embed-dialog.js) shows them; tests/sites/ builds
 * real MkDocs and MyST sites from them; EMBEDDING.md documents them.
 *
 * Every value is written as the card holds it (text), quoted for the target language here.
 */
import { escapeHtml } from "../ui/html.js";

/** ` name="value"` for each setting. */
function attrs(settings) {
  return settings.map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join("");
}

/** The element's tag for `settings`. */
export function elementTag(settings) {
  return `<speedup-lab${attrs(settings)}></speedup-lab>`;
}

/** The module the element needs, at `lab`. */
export function widgetUrl(lab) {
  return new URL("www/widget/speedup-lab.js", lab).href;
}

/** The anywidget module, at `lab`. */
export function anywidgetUrl(lab) {
  return new URL("www/widget/anywidget.js", lab).href;
}

/** The experiment's id in `settings`. */
function experimentOf(settings) {
  return settings.find(([k]) => k === "experiment")?.[1] ?? "";
}

/** The iframe's page for `settings` (the frame's id echoed in its messages). */
export function frameUrl(lab, settings, frameId) {
  const url = new URL("embed.html", lab);
  for (const [k, v] of settings) url.searchParams.set(k, v);
  if (frameId) url.searchParams.set("frame", frameId);
  return url.href;
}

/** A model for the anywidget module: numbers as numbers, attribute names as they are. */
export function anywidgetModel(settings) {
  return Object.fromEntries(settings.map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
}

/** The custom element: one module script and the tag. */
export function elementSnippet(lab, settings) {
  return `<script type="module" src="${widgetUrl(lab)}"></script>\n${elementTag(settings)}`;
}

/** The iframe with its listener (heights and results come by postMessage). */
export function iframeSnippet(lab, settings) {
  const id = `lab-${experimentOf(settings) || "lesson"}`;
  return `<iframe id="${id}" title="Speedup Lab: ${escapeHtml(experimentOf(settings))}"
  src="${escapeHtml(frameUrl(lab, settings, id))}"
  allow="cross-origin-isolated" style="width:100%;border:0" height="600"></iframe>
<script>
  addEventListener("message", (event) => {
    const frame = document.getElementById("${id}");
    // only messages from our own iframe, as the lab's origin sent them
    if (event.source !== frame.contentWindow || event.origin !== ${JSON.stringify(new URL(lab).origin)}) return;
    const msg = event.data;
    if (typeof msg?.type !== "string" || !msg.type.startsWith("speedup-lab:")) return;
    const height = Number(msg.height);
    if (msg.type === "speedup-lab:resize" && height >= 100 && height <= 20000) frame.style.height = \`\${height}px\`;
  });
</script>`;
}

/** `key: value` lines of a model as JSON (the MyST directive's body). */
function json(model) {
  return JSON.stringify(model, null, 2);
}

/** A Python identifier for an attribute (`unit-ms` → `unit_ms`); the anywidget module reads both. */
function pyName(attr) {
  return attr.replaceAll("-", "_");
}

/**
 * Every recipe for one card: `[{ id, label, blocks: [{ caption, language, text }], note }]`.
 * The first two are the plain embeds; the rest are the same embeds as each tool wants them.
 * `attributeNames`: every attribute the element reads (for Hugo's shortcode file).
 */
export function recipes(lab, settings, attributeNames = settings.map(([k]) => k)) {
  const tag = elementTag(settings);
  const model = anywidgetModel(settings);
  const shortcodeArgs = settings.map(([k, v]) => ` ${k}=${hugoString(v)}`).join("");
  const pyTraits = Object.entries(model)
    .map(([k, v]) =>
      typeof v === "number"
        ? `    ${pyName(k)} = traitlets.Int(${v}).tag(sync=True)`
        : `    ${pyName(k)} = traitlets.Unicode(${JSON.stringify(v)}).tag(sync=True)`,
    )
    .join("\n");
  const all = [
    {
      id: "element",
      label: "Custom element",
      blocks: [{ caption: "HTML, anywhere in the page", language: "html", text: elementSnippet(lab, settings) }],
      note: "Runs in the page itself: the processes engine in an ordinary article, threads in a cross-origin isolated one. Add the script once per page.",
    },
    {
      id: "iframe",
      label: "iframe",
      blocks: [
        { caption: "HTML (the script sets the frame's height)", language: "html", text: iframeSnippet(lab, settings) },
      ],
      note: "Runs in its own frame, which isolates itself in Chromium (threads); the script is optional and only resizes the frame.",
    },
    {
      id: "mkdocs",
      label: "MkDocs Material",
      blocks: [
        {
          caption: "mkdocs.yml (add to it)",
          language: "yaml",
          text: `extra_javascript:\n  - path: ${widgetUrl(lab)}\n    type: module`,
        },
        { caption: "any page (.md): raw HTML", language: "html", text: tag },
      ],
      note: "Python-Markdown passes the tag through as raw HTML; the widget survives Material's instant navigation.",
    },
    {
      id: "myst",
      label: "MyST / Jupyter Book 2",
      blocks: [
        {
          caption: "any page (.md): the {anywidget} directive",
          language: "markdown",
          text: `:::{anywidget} ${anywidgetUrl(lab)}\n${json({ ...model, lab })}\n:::`,
        },
      ],
      note: "The directive's body is the widget's model: the same names as the element's attributes, and `lab`, where the lab is (MyST copies the module into your site, so the copy needs to be told).",
    },
    {
      id: "jupyter",
      label: "Jupyter (anywidget)",
      blocks: [
        {
          caption: "a notebook cell (pip install anywidget)",
          language: "python",
          // The module's URL quoted inside the ES module source, and that source a Python string.
          text: `import anywidget\nimport traitlets\n\n\nclass SpeedupLab(anywidget.AnyWidget):\n    _esm = ${JSON.stringify(`export { default } from ${JSON.stringify(anywidgetUrl(lab))};`)}\n${pyTraits}\n\n\nSpeedupLab()`,
        },
      ],
      note: "JupyterLab, Notebook, marimo and Colab: the same module, its traits synced as the model (unit_ms for unit-ms). In marimo, once per notebook: for a second lesson, leave out the imports and name the class _SpeedupLab (marimo refuses a name two cells define).",
    },
    {
      id: "docusaurus",
      label: "Docusaurus",
      blocks: [
        {
          caption: "docusaurus.config.js (add to the config)",
          language: "js",
          text: `scripts: [{ src: ${JSON.stringify(widgetUrl(lab))}, type: "module" }],`,
        },
        { caption: "any page (.mdx)", language: "jsx", text: tag },
      ],
      note: "MDX passes a custom element's attributes through as written.",
    },
    {
      id: "hugo",
      label: "Hugo",
      blocks: [
        {
          caption: "layouts/shortcodes/speedup-lab.html (a new file)",
          language: "go-html-template",
          text: hugoShortcode(lab, attributeNames),
        },
        { caption: "any page (.md)", language: "markdown", text: `{{< speedup-lab${shortcodeArgs} >}}` },
      ],
      note: "The shortcode passes on only the attributes the widget reads; a module script runs once however often it is included.",
    },
    {
      id: "wordpress",
      label: "WordPress",
      blocks: [{ caption: "a Custom HTML block", language: "html", text: elementSnippet(lab, settings) }],
      note: "Needs a role that may post scripts (administrators on a single site). Otherwise paste the lesson's link on a line of its own: WordPress finds the lab's oEmbed and shows the lesson, at its own settings, in a sandboxed frame, where it runs in Chromium and Firefox (not yet in Safari).",
    },
  ];
  // The python card: how its processes will block on each platform (docs/python.md).
  if (!settings.some(([k, v]) => k === "experiment" && v === "python")) return all;
  return all.map((r) => ({ ...r, note: `${r.note} ${r.id === "iframe" ? PYTHON_IN_FRAME : PYTHON_IN_PAGE}` }));
}

/** Where the python card runs in your page itself (the element, and every tool's embed of it). */
const PYTHON_IN_PAGE =
  "Python's processes: in parallel in Chromium ≥ 137, Firefox ≥ 153 and Safari ≥ 27 (a waiting process suspends by JSPI); one at a time in WebKitGTK and older Safari, whose card then offers to run the program on the lab's page.";
/** …and in the iframe, on the lab's origin. */
const PYTHON_IN_FRAME =
  "Python's processes: in parallel in Chromium (shared memory, the frame isolates itself), Firefox ≥ 153 and Safari ≥ 27 (JSPI); one at a time in WebKitGTK and older Safari, with a link to the lab's page.";

/**
 * A Hugo shortcode argument: a quoted string, or a raw (backquoted) one when the value holds a
 * backslash or a quote, which a quoted Go string would take as an escape (a trailing backslash
 * broke the page's build). Never HTML-escaped: the shortcode's template escapes what it writes
 * (an escaped `&lt;` came out as `&amp;lt;`; tests/sites/build-hugo.mjs builds the recipe with Hugo).
 */
function hugoString(value) {
  const text = String(value);
  if (!/[\\"]/.test(text)) return `"${text}"`;
  return `\`${text.replaceAll("`", "")}\``;
}

/**
 * A Hugo shortcode that writes the element with the attributes it was given. Its attribute list
 * is the element's own (`SpeedupLab.attributeNames()`: the core's table), so the file passes on
 * every attribute the widget reads, and no other.
 */
function hugoShortcode(lab, names) {
  const lines = names.map((k) => `{{- with .Get "${k}" }} ${k}="{{ . }}"{{ end }}`);
  return `<script type="module" src="${widgetUrl(lab)}"></script>\n<speedup-lab\n${lines.join("\n")}\n></speedup-lab>`;
}
