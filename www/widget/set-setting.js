/**
 * A card's setting that comes from outside — a URL's query (embed.html, the hosted page, a
 * lesson's own page) — set as the element's attribute. Why it exists: such a value is anyone's
 * text, so it goes in one way only: as a string, through setAttribute (nothing reaches markup),
 * cut to MAX_SETTING_CHARS so that a link cannot hand the card a megabyte; a bad value then gets
 * the card's usual message. (www/widget/anywidget.js cuts alike but keeps its own line: MyST
 * copies that module alone into the site it builds, so it can import nothing beside it.)
 */

/** The longest value taken from outside: every real setting is far shorter. */
export const MAX_SETTING_CHARS = 64;

/** `value` as text, cut to MAX_SETTING_CHARS. */
export function clipSetting(value) {
  return String(value).slice(0, MAX_SETTING_CHARS);
}

/** Set `card`'s attribute `name` to `value`, as clipped text. */
export function setSetting(card, name, value) {
  card.setAttribute(name, clipSetting(value));
}
