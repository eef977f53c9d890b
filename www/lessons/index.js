/** Every lesson, in the order the guide teaches them; ids as in design.md. */
import { loadBalance } from "./load-balance.js";
import { perfect } from "./perfect.js";
import { randomForest } from "./random-forest.js";
import { manySleepers, poolMapSleep, sleepSeq, startJoin, startNoJoin } from "./sleep.js";
import { speedup } from "./speedup.js";

export const LESSONS = [
  sleepSeq,
  startNoJoin,
  startJoin,
  manySleepers,
  poolMapSleep,
  perfect,
  speedup,
  loadBalance,
  randomForest,
];

export const LESSON_IDS = LESSONS.map((l) => l.id);

export function lessonById(id) {
  return LESSONS.find((l) => l.id === id) ?? null;
}
