/**
 * The python card on each rung of its blocking ladder (www/python/blocking.js, docs/python.md),
 * side by side on one isolated bench page (every rung is available there: shared memory, JSPI in
 * Chromium, and the lab's service-worker channel), each asked for with
 * the `pythonBlocking` override (`globalThis.speedupLab`, www/engine/overrides.js). Per rung, from the programs' own clocks:
 *  - `speedup`: Pool(2).map of the guide's perfect-number search (N = 10 000) against its loop,
 *    the pool started before the map (its start-up is the start-up issue's, shown apart);
 *  - `overlapS`: four Processes each sleeping 1 s, the time all four slept at once
 *    (min of their ends − max of their starts, by `time.time()`; interpreter start-up apart);
 *  - `slowdown`: a busy loop in the main program while two processes sleep, against the same loop
 *    alone (a sleep that spun would take a core from it);
 *  - `blockUs`: one blocking call, `time.sleep(0)`, mean of 200 (µs).
 * A benchmark, not a test: figures from one page on a noisy machine, printed with the load.
 */
export const RUNGS = ["shared-memory", "jspi", "service-worker"];

/** The program, with the perfect-number search below `n` (bench/pyodide.mjs's PY_N). */
const program = (n) => `import json, time, multiprocessing

def is_perfect(n):
    s = 0
    for i in range(1, n):
        if n % i == 0:
            s += i
    return n if s == n else None

def nap(seconds):
    t0 = time.time()
    time.sleep(seconds)
    return t0, time.time()

def sleeper(seconds):
    time.sleep(seconds)

def busy():
    t0 = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x += i % 7
    return time.perf_counter() - t0

if __name__ == "__main__":
    out = {}
    t0 = time.perf_counter()
    loop = [k for k in range(1, ${n}) if is_perfect(k)]
    out["loopMs"] = (time.perf_counter() - t0) * 1e3
    with multiprocessing.Pool(2) as pool:
        pool.map(nap, [0, 0], chunksize=1)  # both started
        t0 = time.perf_counter()
        found = [k for k in pool.map(is_perfect, range(1, ${n})) if k]
        out["mapMs"] = (time.perf_counter() - t0) * 1e3
    assert loop == found == [6, 28, 496, 8128]
    with multiprocessing.Pool(4) as pool:
        pool.map(nap, [0] * 4, chunksize=1)
        spans = pool.map(nap, [1] * 4, chunksize=1)
    out["overlapS"] = min(e for s, e in spans) - max(s for s, e in spans)
    alone = min(busy() for _ in range(3))
    ps = [multiprocessing.Process(target=sleeper, args=(30,)) for _ in range(2)]
    for p in ps:
        p.start()
    time.sleep(4)  # both have started and sleep (interpreter start-up is over)
    beside = min(busy() for _ in range(3))
    for p in ps:
        p.terminate()
    out["slowdown"] = beside / alone - 1
    t0 = time.perf_counter()
    for _ in range(200):
        time.sleep(0)
    out["blockUs"] = (time.perf_counter() - t0) / 200 * 1e6
    print(json.dumps(out))
`;

/** Each rung's figures on `page` (a lab page of the bench's server): `{ [rung]: {...} | {error} }`. */
export async function runPythonRungs(page, { n, log = console.error }) {
  const out = {};
  for (const rung of RUNGS) {
    out[rung] = await page.evaluate(
      async ({ rung, source }) => {
        globalThis.speedupLab = { ...globalThis.speedupLab, pythonBlocking: rung };
        try {
          const { runPython } = await import("/www/python/session.js");
          const lines = [];
          const summary = await runPython(source, {
            cores: navigator.hardwareConcurrency,
            onLine: (l) => lines.push(l),
          });
          if (summary.blocking.rung !== rung) return { error: `ran on ${summary.blocking.rung}` };
          if (summary.exitcode !== 0)
            return {
              error: lines
                .map((l) => l.text)
                .join("\n")
                .slice(-400),
            };
          const r = JSON.parse(lines.at(-1).text);
          return { ...r, speedup: r.loopMs / r.mapMs };
        } catch (e) {
          return { error: String(e?.message ?? e) };
        } finally {
          delete globalThis.speedupLab?.pythonBlocking;
        }
      },
      { rung, source: program(n) },
    );
    const r = out[rung];
    log(
      r.error
        ? `  python on ${rung}: ${r.error}`
        : `  python on ${rung}: Pool(2) ${r.speedup.toFixed(2)}×, four 1 s sleeps overlap ${r.overlapS.toFixed(2)} s, busy loop beside two sleepers ${(r.slowdown * 100).toFixed(1)} %, one blocking call ${r.blockUs.toFixed(0)} µs`,
    );
  }
  return out;
}

/** The bench's lines for these figures. */
export function rungLines(rungs) {
  return [
    "the python card's blocking rungs (targets: Pool(2) ≥ 1.6×, overlap ≥ 0.7 s, busy loop beside sleepers ≤ 5 % slower):",
    ...Object.entries(rungs).map(([rung, r]) =>
      r.error
        ? `  ${rung.padEnd(15)} ${r.error}`
        : `  ${rung.padEnd(15)} Pool(2) ${r.speedup.toFixed(2)}×  overlap ${r.overlapS.toFixed(2)} s  busy loop ${(r.slowdown * 100).toFixed(1).padStart(5)} %  one blocking call ${r.blockUs.toFixed(0).padStart(6)} µs`,
    ),
  ];
}
