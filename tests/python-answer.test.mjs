// The python card's answer sentence (www/lessons/python.js `answer`), from a run's summary as
// www/python/session.js returns it: one plain sentence with the run's numbers for every kind of
// program — one process, a pool, processes joined or not, a failed run — in the guide's words
// and without a symbol a beginner must decode (the rules tests/browser/beginner.test.mjs checks
// in a browser on the default program only).
import assert from "node:assert/strict";
import { test } from "node:test";
import { doneIn, perfectsIn, python } from "../www/lessons/python.js";

const main = (over = {}) => ({
  name: "MainProcess",
  kind: "main",
  spawned: 0,
  booted: 1,
  started: 1,
  ended: 4,
  bootMs: 1000,
  tasks: [],
  ...over,
});
const child = (name, started, ended, over = {}) => ({
  name,
  kind: "process",
  spawned: started - 0.5,
  booted: started,
  started,
  ended,
  bootMs: 500,
  tasks: [],
  ...over,
});
const line = (process, text, t) => ({ process, stream: "stdout", text, t });
const run = ({ processes, lines, exitcode = 0, n = null, rust = null, totalS = 4 }) => ({
  python: { processes, exitcode, totalS },
  lines,
  n,
  rust,
  doneIn: doneIn(lines),
});

function plain(sentence) {
  assert.match(sentence, /\d/, `this run's numbers: ${sentence}`);
  assert.match(sentence, /process|pool|worker|in parallel/i, `the guide's words: ${sentence}`);
  assert.doesNotMatch(sentence, /×|Amdahl|FIFO|spans?\b/, `plain words: ${sentence}`);
  return sentence;
}

test("the lede before a run: one plain sentence in the guide's words", () => {
  assert.doesNotMatch(python.lede, /×|Amdahl|FIFO|spans?\b/);
  assert.match(python.lede, /process/);
  assert.equal(python.lede.split(/[.!?](\s|$)/).filter((s) => s.trim()).length, 1);
});

test("one process: its time, nothing in parallel", () => {
  const s = plain(
    python.answer(run({ processes: [main()], lines: [line("MainProcess", "Done in 2.0040 seconds", 3)] })),
  );
  assert.equal(
    s,
    "One process (the main program alone) ran it in 2.00 s: its steps ran one after another, nothing in parallel.",
  );
});

test("the perfect-number loop: the numbers it found, and the lab's Rust beside", () => {
  const lines = [6, 28, 496, 8128].map((x, i) => line("MainProcess", `${x} is a Perfect number`, 1 + i));
  lines.push(line("MainProcess", "Done in 5.6000 seconds", 6));
  const s = plain(python.answer(run({ processes: [main()], lines, n: 10_000, rust: { totalMs: 21.4 } })));
  assert.match(
    s,
    /^One process found the perfect numbers below 10\u2009000 \(6, 28, 496 and 8128\) in 5\.60 s; the lab's Rust did the same in 21\.4 ms\.$/,
  );
});

test("a pool: how much faster than one process alone (its tasks' summed time), start-up included", () => {
  const pool = (name, tasks) => child(name, 1.5, 3.5, { kind: "pool", started: 1.5, tasks });
  const processes = [
    main(),
    pool("SpawnPoolWorker-1", [{ task: 0, start: 1.5, end: 3.0 }]),
    pool("SpawnPoolWorker-2", [{ task: 1, start: 1.6, end: 3.4 }]),
  ];
  const lines = [
    line("SpawnPoolWorker-1", "6 is a Perfect number", 2),
    line("MainProcess", "Done in 2.0000 seconds", 3.6),
  ];
  const s = plain(python.answer(run({ processes, lines, n: 10_000 })));
  assert.match(
    s,
    /^A pool of 2 processes found the perfect numbers below 10\u2009000 \(6\) in 2\.00 s, its start-up included: it ran 1\.6 times as fast as one process alone would\.$/,
  );
  const sleepy = plain(python.answer(run({ processes, lines: [line("MainProcess", "Done in 4.0000 seconds", 3.6)] })));
  assert.match(sleepy, /did 2 tasks in 4\.00 s.*took 1\.2 times as long as one process alone would/);
});

test("processes without join: the timer read before they ended", () => {
  const processes = [main(), child("Process-1", 2, 3), child("Process-2", 2.1, 3.1)];
  const lines = [line("MainProcess", "Done in 0.0100 seconds", 1.1), line("Process-1", "Done sleeping", 3)];
  const s = plain(python.answer(run({ processes, lines })));
  assert.match(
    s,
    /^The timer said 0\.01 s because the program did not wait for its 2 processes \(no join\(\)\): they went on running until 3\.10 s after Run\.$/,
  );
});

test("processes joined: in parallel, their work one after another, and the start-up each paid", () => {
  const processes = [main(), child("Process-1", 2, 3), child("Process-2", 2.1, 3.1)];
  const lines = [line("MainProcess", "Done in 1.6000 seconds", 3.2)];
  const s = plain(python.answer(run({ processes, lines })));
  assert.match(
    s,
    /^2 processes ran in parallel: the program was done in 1\.60 s, where their work one after another would take 2\.00 s — but each process first spent about 0\.50 s starting its own Python\.$/,
  );
});

test("a failed run says so, and where to look", () => {
  const s = plain(python.answer(run({ processes: [main(), child("Process-1", 2, 2.1)], lines: [], exitcode: 1 })));
  assert.match(
    s,
    /^The program stopped with an error \(exit code 1\) after 4\.00 s, with 1 process besides the main one/,
  );
});

test("perfect numbers are read from the guide's print, whichever case", () => {
  assert.deepEqual(
    perfectsIn([
      line("P", "28 is a Perfect number", 0),
      line("P", "6 is a perfect number", 0),
      line("P", "hello 6", 0),
    ]),
    [28, 6],
  );
});
