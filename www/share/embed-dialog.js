/**
 * The hosted page's Embed dialog, as YouTube, CodePen and Observable give one: for one card's
 * *current* settings, the snippet for each tool an author writes with (recipes.js), each with a
 * Copy button, the lesson's link for platforms that take no HTML, and a live preview — the
 * iframe embed itself, with the same settings, which shows what every snippet shows.
 *
 * A native <dialog> (focus trapped, Escape closes) built with h(): every value shown is text.
 */
import { h } from "../ui/dom.js";
import { frameUrl, recipes } from "./recipes.js";

/** The lab's site root: this module is www/share/embed-dialog.js. */
export const LAB = new URL("../../", import.meta.url).href;

/** The lesson's shareable page (link card, oEmbed), with the card's settings in its query. */
export function lessonLink(lab, settings) {
  const id = settings.find(([k]) => k === "experiment")?.[1] ?? "";
  const url = new URL(`lessons/${encodeURIComponent(id)}.html`, lab);
  for (const [k, v] of settings) if (k !== "experiment") url.searchParams.set(k, v);
  return url.href;
}

/** Copy `text`; says so on `button`. The clipboard API needs a secure context and may be refused. */
async function copy(text, button, pre) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // Fallback: select the text, so that Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents(pre);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }
  button.textContent = ok ? "Copied ✓" : "Selected: press Ctrl+C";
  setTimeout(() => {
    button.textContent = "Copy";
  }, 2000);
}

/** A block of code with its caption and a Copy button. */
function codeBlock({ caption, language, text }) {
  const pre = h("pre", { class: "snippet", "data-language": language, tabindex: "0" }, h("code", { text }));
  const button = h("button", { type: "button", class: "copy", text: "Copy" });
  button.addEventListener("click", () => copy(text, button, pre));
  return h("figure", { class: "block" }, h("figcaption", {}, h("span", { text: caption }), button), pre);
}

/**
 * Open the dialog for `card` (a <speedup-lab>). `title` is the lesson's title, as the card shows
 * it. Returns the <dialog> (removed from the page when closed).
 */
export async function openEmbedDialog(card, { lab = LAB } = {}) {
  const settings = card.settings;
  const names = await card.constructor.attributeNames();
  const all = recipes(lab, settings, names);
  const title = card.shadowRoot?.querySelector("h2")?.textContent ?? settings[0][1];

  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "where you write" });
  const panel = h("div", { class: "panel", role: "tabpanel" });
  const show = (recipe) => {
    for (const b of tabs.children) b.setAttribute("aria-selected", String(b.dataset.recipe === recipe.id));
    panel.dataset.recipe = recipe.id;
    panel.replaceChildren(...recipe.blocks.map(codeBlock), h("p", { class: "note", text: recipe.note }));
  };
  for (const recipe of all) {
    tabs.append(
      h("button", {
        type: "button",
        role: "tab",
        "data-recipe": recipe.id,
        text: recipe.label,
        onclick: () => show(recipe),
      }),
    );
  }
  show(all[0]);

  const chosen = settings.filter(([k]) => k !== "experiment");
  const preview = h("iframe", {
    class: "preview",
    title: `Preview: ${title}`,
    src: frameUrl(lab, settings, "embed-preview"),
    allow: "cross-origin-isolated",
    height: "420",
  });
  const onMessage = (event) => {
    if (event.source !== preview.contentWindow || event.data?.type !== "speedup-lab:resize") return;
    const height = Number(event.data.height);
    if (Number.isFinite(height) && height > 0) preview.style.height = `${Math.min(height, 900)}px`;
  };
  addEventListener("message", onMessage);

  const close = h("button", { type: "button", class: "close", "aria-label": "Close", text: "×" });
  const dialog = h(
    "dialog",
    { class: "embed-dialog", "aria-labelledby": "embed-dialog-title" },
    h("header", {}, h("h2", { id: "embed-dialog-title", text: `Embed: ${title}` }), close),
    h("p", {
      class: "settings",
      text: chosen.length
        ? `With this card's settings: ${chosen.map(([k, v]) => `${k} = ${v}`).join(", ")}.`
        : "With the lesson's default settings (change the card's inputs to embed others).",
    }),
    tabs,
    panel,
    h(
      "section",
      { class: "link" },
      h("h3", { text: "Link, for chats, Medium and other places that take no HTML" }),
      codeBlock({
        caption: "shows a card with the lesson's chart (OpenGraph, oEmbed)",
        language: "url",
        text: lessonLink(lab, settings),
      }),
    ),
    h("section", { class: "preview-wrap" }, h("h3", { text: "Preview" }), preview),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    removeEventListener("message", onMessage);
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
