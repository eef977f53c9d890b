/**
 * A lesson's own page (lessons/<id>.html, written by scripts/link-cards.mjs): the page a shared
 * link opens, and the one chats, Medium and WordPress read for its card (OpenGraph, oEmbed). Its
 * query holds the card's settings as attributes (`?n=100000&workers=4`, the Embed dialog's link):
 * set on the card as strings, only names the element reads, so a bad value gets the card's usual
 * message. It has the Embed button too.
 */
import { h } from "../ui/dom.js";
import { setSetting } from "../widget/set-setting.js";

/** The Embed dialog (and its recipes), fetched on the first click: nothing of it is on the way to
 * the page's first result. */
const openEmbedDialog = (card, button) =>
  import("./embed-dialog.js")
    .then((dialog) => {
      button.textContent = "Embed";
      return dialog.openEmbedDialog(card);
    })
    .catch((error) => {
      // offline, say: the button says so, and the next press tries again
      button.textContent = "Embed (could not load: press to retry)";
      button.title = String(error?.message ?? error);
    });

const card = document.querySelector("speedup-lab");
await customElements.whenDefined("speedup-lab"); // by the page's widget script
const names = await customElements.get("speedup-lab").attributeNames();
for (const [key, value] of new URLSearchParams(location.search)) {
  if (key !== "experiment" && names.includes(key)) setSetting(card, key, value);
}
const button = h("button", { type: "button", slot: "actions", class: "embed-button", text: "Embed" });
button.addEventListener("click", () => openEmbedDialog(card, button));
card.append(button);
