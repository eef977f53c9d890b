/**
 * A card's Embed button (the hosted page's cards, a lesson's own page): it opens the Embed dialog,
 * whose module (and its recipes) is fetched on the first press, so nothing of it is on the way to
 * the page's first result. A failed fetch (offline) is said on the button; the next press retries.
 */
import { h } from "../ui/dom.js";

/** Append the Embed button to `card` (in its `actions` slot). */
export function addEmbedButton(card) {
  const button = h("button", { type: "button", slot: "actions", class: "embed-button", text: "Embed" });
  button.addEventListener("click", () =>
    import("./embed-dialog.js")
      .then((dialog) => {
        button.textContent = "Embed";
        return dialog.openEmbedDialog(card);
      })
      .catch((error) => {
        button.textContent = "Embed (could not load: press to retry)";
        button.title = String(error?.message ?? error);
      }),
  );
  card.append(button);
  return button;
}
