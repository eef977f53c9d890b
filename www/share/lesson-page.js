/**
 * A lesson's own page (lessons/<id>.html, written by scripts/link-cards.mjs): the page a shared
 * link opens, and the one chats, Medium and WordPress read for its card (OpenGraph, oEmbed). Its
 * query holds the card's settings as attributes (`?n=100000&workers=4`, the Embed dialog's link):
 * set on the card as strings, only names the element reads, so a bad value gets the card's usual
 * message. It has the Embed button too.
 */
import { h } from "../ui/dom.js";
import { openEmbedDialog } from "./embed-dialog.js";

const card = document.querySelector("speedup-lab");
await customElements.whenDefined("speedup-lab"); // by the page's widget script
const names = await customElements.get("speedup-lab").attributeNames();
for (const [key, value] of new URLSearchParams(location.search)) {
  if (key !== "experiment" && names.includes(key)) card.setAttribute(key, value.slice(0, 64));
}
const button = h("button", { type: "button", slot: "actions", class: "embed-button", text: "Embed" });
button.addEventListener("click", () => openEmbedDialog(card));
card.append(button);
