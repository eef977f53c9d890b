/**
 * One writer of the parallel-writes lesson: a dedicated Worker (the only place where
 * `createSyncAccessHandle()` exists) with its own plain wasm instance, which generates this
 * writer's share of the dataset, writes it to its own OPFS file, reads every byte back and
 * checksums both in Rust (src/writes.rs).
 *
 * The page drives it through the process bridge (engine/bridge.js), one step at a time, so
 * that all writers write at once and nothing else (generation, opening, reading back) falls
 * inside the timed part:
 *   init {module} · plan {spec} → {plan} · prepare {dir, file, writer, plan} → {crc} ·
 *   write → {start, end} · verify → {bytes, size, crc}
 * Any failure closes the handle and removes the file before the bridge answers it (with the
 * error's name, e.g. QuotaExceededError), so a failed writer leaves nothing behind.
 */
import { serve } from "../engine/bridge-worker.js";
import { now } from "../engine/clock.js";
import init, { writesPlan, writesRows, Xxh32 } from "../pkg/plain/speedup_lab.js";

/** Chunk for generating and reading back: 1 MiB, a multiple of every record size (64 B rows). */
const CHUNK = 1 << 20;

let state = null; // { dirHandle, file, handle, data, plan }

async function openDir(path) {
  let dir = await navigator.storage.getDirectory();
  for (const name of path) dir = await dir.getDirectoryHandle(name, { create: true });
  return dir;
}

/** Close the handle and remove this writer's file; never throws (it is the cleanup). */
async function discard() {
  const s = state;
  state = null;
  if (!s) return;
  try {
    s.handle?.close();
  } catch {}
  try {
    await s.dirHandle?.removeEntry(s.file);
  } catch {}
}

/** The writer's handlers, behind the process bridge (engine/bridge.js). */
const steps = {
  async init({ module }) {
    await init({ module_or_path: module });
    return {};
  },

  plan({ spec }) {
    return { plan: writesPlan(spec) };
  },

  async prepare({ dir, file, writer, plan }) {
    await discard();
    // Generate first (not timed): this writer's share, row for row what the test regenerates.
    const data = new Uint8Array(plan.bytesPerWriter);
    const crc = new Xxh32();
    for (let at = 0; at < data.length; at += CHUNK) {
      const rows = writesRows(writer, at, Math.min(CHUNK, data.length - at));
      data.set(rows, at);
      crc.update(rows);
    }
    const expected = crc.value();
    crc.free();
    state = { file, data, plan };
    state.dirHandle = await openDir(dir);
    const fileHandle = await state.dirHandle.getFileHandle(file, { create: true });
    if (typeof fileHandle.createSyncAccessHandle !== "function") {
      const e = new Error("createSyncAccessHandle is missing");
      e.name = "NotSupportedError";
      throw e;
    }
    state.handle = await fileHandle.createSyncAccessHandle();
    state.handle.truncate(0);
    return { crc: expected };
  },

  write() {
    const { handle, data, plan } = state;
    const step = plan.recordBytes;
    const start = now();
    for (let at = 0; at < data.length; at += step) {
      const n = handle.write(data.subarray(at, Math.min(at + step, data.length)), { at });
      if (n !== Math.min(step, data.length - at)) throw new Error(`short write: ${n} bytes at ${at}`);
      if (plan.flushEach) handle.flush();
    }
    if (!plan.flushEach) handle.flush();
    return { start, end: now() };
  },

  async verify() {
    const { handle } = state;
    const size = handle.getSize();
    const buf = new Uint8Array(CHUNK);
    const crc = new Xxh32();
    let bytes = 0;
    while (bytes < size) {
      const n = handle.read(buf, { at: bytes });
      if (n <= 0) break;
      crc.update(buf.subarray(0, n));
      bytes += n;
    }
    const value = crc.value();
    crc.free();
    state.data = null;
    await discard();
    return { bytes, size, crc: value };
  },

  async discard() {
    await discard();
    return {};
  },
};

serve(steps, { onError: discard }); // a failed step leaves no file behind
