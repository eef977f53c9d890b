/**
 * The page → main-program channel of a Python run: one message at a time in a SharedArrayBuffer,
 * because the main program's Worker is blocked in `Atomics.wait` whenever it waits for a child
 * (join, map, get) and cannot receive a `postMessage` then.
 *
 * Pull, not push: the reader posts `want(seen)` — "I have read message `seen`, send the next" —
 * and the writer writes message `seen + 1` only in answer to that, so it never overwrites a
 * message that has not been read, and stale wants (seen < the latest) are ignored. A message
 * longer than the buffer goes in parts (header[2] = 1 while more parts follow).
 *
 * Layout: Int32 header [seq, byteLength, more, unused], then the bytes (UTF-8 JSON).
 */
export const HEADER_BYTES = 16;
export const MAILBOX_BYTES = HEADER_BYTES + (1 << 20);

/** A mailbox of `bytes` (the main program's default; a child's is smaller: its news is only
 * answers about shared objects, and a longer message goes in parts). */
export function newMailbox(bytes = MAILBOX_BYTES) {
  return new SharedArrayBuffer(bytes);
}

/** The page's side: queue messages, write one whenever the reader wants it. */
export function mailboxWriter(buffer) {
  const header = new Int32Array(buffer, 0, 4);
  const data = new Uint8Array(buffer, HEADER_BYTES);
  const parts = []; // encoded parts not yet written: { bytes, more }
  let wanted = null; // the `seen` of the last want not yet answered
  const flush = () => {
    if (wanted === null || parts.length === 0 || Atomics.load(header, 0) !== wanted) return;
    const { bytes, more } = parts.shift();
    data.set(bytes);
    header[1] = bytes.length;
    header[2] = more ? 1 : 0;
    wanted = null;
    Atomics.store(header, 0, Atomics.load(header, 0) + 1);
    Atomics.notify(header, 0);
  };
  return {
    send(message) {
      const bytes = new TextEncoder().encode(JSON.stringify(message));
      const size = data.length;
      for (let at = 0; at < bytes.length || at === 0; at += size) {
        parts.push({ bytes: bytes.subarray(at, at + size), more: at + size < bytes.length });
        if (bytes.length === 0) break;
      }
      flush();
    },
    want(seen) {
      if (seen === Atomics.load(header, 0)) wanted = seen;
      flush();
    },
  };
}

/**
 * The main program's side: the next message as JSON text, or null when none came within
 * `timeoutMs` (0: just look; negative: wait as long as it takes). `state.seen` is the last
 * message read; `askNext(seen)` posts the want.
 */
export function readMailbox(buffer, state, timeoutMs, askNext) {
  const header = new Int32Array(buffer, 0, 4);
  const data = new Uint8Array(buffer, HEADER_BYTES);
  const chunks = [];
  const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
  for (;;) {
    if (!state.asked) {
      askNext(state.seen);
      state.asked = true;
    }
    while (Atomics.load(header, 0) === state.seen) {
      const left = deadline - performance.now();
      if (left <= 0 && chunks.length === 0) return null;
      // Once a message has begun, its other parts are on their way: wait for them.
      Atomics.wait(header, 0, state.seen, chunks.length ? 1000 : Math.min(left, 2 ** 31 - 1));
    }
    state.seen = Atomics.load(header, 0);
    state.asked = false;
    chunks.push(data.slice(0, header[1]));
    if (header[2] === 0) break;
  }
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}
