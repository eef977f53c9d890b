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

/**
 * Remove what earlier runs left behind when their page closed mid-run (a closed tab cannot
 * clean up after itself): run directories older than `maxAgeMs` — an hour, far longer than any
 * run of this lesson, so another tab's run in progress is never touched.
 */
export async function sweepStale(maxAgeMs = 60 * 60 * 1000) {
  try {
    const root = await navigator.storage.getDirectory();
    const base = await root.getDirectoryHandle(BASE_DIR);
    const stale = [];
    for await (const name of base.keys()) {
      const born = Number.parseInt(/^run-([0-9a-z]+)-/.exec(name)?.[1] ?? "", 36);
      if (Number.isFinite(born) && Date.now() - born > maxAgeMs) stale.push(name);
    }
    for (const name of stale) await base.removeEntry(name, { recursive: true }).catch(() => {});
  } catch {
    // no lab directory: nothing to sweep
  }
}
