/**
 * The engine boot's deadline. Why: a Worker can fail to start without ever firing an "error"
 * event. Firefox driven over WebDriver BiDi got stuck inside a nested `new Worker(...)` in about
 * 3 loads of 10 (docs/browsers.md), and a reader's browser can stall a Worker for its own
 * reasons (an extension, a proxy, memory pressure). Without a deadline the cards would say
 * "Starting the engine…" forever. Past it, client.js says what did not start and, for the
 * threads engine, hands over to the processes engine; a processes engine that does not start
 * becomes a clear error in the card.
 */
import { deadlineOr, deadlineText } from "./deadline.js";
import { override } from "./overrides.js";

/**
 * 20 s: the threads boot (wasm compile + a pool of at least 10 Workers) takes 0.1–1.5 s on a
 * 2-core machine and a few seconds when that machine is heavily loaded, so only a real hang
 * gets this far.
 */
export const BOOT_DEADLINE_MS = 20_000;

/**
 * The deadline in force: the `bootDeadlineMs` override (overrides.js), when a page (or a test
 * that makes the boot hang on purpose) sets it to a positive number before the engine starts, or
 * BOOT_DEADLINE_MS.
 */
export function bootDeadlineMs() {
  return deadlineOr(override("bootDeadlineMs"), BOOT_DEADLINE_MS);
}

/** What did not start, in words a reader can act on. */
export class BootTimeoutError extends Error {
  constructor(kind, ms) {
    const what =
      kind === "threads"
        ? "its coordinator Worker and thread pool never reported ready"
        : "its coordinator Worker never reported ready";
    super(`The ${kind} engine did not start within ${deadlineText(ms)}: ${what}.`);
    this.name = "BootTimeoutError";
    this.engine = kind;
  }
}

/**
 * `booting`, or a BootTimeoutError once the deadline passes first. The race leaves one reaction
 * on a boot that never settles: once per boot, not per run, so nothing accumulates.
 */
export function withBootDeadline(booting, kind, ms = bootDeadlineMs()) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new BootTimeoutError(kind, ms)), ms);
  });
  return Promise.race([booting, deadline]).finally(() => clearTimeout(timer));
}
