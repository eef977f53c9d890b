/**
 * The hosted page's cards, made from the lessons themselves: one `<speedup-lab>` per lesson in
 * the page's `<section id="…">` its `section` names, in the lessons' order (www/lessons/index.js).
 * So a lesson is registered once — its object and its line in index.js — and index.html holds only
 * the sections. app.js places them once the lessons have loaded; hosted.js waits for them.
 *
 * The signal is the document's (a data attribute and an event), not this module's state: in dist/
 * app.js is a bundle and hosted.js is not, so each holds its own copy of this module.
 */
const PLACED = "speedup-lab:cards-placed";

/** Put a card for each of `lessons` in its section of `doc`, then say so. The page's hash names a
 * card that did not exist when the page first looked: it is scrolled to now. */
export function placeCards(lessons, doc = document) {
  const main = doc.querySelector("main") ?? doc.body;
  const cards = lessons.map((lesson) => {
    const card = doc.createElement("speedup-lab");
    card.id = lesson.id;
    card.setAttribute("experiment", lesson.id);
    // a lesson naming no section of the page still gets its card, at the end (tests/lesson-objects.test.mjs
    // holds every lesson to a section of index.html)
    (doc.getElementById(lesson.section ?? "") ?? main).append(card);
    return card;
  });
  doc.documentElement.dataset.cardsPlaced = "true";
  doc.dispatchEvent(new Event(PLACED));
  let target = "";
  try {
    target = decodeURIComponent(doc.location?.hash.slice(1) ?? "");
  } catch {
    // a malformed hash (`#100%`) names no card
  }
  if (target) doc.getElementById(target)?.scrollIntoView();
  return cards;
}

/** The page's cards, once app.js has placed them. */
export function cardsPlaced(doc = document) {
  const found = () => [...doc.querySelectorAll("main speedup-lab[id]")];
  if (doc.documentElement.dataset.cardsPlaced) return Promise.resolve(found());
  return new Promise((resolve) => doc.addEventListener(PLACED, () => resolve(found()), { once: true }));
}
