/**
 * The lab's one HTML escape, for the HTML it writes as text: the Embed dialog's snippets
 * (www/share/recipes.js) and the lessons' own pages made at build time (scripts/link-cards.mjs).
 * Why it exists: a card's settings and a lesson's words end up inside attribute values and
 * elements of pages the lab does not own; escaped one way, they can never become markup.
 */

/** `&`, `<`, `>`, `"` escaped: for HTML text and double-quoted attribute values (`'` is kept). */
export function escapeHtml(value) {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
