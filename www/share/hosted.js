/**
 * The hosted page's sharing: an Embed button on every card (the dialog: embed-dialog.js), and each
 * card's settings kept in the page's URL, so that a reader's "try N = 100 000" is a link.
 *
 * The URL holds `?<card id>.<attribute>=<value>` for each setting that differs from the lesson's
 * default (e.g. `?perfect.n=100000#perfect`), written with history.replaceState as the reader
 * types (no new history entry per keystroke). Opening such a link sets those attributes on the
 * cards — as strings, through setAttribute, only names the element reads — so a bad value gets
 * the card's usual message, never markup.
 */

import { programFromHash } from "../python/handover.js";
import { setSetting } from "../widget/set-setting.js";
import { cardsPlaced } from "./cards.js";
import { addEmbedButton } from "./embed-button.js";

const cards = await cardsPlaced(); // by app.js, from the lessons (cards.js)

/** Set each card's attributes from the URL's `<id>.<attribute>` parameters. */
async function restore(names) {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of query) {
    const dot = key.indexOf(".");
    const card = dot > 0 && document.getElementById(key.slice(0, dot));
    const attr = key.slice(dot + 1);
    if (card?.localName !== "speedup-lab" || attr === "experiment" || !names.includes(attr)) continue;
    setSetting(card, attr, value);
  }
}

/**
 * A program handed over by a python card in an author's page (www/python/handover.js): it
 * becomes the python card's own program (a text node, never markup), and the fragment is
 * cleared so that a reload does not bring it back over the reader's edits.
 */
function adoptProgram() {
  const program = programFromHash(location.hash);
  const card = document.getElementById("python");
  if (program === null || card?.getAttribute("experiment") !== "python") return;
  for (const n of [...card.childNodes]) if (n.nodeType === Node.TEXT_NODE) n.remove();
  card.prepend(document.createTextNode(program));
  // Connected again, the card renders anew and reads its text as the program.
  const { parentNode, nextSibling } = card;
  card.remove();
  parentNode.insertBefore(card, nextSibling);
  history.replaceState(history.state, "", `${location.pathname}${location.search}#python`);
  card.scrollIntoView();
}

/** Write `card`'s settings into the URL (replacing its previous ones). */
function remember(card) {
  const url = new URL(location.href);
  for (const key of [...url.searchParams.keys()]) {
    if (key.startsWith(`${card.id}.`)) url.searchParams.delete(key);
  }
  for (const [k, v] of card.settings) if (k !== "experiment") url.searchParams.set(`${card.id}.${k}`, v);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

if (cards.length > 0) {
  await customElements.whenDefined("speedup-lab"); // by www/app.js's import of the widget
  const names = await customElements.get("speedup-lab").attributeNames();
  adoptProgram();
  await restore(names);
  for (const card of cards) {
    addEmbedButton(card);
    // `input` is composed: the card's inputs tell the page through its shadow root.
    card.addEventListener("input", () => remember(card));
    card.addEventListener("speedup-lab:done", () => remember(card));
  }
}
