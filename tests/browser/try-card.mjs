/**
 * One in-page probe for the bad-input tests of every driver: make a fresh `<speedup-lab>` with
 * `attrs`, run it, and report what the reader and the page saw. Self-contained (no closure), so
 * Playwright's `page.evaluate(tryCardInPage, attrs)` and WebDriver's
 * `inPage(driver, tryCardInPage, attrs)` can both send it into the page.
 *
 * Returns `{ rejected, events, shown, markup, blank, results }`: the run's rejection message (or
 * null), the `speedup-lab:error` event details, the visible error texts, how many elements that
 * attributes must never create (img, script, b, iframe), whether the card is blank, and how many
 * results it drew.
 */
export async function tryCardInPage(attrs) {
  const el = document.createElement("speedup-lab");
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const events = [];
  el.addEventListener("speedup-lab:error", (e) => events.push(e.detail));
  document.body.append(el);
  let rejected = null;
  try {
    // a bad input must be refused at once; 15 s only turns a hang into a clear failure
    await Promise.race([el.run(), new Promise((_, no) => setTimeout(() => no(new Error("hang")), 15_000))]);
  } catch (e) {
    rejected = e.message;
  }
  const shown = [...el.shadowRoot.querySelectorAll(".error")].filter((x) => !x.hidden).map((x) => x.textContent);
  const markup = el.shadowRoot.querySelectorAll("img, script, b, iframe").length;
  const blank = el.shadowRoot.textContent.trim() === "";
  const results = el.shadowRoot.querySelector(".results")?.childElementCount ?? 0;
  el.remove();
  return { rejected, events, shown, markup, blank, results };
}
