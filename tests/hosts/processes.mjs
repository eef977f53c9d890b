/**
 * Servers the notebook tests start (JupyterLab, marimo): each in a process group of its own, so
 * stopping it ends the server and everything it started; and, because a Jupyter kernel is started
 * in a session of its own (outside that group), every descendant the server has when it is
 * stopped is ended by its pid too. Nothing else is ever signalled.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** A free TCP port on 127.0.0.1: the one the WebDriver servers use (scripts/lib/webdriver.mjs). */
export { freePort } from "../../scripts/lib/webdriver.mjs";

/** `{ ppid, start }` of a live process (start: its start time in clock ticks), or null. */
function stat(pid) {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return null; // gone
  }
}

/** Every live descendant of `pid` as `{ pid, start }`, from /proc's parent links. */
export function descendants(pid) {
  const parent = new Map();
  for (const name of readdirSync("/proc")) {
    const s = /^\d+$/.test(name) && stat(name);
    if (s) parent.set(Number(name), s);
  }
  const out = [];
  const walk = (p) => {
    for (const [child, s] of parent) {
      if (s.ppid === p) {
        out.push({ pid: child, start: s.start });
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** Signals a process we saw, only if it is still that process (same start time: no reused pid). */
function signalSeen({ pid, start }, sig) {
  if (stat(pid)?.start !== start) return;
  try {
    process.kill(pid, sig);
  } catch {
    // gone meanwhile
  }
}

function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
    // the group is gone
  }
}

/**
 * Starts `command args` in its own process group, its output kept (the last 6 000 characters)
 * for error messages. Returns `{ child, log(), stop() }`; stop() sends SIGTERM to the group and
 * to every descendant, then SIGKILL to what is left after `graceMs`, and resolves when the
 * server itself has exited.
 */
export function startGroup(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (d) => {
    log = (log + d).slice(-6_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    child,
    log: () => log,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kin = descendants(child.pid);
      signalGroup(child.pid, "SIGTERM");
      for (const p of kin) signalSeen(p, "SIGTERM");
      const late = setTimeout(() => {
        signalGroup(child.pid, "SIGKILL");
        for (const p of kin) signalSeen(p, "SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(late);
      // whatever outlived the server: a child left in its group, a kernel in a session of its own
      signalGroup(child.pid, "SIGKILL");
      for (const p of kin) signalSeen(p, "SIGKILL");
    },
  };
}

/**
 * Polls `url` until it answers 2xx (returns the response), the process exits, or `ms` pass; the
 * error carries the server's log.
 */
export async function waitForHttp(url, server, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`${what} exited (${server.child.exitCode}):\n${server.log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${ms / 1000} s:\n${server.log()}`);
}
