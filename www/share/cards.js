/**
 * The hosted page's cards, made from the lessons themselves: one `<speedup-lab>` per lesson in
 * the page's `<section id="…">` its `section` names, in the lessons' order (www/lessons/index.js).
 * So a lesson is registered once — its object and its line in index.js — and index.html holds only
 * the sections. app.js places them once the lessons have loaded; hosted.js waits for them.
 */
let placed;
/** Resolves with the cards once app.js has placed them. */
export const cardsPlaced = new Promise((resolve) => {
  placed = resolve;
});

/** Put a card for each of `lessons` in its section of `doc`; the link of the page's hash then
 * finds its card, which did not exist when the page first looked. */
export function placeCards(lessons, doc = document) {
  const cards = lessons.map((lesson) => {
    const section = doc.getElementById(lesson.section ?? "");
    if (!section) throw new Error(`index.html has no <section id="${lesson.section}"> for the lesson ${lesson.id}`);
    const card = doc.createElement("speedup-lab");
    card.id = lesson.id;
    card.setAttribute("experiment", lesson.id);
    section.append(card);
    return card;
  });
  placed(cards);
  const target = decodeURIComponent(doc.location?.hash.slice(1) ?? "");
  if (target) doc.getElementById(target)?.scrollIntoView();
  return cards;
}
