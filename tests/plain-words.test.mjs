// The words of a card's answer sentence (www/lessons/plain.js): ratios said the way a beginner
// says them, never with "×", and well-formed at the edges (about equal, slower, not measured).
import assert from "node:assert/strict";
import { test } from "node:test";
import { asFast, count, list } from "../www/lessons/plain.js";

test("a gain reads as 'ran … times as fast as', a loss as 'took … times as long as'", () => {
  assert.equal(asFast(1.93, "the loop"), "ran 1.9 times as fast as the loop");
  assert.equal(asFast(0.5, "the loop"), "took 2.0 times as long as the loop");
  assert.equal(asFast(12.4, "one"), "ran 12 times as fast as one");
  assert.equal(asFast(1 / 21_212, "the loop"), "took 21\u2009212 times as long as the loop");
});

test("within 5 % either way it is 'about as fast'; a missing time is said, not divided", () => {
  assert.equal(asFast(1.04, "one"), "ran about as fast as one");
  assert.equal(asFast(0.96, "one"), "ran about as fast as one");
  assert.equal(asFast(Number.POSITIVE_INFINITY, "the loop"), "was not compared with the loop");
  assert.equal(asFast(0, "the loop"), "was not compared with the loop");
  assert.equal(asFast(Number.NaN, "the loop"), "was not compared with the loop");
});

test("no symbol a beginner must decode", () => {
  for (const g of [0.01, 0.7, 1, 1.2, 3, 150]) assert.doesNotMatch(asFast(g, "one"), /×/);
});

test("counts and lists in words", () => {
  assert.equal(count(1, "worker"), "1 worker");
  assert.equal(count(4, "worker"), "4 workers");
  assert.equal(list([6, 28, 496]), "6, 28 and 496");
  assert.equal(list([6]), "6");
  assert.equal(list([]), "none");
});
