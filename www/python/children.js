/**
 * The children of a Python run — each `Process` and pool worker the main program asks for — from
 * their start to their end. A child is a Worker of its own, started through the one process
 * bridge (www/engine/bridge.js) as soon as a slot is free (run-slots.js); if an interpreter booted
 * ahead is at hand (spares.js) it becomes the child instead of a boot of its own.
 *
 * Why apart: how a child starts is shared by a `Process` and a pool worker (pool-dispatch.js),
 * and holds the run's cap on processes and its one error for a child that could not start.
 * `runChildren(run)` for one run (session.js).
 */
import { spawnProcess } from "../engine/bridge.js";
import { bootDeadlineMs, bootInit, channelInit, workerUrl } from "./interpreter-boot.js";
import { mailboxWriter, newMailbox } from "./mailbox.js";
import { MAIN_PID, MAX_PROCESSES } from "./messages.js";

/** A child's mailbox on the shared-memory rung: answers about shared objects (sync.js); a longer
 * one (a big item from a queue) goes in parts. */
const CHILD_MAILBOX_BYTES = 16 + (64 << 10);

export function runChildren(run) {
  let children = 0; // processes and pool workers asked for: the cap's count (O(1), not a scan)
  const { emit, end, record } = run.records;
  const couldNotStart = (proc, error) => {
    if (proc.ended === null) run.failRun(new Error(`${proc.name} could not start Python: ${error.message}`));
  };

  /** Start a child Worker for `proc` now, or as soon as a slot is free. */
  function startChild(proc, init, afterBoot, replacement = false) {
    run.byOsPid.set(init.pid, proc);
    const go = () => {
      if (proc.ended !== null) return; // terminated while it waited for a slot
      const stop = new AbortController();
      run.slots.takeSlot(proc, () => stop.abort());
      spawnProcess(workerUrl(run.rung, proc.name), {
        what: `Python process (${proc.name})`,
        name: proc.name,
        init: { ...bootInit(run, proc.name), ...who() },
        signal: stop.signal,
        deadlineMs: bootDeadlineMs(),
        onEvent: run.news.eventsFrom(proc, run.news.onSync(proc)),
        onSpawn: (child) => {
          proc.worker = child;
          run.workers.add(child);
        },
      }).then(
        (child) => {
          proc.booted = run.at(child.info.t);
          proc.bootMs = child.info.bootMs;
          proc.bootParts = child.info.parts;
          emit("booted", proc);
          afterBoot(child);
        },
        (error) => couldNotStart(proc, error),
      );
    };
    /** This process's own fields of its start-up message (at a boot, or when a spare becomes it). */
    const who = () => ({
      ...init,
      name: proc.name,
      channel: channelInit(run.channel, proc.name),
      mailbox: proc.mailboxBuffer ?? null,
      blocks: { ...run.memory.blocks },
    });
    const warm = () => {
      // An interpreter booted ahead (see spares.js) becomes this process: one ready, else the one
      // closest to ready (sooner than a boot of its own, which would compete with it for a core).
      const spare = run.spares.takeSpare();
      if (!spare) return go();
      spare.boot.then((ok) => {
        if (proc.ended !== null) {
          spare.child?.terminate(); // terminated while it waited
          run.workers.delete(spare.child);
          run.memory.holds(spare.rec, 0);
        } else if (ok) handTo(spare);
        else go();
      });
    };
    const handTo = (spare) => {
      proc.worker = spare.child;
      run.slots.takeSlot(proc);
      // Its memory so far is this process's now; its events too.
      proc.memoryBytes = spare.rec.memoryBytes ?? 0;
      proc.peakMemoryBytes = proc.memoryBytes;
      spare.rec.memoryBytes = 0;
      spare.route = run.news.eventsFrom(proc, run.news.onSync(proc));
      spare.child.request("assign", who()).then(
        (info) => {
          proc.booted = run.at(info.t);
          proc.bootMs = spare.child.info.bootMs + info.ms; // the raw cost, paid ahead
          proc.bootParts = { ...spare.child.info.parts, setupMs: info.ms };
          proc.warm = true;
          proc.waitedMs = (proc.booted - proc.spawned) * 1000;
          emit("booted", proc);
          afterBoot(spare.child);
        },
        (error) => couldNotStart(proc, error),
      );
    };
    if (run.rung === "shared-memory") {
      proc.mailboxBuffer = newMailbox(CHILD_MAILBOX_BYTES);
      proc.mailbox = mailboxWriter(proc.mailboxBuffer);
    }
    if (!replacement && ++children > MAX_PROCESSES) {
      run.failRun(
        new Error(
          `This program started more than ${MAX_PROCESSES} processes. Each one here is a Web Worker that boots its own Python interpreter (seconds each, tens of MB), so the lab stops at ${MAX_PROCESSES}: use a Pool, which starts a few processes and hands them all the tasks.`,
        ),
      );
      return;
    }
    run.slots.whenFree(warm);
  }

  /** A `Process` child: started, its target run, and its exit told to the main program. */
  function spawnChild({ pid, ospid, name, payload }) {
    const proc = record(name, "process");
    proc.key = pid;
    run.byPid.set(pid, proc);
    startChild(proc, { role: "process", pid: ospid, ppid: MAIN_PID }, (child) => {
      child.request("process", { payload }).then(
        ({ exitcode, slept }) => {
          proc.slept = slept;
          finishChild(pid, exitcode);
        },
        (error) => {
          // Ended outside Python (os._exit, a crash) or terminated: finishChild is idempotent.
          finishChild(pid, exitcodeOf(error));
        },
      );
    });
  }

  function finishChild(pid, exitcode) {
    const proc = run.byPid.get(pid);
    if (!proc || proc.ended !== null) return;
    end(proc, exitcode);
    proc.release?.();
    run.news.tell({ type: "exit", pid, exitcode });
  }

  return {
    startChild,
    spawnChild,
    finishChild,
    /** Processes and pool workers asked for so far (replacements not counted). */
    get count() {
      return children;
    },
  };
}

/** A child that ended outside Python: its exit code if the error says one (`os._exit(3)`), else 1. */
export function exitcodeOf(error) {
  const code = /exit(?:ed)?(?: with)?(?: code| status)?\s*\(?(-?\d+)/i.exec(String(error?.message ?? ""));
  return code ? Number(code[1]) : 1;
}
