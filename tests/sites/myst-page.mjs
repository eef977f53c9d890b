/**
 * A MyST page as the book theme shows it, for machines where `myst build --html` cannot fetch its
 * theme: the page's AST from mystmd itself (`myst build --site`, content/index.json), headings and
 * paragraphs as text, and each `{anywidget}` node rendered by myst-theme's own renderer
 * (`ANY_RENDERERS.anywidget` of the npm @myst-theme/anywidget, which the theme uses: it imports the
 * module, makes its model from the directive's JSON body, and calls `render({ model, el })` in a
 * shadow root). Bundled with React by tests/sites/build.mjs (esbuild).
 */
import { ANY_RENDERERS } from "@myst-theme/anywidget";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

const text = (node) => (node.value ?? "") + (node.children ?? []).map(text).join("");

function block(node, parent) {
  if (node.type === "heading")
    parent.append(Object.assign(document.createElement(`h${node.depth}`), { textContent: text(node) }));
  else if (node.type === "paragraph")
    parent.append(Object.assign(document.createElement("p"), { textContent: text(node) }));
  else if (node.type === "anywidget") {
    const host = document.createElement("div");
    parent.append(host);
    createRoot(host).render(createElement(ANY_RENDERERS.anywidget, { node }));
  } else for (const child of node.children ?? []) block(child, parent);
}

const page = await (await fetch("content/index.json")).json();
const article = document.getElementById("article");
article.append(Object.assign(document.createElement("h1"), { textContent: page.frontmatter?.title ?? "" }));
block(page.mdast, article);
