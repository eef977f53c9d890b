/** Every lesson, in the order the guide teaches them; ids as in design.md. */
import { homework } from "./homework.js";
import { loadBalance } from "./load-balance.js";
import { parallelWrites } from "./parallel-writes.js";
import { perfect } from "./perfect.js";
import { python } from "./python.js";
import { randomForest } from "./random-forest.js";
import { manySleepers, poolMapSleep, sleepSeq, startJoin, startNoJoin } from "./sleep.js";
import { speedup } from "./speedup.js";

// In the order of design.md: the guide's lessons (its opening story, its "I/O processes" and its
// "training models" among them), then what goes beyond the guide.
export const LESSONS = [
  sleepSeq,
  startNoJoin,
  startJoin,
  manySleepers,
  poolMapSleep,
  perfect,
  homework,
  parallelWrites,
  randomForest,
  python,
  speedup,
  loadBalance,
];

export const LESSON_IDS = LESSONS.map((l) => l.id);

export function lessonById(id) {
  return LESSONS.find((l) => l.id === id) ?? null;
}
