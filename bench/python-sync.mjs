/**
 * What the lab's multiprocessing costs against CPython's on the same machine (issue 22), from the
 * programs' own clocks: a Process start + join (spawn), Pool(2) start-up (to both workers
 * answering), a Queue round trip (to a child and back), a Lock acquire + release, a Value
 * increment under its lock, a 1 kB Pipe send + recv round trip. The same program runs in the
 * python card on the shared-memory and JSPI rungs, and under the machine's CPython with spawn.
 * A benchmark, not a test: one run each, on a noisy machine.
 *
 *   node bench/python-sync.mjs
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage } from "../scripts/lib/chromium.mjs";
import { serve } from "../scripts/lib/static-server.mjs";

export const PROGRAM = `import json, time, multiprocessing as mp

def noop(*_):
    pass

def echo(q_in, q_out):
    while (x := q_in.get()) is not None:
        q_out.put(x)

def pong(conn):
    while (x := conn.recv_bytes()):
        conn.send_bytes(x)

if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    N = 300
    out = {}
    t0 = time.perf_counter()
    p = mp.Process(target=noop); p.start(); p.join()
    out["process start + join (ms)"] = (time.perf_counter() - t0) * 1e3
    t0 = time.perf_counter()
    with mp.Pool(2) as pool:
        pool.map(noop, [0, 0], chunksize=1)
        out["Pool(2) start-up (ms)"] = (time.perf_counter() - t0) * 1e3
    q_in, q_out = mp.Queue(), mp.Queue()
    p = mp.Process(target=echo, args=(q_in, q_out)); p.start()
    q_in.put(0); q_out.get()
    t0 = time.perf_counter()
    for i in range(N):
        q_in.put(i); q_out.get()
    out["Queue round trip (µs)"] = (time.perf_counter() - t0) / N * 1e6
    q_in.put(None); p.join()
    lock = mp.Lock()
    t0 = time.perf_counter()
    for _ in range(N):
        lock.acquire(); lock.release()
    out["Lock acquire + release (µs)"] = (time.perf_counter() - t0) / N * 1e6
    v = mp.Value("i", 0)
    t0 = time.perf_counter()
    for _ in range(N):
        with v.get_lock():
            v.value += 1
    out["Value += 1 under its lock (µs)"] = (time.perf_counter() - t0) / N * 1e6
    assert v.value == N
    a, b = mp.Pipe()
    p = mp.Process(target=pong, args=(b,)); p.start()
    data = b"x" * 1024
    a.send_bytes(data); a.recv_bytes()
    t0 = time.perf_counter()
    for _ in range(N):
        a.send_bytes(data); a.recv_bytes()
    out["1 kB Pipe send + recv round trip (µs)"] = (time.perf_counter() - t0) / N * 1e6
    a.send_bytes(b""); p.join()
    print(json.dumps(out))
`;

/** CPython on this machine, spawn: the same program. */
export function cpythonFigures() {
  const dir = mkdtempSync(join(tmpdir(), "lab-sync-"));
  const file = join(dir, "costs.py");
  writeFileSync(file, PROGRAM);
  const version = execFileSync("python3", ["--version"]).toString().trim();
  return { version, ...JSON.parse(execFileSync("python3", [file]).toString().trim().split("\n").at(-1)) };
}

/** The card's figures on `page`, per rung. */
export async function labFigures(page, rung) {
  return page.evaluate(
    async ({ rung, source }) => {
      globalThis.speedupLab = { ...globalThis.speedupLab, pythonBlocking: rung };
      try {
        const { runPython } = await import("/www/python/session.js");
        const lines = [];
        const summary = await runPython(source, { cores: navigator.hardwareConcurrency, onLine: (l) => lines.push(l) });
        if (summary.exitcode !== 0 || summary.blocking.rung !== rung)
          return {
            error:
              lines
                .map((l) => l.text)
                .join("\n")
                .slice(-400) || summary.blocking.rung,
          };
        return JSON.parse(lines.at(-1).text);
      } finally {
        delete globalThis.speedupLab?.pythonBlocking;
      }
    },
    { rung, source: PROGRAM },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serve({ isolation: true });
  const browser = await launch();
  try {
    const { page } = await openPage(browser, `${server.url}/`);
    const cpython = cpythonFigures();
    const lab = { "shared-memory": await labFigures(page, "shared-memory"), jspi: await labFigures(page, "jspi") };
    const keys = Object.keys(cpython).filter((k) => k !== "version");
    console.log(`| cost | ${cpython.version} (spawn) | lab, shared memory | lab, JSPI |`);
    console.log("|---|---|---|---|");
    const cell = (r, k) => (r.error ? "error" : r[k].toFixed(r[k] >= 100 ? 0 : 1));
    for (const k of keys)
      console.log(`| ${k} | ${cell(cpython, k)} | ${cell(lab["shared-memory"], k)} | ${cell(lab.jspi, k)} |`);
    for (const [rung, r] of Object.entries(lab)) if (r.error) console.log(`${rung}: ${r.error}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
