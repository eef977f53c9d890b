#!/usr/bin/env python3
"""The guide's three programs, in CPython, timed for `npm run bench` (see BENCHMARKS.md).

The beginner's guide to `multiprocessing` that the lab follows finds perfect numbers below N
three ways: a plain loop, one `Process` per number, and `Pool().map`. They are written here the
way the guide writes them, with one change: `is_perfect` returns the number instead of printing
it, so every run can be checked against the known perfect numbers (a print per hit would cost
nothing measurable either way: there are four hits below 100 000).

Each program is timed as the guide times it: the whole program, so `Pool()` start-up and one
`Process` start per number are inside the timer. One process per number runs at a smaller N
(`--spawn-n`), because at N = 30 000 it would start 30 000 processes; the plain loop is also
timed at that N so the two can be compared.

Prints one JSON object on stdout; progress goes to stderr. Standard library only.
"""

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time

KNOWN_PERFECT = [6, 28, 496, 8128, 33550336]


def is_perfect(n):
    """The guide's naive test: sum every divisor below n."""
    sum_factors = 0
    for i in range(1, n):
        if n % i == 0:
            sum_factors = sum_factors + i
    return n if sum_factors == n else None


def loop(n):
    """Program 1: a plain loop."""
    return [k for k in range(1, n) if is_perfect(k)]


def _report(k, found):
    """Child of program 2: test one number and send it back only when it is perfect."""
    if is_perfect(k):
        found.put(k)


def process_per_number(n):
    """Program 2: start one Process per number, then join them all (as the guide does)."""
    found = multiprocessing.SimpleQueue()
    processes = []
    for k in range(1, n):
        p = multiprocessing.Process(target=_report, args=(k, found))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()
    out = []
    while not found.empty():
        out.append(found.get())
    return sorted(out)


def pool(n):
    """Program 3: `Pool()` (one process per core) maps the test over every number."""
    with multiprocessing.Pool() as p:
        return [k for k in p.map(is_perfect, range(1, n)) if k]


def timed(program, n, reps, label):
    """Run `program(n)` `reps` times; return the times in ms, checking the results each time."""
    expected = [p for p in KNOWN_PERFECT if p < n]
    times = []
    for r in range(reps):
        t0 = time.perf_counter()
        found = program(n)
        ms = (time.perf_counter() - t0) * 1000.0
        if found != expected:
            raise SystemExit(f"guide.py: {label} found {found}, expected {expected}")
        times.append(ms)
        print(f"  python {label} (N = {n}) run {r + 1}/{reps}: {ms:.0f} ms", file=sys.stderr)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=30000)
    ap.add_argument("--spawn-n", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    reps = max(1, args.reps)
    ms = {
        "loop": timed(loop, args.n, reps, "loop"),
        "pool": timed(pool, args.n, reps, "Pool().map"),
        "loop@spawn-n": timed(loop, args.spawn_n, reps, "loop"),
        "process-per-number": timed(process_per_number, args.spawn_n, reps, "one Process per number"),
    }
    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "implementation": platform.python_implementation(),
                "startMethod": multiprocessing.get_start_method(),
                "poolProcesses": os.cpu_count(),
                "n": args.n,
                "spawnN": args.spawn_n,
                "reps": reps,
                "ms": ms,
                "medianMs": {k: statistics.median(v) for k, v in ms.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
