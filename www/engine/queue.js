/**
 * The page's one run queue: every run of every card — an engine run (client.js) or a lesson's
 * own job on the page (parallel-writes' writers) — waits for the one before it. One at a time,
 * so ten cards share the machine instead of starving it, two cards never write at once, and
 * no run's figures include another card's work.
 */
import { abortError } from "./abort.js";

let tail = Promise.resolve();

/**
 * Run `job()` once the jobs queued before it have settled; resolves or rejects as it does. A
 * `signal` aborted while waiting makes it reject with an AbortError when its turn comes,
 * without running.
 */
export function enqueue(job, signal) {
  const go = () => {
    if (signal?.aborted) throw abortError();
    return job();
  };
  const result = tail.then(go, go);
  tail = result.catch(() => {});
  return result;
}
