/**
 * Every message a Python Worker sends the page, checked field by field before the page uses it.
 * A reader's program runs in those Workers: whatever it manages to post, the page acts only on
 * the shapes below (a bad one is dropped), and never takes it for the lab's own messages.
 *
 * `checkedEvent(raw)` → the event, or null:
 *   {type: "lines", lines: [{stream: "stdout"|"stderr", text, t, process?}], dropped}
 *   {type: "started", t}   {type: "want", seen}   {type: "mp", message: {type, …}, t}
 *   {type: "memory", bytes}  (the interpreter's wasm memory, after it grew)
 *   {type: "block", id, buffer}  (a shared block it made: a SharedArrayBuffer, multiprocessing/_block.py)
 */
import { MAX_LINE_CHARS } from "./output.js";

/** At most this many processes in one run (the program's own multiprocessing refuses more before
 * asking; the page refuses more whoever asks). */
export const MAX_PROCESSES = 100;
/** The main program's os.getpid() (its os.getppid() is 1); its children's pids follow it, and a
 * pool worker that replaces another (maxtasksperchild) gets one past MAIN_PID + MAX_PROCESSES. */
export const MAIN_PID = 1000;

const finite = (x) => typeof x === "number" && Number.isFinite(x);
const count = (x) => Number.isSafeInteger(x) && x >= 0;
const LINE_LIMIT = MAX_LINE_CHARS + 64; // the cut line's "… (N more characters)"

function checkedLine(l) {
  if (!l || typeof l !== "object") return null;
  if ((l.stream !== "stdout" && l.stream !== "stderr") || typeof l.text !== "string" || !finite(l.t)) return null;
  if (l.process !== undefined && typeof l.process !== "string") return null;
  return { stream: l.stream, text: l.text.slice(0, LINE_LIMIT), t: l.t, process: l.process };
}

export function checkedEvent(raw) {
  switch (raw?.type) {
    case "lines":
      if (!Array.isArray(raw.lines) || !count(raw.dropped)) return null;
      return { type: "lines", lines: raw.lines.map(checkedLine).filter(Boolean), dropped: raw.dropped };
    case "started":
      return finite(raw.t) ? { type: "started", t: raw.t } : null;
    case "memory":
      return count(raw.bytes) ? { type: "memory", bytes: raw.bytes } : null;
    case "block":
      return typeof raw.id === "string" && raw.id.length <= 200 && raw.buffer instanceof SharedArrayBuffer
        ? { type: "block", id: raw.id, buffer: raw.buffer }
        : null;
    case "want":
      return count(raw.seen) ? { type: "want", seen: raw.seen } : null;
    case "mp":
      return raw.message && typeof raw.message === "object" && typeof raw.message.type === "string" && finite(raw.t)
        ? { type: "mp", message: raw.message, t: raw.t }
        : null;
    default:
      return null;
  }
}

const name = (x) => typeof x === "string" && x.length > 0 && x.length <= 200;
const int = (x) => Number.isSafeInteger(x);
/** The fields each multiprocessing call of the main program must have (inline.py's too). */
const CALLS = {
  spawn: { pid: count, ospid: count, name, payload: (x) => typeof x === "string" },
  pool: {
    pool: count,
    processes: (x) => count(x) && x >= 1 && x <= MAX_PROCESSES,
    init: (x) => x === undefined || typeof x === "string",
    names: (x) => x === undefined || (Array.isArray(x) && x.length <= MAX_PROCESSES && x.every(name)),
    pids: (x) => x === undefined || (Array.isArray(x) && x.length <= MAX_PROCESSES && x.every(count)),
    maxtasks: (x) => x === undefined || (count(x) && x >= 1),
  },
  tasks: {
    pool: count,
    tasks: (x) =>
      Array.isArray(x) &&
      x.every(
        (t) =>
          count(t?.task) &&
          count(t?.size) &&
          (t?.first === undefined || count(t.first)) &&
          typeof t?.payload === "string",
      ),
  },
  close: { pool: count },
  "terminate-pool": { pool: count },
  terminate: { pid: count, signal: (x) => x === undefined || x === 9 || x === 15 },
  // os.kill(pid, signal) or Process.interrupt(), from any process of the run, to another (by os pid).
  signal: { pid: count, signal: (x) => Number.isSafeInteger(x) && x >= 1 && x <= 64 },
  "spawn-inline": { pid: count, name },
  "inline-start": { pid: count },
  "inline-end": { pid: count, exitcode: int },
  "pool-inline": {
    pool: count,
    names: (x) => Array.isArray(x) && x.length >= 1 && x.length <= MAX_PROCESSES && x.every(name),
  },
  "inline-task": {
    pool: count,
    member: count,
    task: count,
    size: count,
    t0: finite,
    t1: finite,
    ok: (x) => typeof x === "boolean",
  },
  "pool-end": { pool: count, exitcode: int },
};

/** The main program's call `m` if it is one of CALLS with every field right, else null. */
export function checkedCall(m) {
  const fields = Object.hasOwn(CALLS, m?.type) ? CALLS[m.type] : null;
  if (!fields) return null;
  for (const [key, ok] of Object.entries(fields)) if (!ok(m[key])) return null;
  return m;
}
