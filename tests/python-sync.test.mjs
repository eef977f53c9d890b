// The run's shared objects (www/python/sync.js), driven directly: who gets which answer, in which
// order, and when a timeout ends a wait (a fake clock: no test here waits for real time).
import assert from "node:assert/strict";
import { test } from "node:test";
import { syncBroker } from "../www/python/sync.js";

function harness() {
  const answers = [];
  const timers = [];
  const broker = syncBroker({
    reply: (who, m) => answers.push({ who, ...m }),
    later: (fn, ms) => {
      const timer = { fn, ms, live: true };
      timers.push(timer);
      return () => {
        timer.live = false;
      };
    },
  });
  let req = 0;
  const ask = (who, id, op, args = {}) => {
    broker.handle(who, { type: "sync", id, op, req: ++req, ...args });
    return req;
  };
  const answer = (r) => answers.find((a) => a.req === r);
  const fire = () => {
    for (const t of timers.splice(0)) if (t.live) t.fn();
  };
  return { broker, ask, answer, answers, fire, timers };
}

test("a queue: first in, first out; a get waits for a put; a timeout ends in Empty; maxsize holds a put", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "q", kind: "queue", maxsize: 1 });
  const waiting = h.ask("B", "q", "get", {});
  assert.equal(h.answer(waiting), undefined, "an empty queue's get waits");
  const put1 = h.ask("A", "q", "put", { item: "one" });
  assert.deepEqual([h.answer(put1).ok, h.answer(waiting).value], [true, "one"]);
  h.ask("A", "q", "put", { item: "two" });
  const blocked = h.ask("A", "q", "put", { item: "three", timeout: 0.5 });
  assert.equal(h.answer(blocked), undefined, "a full queue's put waits");
  assert.equal(h.answer(h.ask("B", "q", "get")).value, "two");
  assert.equal(h.answer(blocked).ok, true, "the get made room");
  const late = h.ask("B", "q", "get", { timeout: 0.1 });
  assert.equal(h.answer(late).value, "three");
  const empty = h.ask("B", "q", "get", { timeout: 0.1 });
  h.fire();
  assert.deepEqual([h.answer(empty).ok, h.answer(empty).error], [false, "Empty"]);
  assert.equal(h.answer(h.ask("B", "q", "get", { block: false })).error, "Empty");
});

test("a pipe's direction: EOF only once every copy of the write end is closed, by close() or its holder's end", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "p", kind: "queue", maxsize: 0, writer: "A" });
  h.broker.handle("A", { op: "hold", id: "p", for: "B" }); // pickled for B as B starts
  const poll = h.ask("C", "p", "poll", { timeout: null });
  h.ask("B", "p", "put", { item: "x" });
  assert.equal(h.answer(poll).value, true);
  h.ask("B", "p", "close-writer");
  assert.equal(h.answer(h.ask("B", "p", "put", { item: "y" })).error, "OSError", "B's copy is closed");
  assert.equal(h.answer(h.ask("C", "p", "get")).value, "x", "what was sent before the close is read");
  const waiting = h.ask("C", "p", "get");
  assert.equal(h.answer(waiting), undefined, "A still holds a copy: no EOF yet");
  h.broker.ended("A"); // A's end closes what it held
  assert.equal(h.answer(waiting).error, "EOFError");
  assert.equal(h.answer(h.ask("C", "p", "poll", { timeout: 0 })).value, true, "poll says a read would not block");
});

test("locks: a Lock wakes its waiters in order; an RLock is its owner's; over-release is CPython's ValueError", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "l", kind: "lock" });
  assert.equal(h.answer(h.ask("A", "l", "acquire")).value, true);
  const b = h.ask("B", "l", "acquire");
  const c = h.ask("C", "l", "acquire");
  assert.equal(h.answer(h.ask("D", "l", "acquire", { block: false })).value, false);
  h.ask("A", "l", "release");
  assert.equal(h.answer(b).value, true);
  assert.equal(h.answer(c), undefined, "one at a time, first come first served");
  h.ask("B", "l", "release");
  assert.equal(h.answer(c).value, true);
  h.ask("C", "l", "release");
  assert.match(h.answer(h.ask("C", "l", "release")).message, /released too many times/);

  h.broker.handle("A", { op: "new", id: "r", kind: "rlock" });
  h.ask("A", "r", "acquire");
  assert.equal(h.answer(h.ask("A", "r", "acquire")).value, true, "re-entered by its owner");
  assert.equal(h.answer(h.ask("B", "r", "release")).error, "AssertionError");
  const timed = h.ask("B", "r", "acquire", { timeout: 1 });
  h.fire();
  assert.equal(h.answer(timed).value, false, "a timed acquire ends False");
});

test("a Condition: wait releases the lock, notify wakes one, which gets the lock back first", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "lock", kind: "rlock" });
  h.broker.handle("A", { op: "new", id: "cond", kind: "condition", lock: "lock" });
  h.ask("B", "lock", "acquire");
  const waiting = h.ask("B", "cond", "wait", { timeout: null });
  assert.equal(h.answer(h.ask("A", "lock", "acquire")).value, true, "the waiter released the lock");
  h.ask("A", "cond", "notify", { n: 1 });
  assert.equal(h.answer(waiting), undefined, "woken, but the lock is still A's");
  h.ask("A", "lock", "release");
  assert.equal(h.answer(waiting).value, true);
  assert.equal(h.answer(h.ask("C", "lock", "acquire", { block: false })).value, false, "B holds it again");
  assert.equal(h.answer(h.ask("C", "cond", "wait")).error, "ValueError", "wait without the lock");
});

test("an Event and a Barrier: set wakes every waiter; a barrier's timeout breaks it for all", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "e", kind: "event" });
  const w = [h.ask("B", "e", "wait"), h.ask("C", "e", "wait")];
  h.ask("A", "e", "set");
  assert.deepEqual(
    w.map((r) => h.answer(r).value),
    [true, true],
  );
  h.broker.handle("A", { op: "new", id: "b", kind: "barrier", parties: 3 });
  const first = [h.ask("A", "b", "wait"), h.ask("B", "b", "wait")];
  assert.equal(h.answer(h.ask("C", "b", "wait")).value, 2);
  assert.deepEqual(
    first.map((r) => h.answer(r).value),
    [0, 1],
  );
  const lonely = h.ask("A", "b", "wait", { timeout: 0.1 });
  h.fire();
  assert.equal(h.answer(lonely).error, "BrokenBarrierError");
  assert.equal(h.answer(h.ask("B", "b", "wait")).error, "BrokenBarrierError", "broken until reset");
  h.ask("A", "b", "reset");
  assert.deepEqual(h.answer(h.ask("A", "b", "state")).value, { waiting: 0, broken: false });
});

test("a Barrier with an action: the last to arrive runs it before the others go; an abort breaks them all", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "b", kind: "barrier", parties: 2 });
  const first = h.ask("A", "b", "wait", { action: true });
  assert.equal(h.answer(h.ask("B", "b", "wait", { action: true })).value, 1, "the last one goes, to run the action");
  assert.equal(h.answer(first), undefined, "the others wait for the action");
  h.ask("B", "b", "go");
  assert.equal(h.answer(first).value, 0);
  const again = h.ask("A", "b", "wait", { action: true });
  h.ask("B", "b", "wait", { action: true });
  h.ask("B", "b", "abort");
  assert.equal(h.answer(again).error, "BrokenBarrierError", "the action raised: everyone's wait breaks");
});

test("a store (Value, Array): set and read back ranges; bad requests get an answer, never a throw", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "s", kind: "store", values: [0, 0, 0] });
  h.ask("A", "s", "set", { start: 1, values: [5, 6] });
  assert.deepEqual(h.answer(h.ask("B", "s", "get_values", { start: 0, stop: 3 })).value, [0, 5, 6]);
  assert.equal(h.answer(h.ask("B", "s", "set", { start: 2, values: [1, 2] })).error, "ValueError");
  assert.equal(h.answer(h.ask("B", "nothing", "get")).error, "KeyError");
  assert.equal(h.answer(h.ask("B", "s", "no-such-op")).error, "KeyError");
  h.broker.handle("B", { type: "sync", op: "get", id: "s" }); // no request id: dropped
  h.broker.handle("B", { op: "new", id: "x", kind: "condition", lock: "absent" }); // refused
  assert.equal(h.broker.size, 1);
  h.broker.close();
  assert.equal(h.broker.size, 0);
});

test("abandon: a wait a signal ended is forgotten; a Condition's waiter gets its lock back first", () => {
  const h = harness();
  h.broker.handle("A", { op: "new", id: "l", kind: "rlock" });
  h.broker.handle("A", { op: "new", id: "c", kind: "condition", lock: "l" });
  h.ask("A", "l", "acquire");
  const waiting = h.ask("A", "c", "wait");
  assert.equal(h.answer(waiting), undefined);
  h.ask("B", "l", "acquire");
  const back = h.ask("A", "c", "abandon", { of: waiting });
  assert.equal(h.answer(back), undefined, "B holds the lock: A's abandon waits for it");
  h.ask("B", "l", "release");
  assert.equal(h.answer(back).ok, true, "A has its lock again");
  assert.equal(h.answer(h.ask("A", "l", "release")).ok, true, "and may release it");
  h.broker.handle("A", { op: "new", id: "q", kind: "queue" });
  const get = h.ask("A", "q", "get");
  h.ask("A", "q", "abandon", { of: get });
  h.ask("B", "q", "put", { item: "x" });
  assert.equal(h.answer(get), undefined, "the abandoned get takes nothing");
  assert.equal(h.answer(h.ask("C", "q", "get")).value, "x", "the item waits for the next get");
});
