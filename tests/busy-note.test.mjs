// The card's note on a disappointing speedup: silent when the run gains what the lesson gives,
// "too little work" for a short run, "other programs" for a long one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { busyMachineNote } from "../www/lessons/busy.js";

test("no note when the gain is at least half the ideal's, or with one worker", () => {
  assert.equal(busyMachineNote(1.5, 2, 500), null);
  assert.equal(busyMachineNote(1.9, 2, 20), null);
  assert.equal(busyMachineNote(0.5, 1, 500), null);
});

test("a short run is called short, a long one blames the machine's other work", () => {
  assert.match(busyMachineNote(0.9, 2, 16), /this run is short \(16(\.0)? ms on one worker\)/);
  assert.doesNotMatch(busyMachineNote(0.9, 2, 16), /Other programs/);
  assert.match(busyMachineNote(1.2, 2, 350), /Other programs were probably using the cores/);
});
