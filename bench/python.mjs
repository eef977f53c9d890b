/**
 * CPython running the guide's three programs (bench/guide.py). Skipped, with a note that says
 * so in the table and the JSON, when python3 is not installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarize } from "./stats.mjs";

const GUIDE = join(dirname(fileURLToPath(import.meta.url)), "guide.py");
const PYTHON = process.env.PYTHON ?? "python3";

/** `python3 --version`, or null when there is no python3. */
export function pythonVersion() {
  const r = spawnSync(PYTHON, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : null;
}

/** Rows for the guide's programs, or `{ skipped }` without python3. */
export function runPython({ n, spawnN, reps }) {
  const version = pythonVersion();
  if (!version) {
    return { skipped: `${PYTHON} was not found, so CPython's rows are missing; install python3 to compare.` };
  }
  const out = execFileSync(PYTHON, [GUIDE, "--n", String(n), "--spawn-n", String(spawnN), "--reps", String(reps)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  const data = JSON.parse(out);
  const k = data.poolProcesses;
  const row = (label, strategy, rowN, workers, runs) => ({
    label,
    platform: "python",
    strategy,
    n: rowN,
    workers,
    ...summarize(runs),
  });
  return {
    info: {
      version: data.python,
      implementation: data.implementation,
      startMethod: data.startMethod,
      poolProcesses: k,
    },
    rows: {
      "python-loop": row("CPython, the guide's plain loop", "sequential", n, 1, data.ms.loop),
      "python-pool": row(
        `CPython, the guide's Pool().map (${k} processes, start-up included)`,
        "pool-map",
        n,
        k,
        data.ms.pool,
      ),
      "python-loop-small": row(
        "CPython, plain loop (at the smaller N)",
        "sequential",
        spawnN,
        1,
        data.ms["loop@spawn-n"],
      ),
      "python-process-per-number": row(
        `CPython, one Process per number (${data.startMethod}; at the smaller N)`,
        "spawn-per-task",
        spawnN,
        spawnN - 1,
        data.ms["process-per-number"],
      ),
    },
  };
}
