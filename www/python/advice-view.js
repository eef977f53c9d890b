/**
 * The python card's advice (advice.js): one paragraph per condition that held in this run, in a
 * disclosure after "Where the time went" — nothing at all when none held. Each paragraph carries
 * its condition's id (`data-advice`), which the browser tests read.
 */
import { h } from "../ui/dom.js";
import { advice } from "./advice.js";

export function adviceView(out, python) {
  const notes = advice(python);
  if (notes.length === 0) return;
  const box = out.more(
    `What would make it faster: ${notes.length === 1 ? "one note" : `${notes.length} notes`} from this run`,
    "advice",
  );
  for (const { id, text } of notes) box.append(h("p", { class: "note", "data-advice": id, text }));
}
