/**
 * The page's side of OPFS for the parallel-writes lesson: can this browser do it, where the
 * files go, and removing them — after a run, a cancel, an error or a missed deadline.
 *
 * Every run writes under `speedup-lab-writes/<run id>/` in the origin's private file system;
 * nothing else of the origin is touched.
 */

/** The lab's own directory in the origin's private file system. */
export const BASE_DIR = "speedup-lab-writes";

/** A run's directory name: unique per run, so two cards or tabs never share files. */
export function newRunId() {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Whether this page can reach OPFS at all: `null` when it can, or what the card should say.
 * (Whether sync access handles work is only known inside a writer Worker: see `explain`.)
 */
export async function opfsProblem() {
  if (!globalThis.isSecureContext) {
    return "This page is not a secure context (https or localhost), and browsers offer their Origin Private File System only to secure pages. Nothing was written.";
  }
  if (typeof navigator.storage?.getDirectory !== "function") {
    return "This browser offers no Origin Private File System (navigator.storage.getDirectory is missing), so the lesson cannot write its files here. Nothing was written.";
  }
  try {
    await navigator.storage.getDirectory();
  } catch (error) {
    return `This browser refused access to its Origin Private File System (${error?.name ?? "Error"}: ${error?.message ?? error}); a private window or a browser setting can do that. Nothing was written.`;
  }
  return null;
}

/** Free space the browser grants this origin, in bytes, or `null` if it does not say. */
export async function freeBytes() {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    return Number.isFinite(quota) ? quota - (usage ?? 0) : null;
  } catch {
    return null;
  }
}

/** A writer's failure, as the card says it. */
export function explain({ name, message }) {
  if (name === "NotSupportedError" || /createSyncAccessHandle/.test(message)) {
    return "This browser has an Origin Private File System but cannot open synchronous access handles (FileSystemSyncAccessHandle), which the writers write through — WebKitGTK is one such browser. Nothing was left behind.";
  }
  if (name === "QuotaExceededError") {
    return "The browser's storage quota refused the write (QuotaExceededError): pick a smaller dataset. The partial files were removed.";
  }
  if (name === "SecurityError" || name === "UnknownError") {
    return `The browser refused a writer access to its Origin Private File System (${name}: ${message}); a private window can do that. The files were removed.`;
  }
  return `A writer failed (${name}: ${message}). Its files were removed.`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Remove a run's directory and everything in it. A writer that was terminated may still hold a
 * sync access handle for a moment (the browser releases it asynchronously), so a locked entry
 * is retried for a few seconds before giving up. Resolves to `true` once the directory is gone.
 */
export async function removeRun(runId, { tries = 40, waitMs = 100 } = {}) {
  let root;
  try {
    root = await navigator.storage.getDirectory();
  } catch {
    return true; // no OPFS: nothing can have been written
  }
  for (let i = 0; i < tries; i++) {
    try {
      const base = await root.getDirectoryHandle(BASE_DIR);
      await base.removeEntry(runId, { recursive: true });
    } catch (error) {
      if (error?.name !== "NotFoundError") {
        await sleep(waitMs);
        continue;
      }
    }
    // The lab's directory goes too once it is empty (another run may still be using it).
    await root.removeEntry(BASE_DIR).catch(() => {});
    return true;
  }
  return false;
}

/** Names of everything the lab has in OPFS (tests: "nothing left behind"). */
export async function leftovers() {
  const names = [];
  try {
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle(BASE_DIR);
    for await (const [name, handle] of base.entries()) {
      names.push(name);
      if (handle.kind === "directory") for await (const inner of handle.keys()) names.push(`${name}/${inner}`);
    }
  } catch {}
  return names;
}

/** The Web Lock a live run holds on its directory (locks are per origin: every tab sees it). */
const lockName = (runId) => `speedup-lab-writes:${runId}`;

/**
 * Hold the lock of run `runId` until the returned function is called (or the page goes away:
 * the browser releases a closed page's locks). Resolves once it is held. Without the Web Locks
 * API (or where it is refused, e.g. an opaque origin), nothing is held and the sweep falls back
 * to age (see `sweepStale`).
 */
export async function holdRunLock(runId) {
  try {
    return await new Promise((resolve, reject) => {
      navigator.locks.request(lockName(runId), () => new Promise((release) => resolve(release))).catch(reject);
    });
  } catch {
    return () => {};
  }
}

/** Fallback age for the sweep where there are no Web Locks: far longer than any run. */
const STALE_WITHOUT_LOCKS_MS = 60 * 60 * 1000;

/**
 * Remove what earlier runs left behind when their page closed mid-run (a closed tab cannot
 * always clean up after itself, even on `pagehide`): every run directory whose lock no live
 * page holds. Another tab's run in progress holds its lock, so it is never touched. Called by
 * the first card a page loads (widget) and before each run of the lesson.
 */
export async function sweepStale() {
  try {
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle(BASE_DIR);
    const names = [];
    for await (const name of base.keys()) names.push(name);
    const remove = (name) => base.removeEntry(name, { recursive: true }).catch(() => {});
    for (const name of names) {
      // removed while holding its lock, so no page can start using it meanwhile
      const swept = await whileFree(name, () => remove(name)).catch(() => null);
      if (swept !== null) continue;
      const born = Number.parseInt(/^run-([0-9a-z]+)-/.exec(name)?.[1] ?? "", 36);
      if (Number.isFinite(born) && Date.now() - born > STALE_WITHOUT_LOCKS_MS) await remove(name);
    }
    await root.removeEntry(BASE_DIR).catch(() => {}); // only if now empty
  } catch {
    // no OPFS or no lab directory: nothing to sweep
  }
}

/**
 * Run `fn` holding run `runId`'s lock if no page holds it: resolves `true` when it ran, `false`
 * when the lock is held (a live run), `null` when this browser cannot tell (no Web Locks).
 */
async function whileFree(runId, fn) {
  if (typeof navigator.locks?.request !== "function") return null;
  return navigator.locks.request(lockName(runId), { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await fn();
    return true;
  });
}
