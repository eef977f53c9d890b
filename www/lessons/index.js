/** Every lesson, in the order the guide teaches them; ids as in design.md. */
import { homework } from "./homework.js";
import { loadBalance } from "./load-balance.js";
import { parallelWrites } from "./parallel-writes.js";
import { perfect } from "./perfect.js";
import { manySleepers, poolMapSleep, sleepSeq, startJoin, startNoJoin } from "./sleep.js";
import { speedup } from "./speedup.js";

export const LESSONS = [sleepSeq, startNoJoin, startJoin, manySleepers, poolMapSleep, perfect, speedup, loadBalance];
// The rest of the guide: its opening story and its "I/O processes" (issue 11).
LESSONS.splice(LESSONS.indexOf(perfect) + 1, 0, homework, parallelWrites);

export const LESSON_IDS = LESSONS.map((l) => l.id);

export function lessonById(id) {
  return LESSONS.find((l) => l.id === id) ?? null;
}
