/**
 * What passes between the page and the processes of a Python run, whichever rung they block on:
 * news for a waiting process (its shared-memory mailbox, the service worker's channel, or a note
 * that resolves its JSPI suspension), each Worker's events (its printed lines, its start, its
 * memory), and what a process asks of the others — a shared object (the broker, sync.js), a signal,
 * or a child's files for its parent.
 *
 * Why apart: these are the only messages a process's Worker sends besides its replies, and each is
 * checked (messages.js) before the run acts on it; the run itself (session.js) only wires them.
 * `runNews(run)` for one run.
 */
import { checkedCall, checkedEvent } from "./messages.js";
import { MAX_LINES as MAX_OUTPUT_LINES, TAIL_LINES } from "./output.js";
import { syncBroker } from "./sync.js";

/** The files a child hands back at its end, as text (base64 of _files.py's 16 MB, and some). */
const MAX_FILES_TEXT = 24 << 20;

export function runNews(run) {
  /** News for the main program, however it waits. */
  const tell = (message) =>
    run.mailbox
      ? run.mailbox.send(message)
      : run.channel
        ? run.channel.tell(message, "MainProcess")
        : run.main?.note("news", message);
  /** News for any process of the run (answers about shared objects), however it waits. */
  const tellTo = (proc, message) => {
    if (proc.kind === "main") tell(message);
    else if (proc.mailbox) proc.mailbox.send(message);
    else if (run.channel) run.channel.tell(message, proc.name);
    else proc.worker?.note("news", message);
  };
  /** The run's shared objects (Queue, Lock, Value…: sync.js), answering whichever process asks. */
  const broker = syncBroker({
    reply: (name, message) => {
      const proc = run.byName.get(name);
      proc?.asking?.delete(message.req);
      if (proc && proc.ended === null) tellTo(proc, message);
    },
    later: (fn, ms) => {
      const timer = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
      return () => clearTimeout(timer);
    },
  });
  /** A process's request about a shared object (the broker checks its fields), or a signal it sends. */
  const onSync = (proc) => (m) => {
    if (m?.type === "sync" && (m.item === undefined || typeof m.item === "string")) {
      proc.asking ??= new Set();
      if (Number.isSafeInteger(m.req)) proc.asking.add(m.req);
      broker.handle(proc.name, m);
      // Not answered at once: the process now waits for another (a get, a lock, an event).
      if (proc.asking?.size && run.slots.waiting) run.slots.unblock();
    } else if (m?.type === "signal") sendSignal(checkedCall(m));
    else if (
      m?.type === "files" &&
      proc.kind === "process" &&
      typeof m.files === "string" &&
      m.files.length <= MAX_FILES_TEXT
    ) {
      tell({ type: "files", files: m.files }); // a child's files, to its parent before its exit (_files.py)
    }
  };
  /**
   * A signal for the process whose os pid is `m.pid`: SIGTERM and SIGKILL end a Process child
   * at once (as Process.terminate()); any other, and any to the main program or a pool worker,
   * is news the process acts on where it next waits (its handler, or its end: _lab.py).
   */
  function sendSignal(m) {
    const proc = m && run.byOsPid.get(m.pid);
    if (!proc || proc.ended !== null) return;
    if (proc.kind === "process" && (m.signal === 9 || m.signal === 15)) run.children.finishChild(proc.key, -m.signal);
    else tellTo(proc, { type: "signal", signal: m.signal });
  }

  /** Lines and news from `proc`'s Worker; every field checked (messages.js) before use. */
  const eventsFrom = (proc, onMp) => (raw) => {
    const msg = checkedEvent(raw);
    if (!msg) return;
    if (msg.type === "lines") {
      if (msg.dropped > (proc.dropped ?? 0)) {
        proc.dropped = msg.dropped;
        // Where the process's lines stop arriving: said once, in its console, in the place they would be.
        if (!proc.gapShown) {
          proc.gapShown = true;
          run.onLine?.({
            process: proc.name,
            stream: "note",
            text: `[output truncated: ${proc.name} printed more than ${MAX_OUTPUT_LINES} lines; its last ${TAIL_LINES} come at its end, the rest are not shown]`,
            t: run.sinceStart(),
          });
        }
      }
      for (const l of msg.lines) {
        const who = l.process && run.byName.has(l.process) ? l.process : proc.name;
        run.onLine?.({ process: who, stream: l.stream, text: l.text, t: run.at(l.t) });
      }
    } else if (msg.type === "started") {
      proc.started = run.at(msg.t);
      run.records.emit("started", proc);
    } else if (msg.type === "memory") run.memory.holds(proc, msg.bytes);
    else if (msg.type === "block") run.memory.addBlock(proc, msg);
    else if (msg.type === "want") proc.mailbox?.want(msg.seen);
    else if (msg.type === "mp") onMp?.(msg.message, msg.t);
  };

  return { tell, tellTo, broker, onSync, sendSignal, eventsFrom };
}
