/**
 * What the beginner-first checks share (tests/browser/beginner.test.mjs in Chromium,
 * scripts/phone-screenshots.mjs in the three engines): the phone, each card's small settings,
 * and the measure of a card's first screen.
 */

import { LESSONS } from "../../www/lessons/index.js";

/** A phone's viewport in CSS px (a common 6.1-inch phone). */
export const PHONE = { width: 390, height: 844 };

/**
 * Small settings per card (attribute → value), so all of them run in a minute or two on a busy
 * 2-core machine: each lesson's own `small` (www/lessons/), so every card of the hosted page is
 * here. The python card has no settings: it runs the program its editor opens with, the guide's
 * sleepy_man twice (2 s, one interpreter).
 */
export const SMALL = Object.fromEntries(LESSONS.map((lesson) => [lesson.id, lesson.small ?? {}]));

/**
 * In the page (self-contained: drivers send its source): what a reader sees at the top of the
 * card `el` — the visible words before its first canvas (text nodes in DOM order, inside
 * elements the browser renders; a closed disclosure's content is not rendered) and the first
 * canvas's top below the card's top, in CSS px.
 */
export function measureFirstScreen(el) {
  const root = el.shadowRoot;
  const card = root.querySelector(".card");
  const canvas = root.querySelector("canvas");
  const seen = (e) =>
    e.checkVisibility
      ? e.checkVisibility({ visibilityProperty: true, opacityProperty: true })
      : e.getClientRects().length > 0;
  const words = [];
  const walker = el.ownerDocument.createTreeWalker(card, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n === canvas) break;
    if (n.nodeType === Node.TEXT_NODE && seen(n.parentElement)) {
      words.push(...n.textContent.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)));
    }
  }
  return {
    words: words.length,
    text: words.join(" "),
    chartTop: canvas ? canvas.getBoundingClientRect().top - card.getBoundingClientRect().top : null,
    sentence: root.querySelector("header .lede").textContent,
  };
}
