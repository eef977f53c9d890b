#!/usr/bin/env python3
"""scikit-learn's RandomForestClassifier on the lab's digits, for `npm run bench` (bench/forest.mjs).

The anchor of the random-forest lesson: the same data (www/data/digits.bin), the same held-out
rows (the lab's seeded 75/25 split, repeated here: SplitMix64 + Fisher-Yates, as in
src/forest/data.rs), the same tree count and depth, max_features="sqrt" (8 of 64, as the lab),
with n_jobs = 1 and 2. scikit-learn grows a forest's trees in threads — joblib's
Parallel(n_jobs, prefer="threads") in sklearn/ensemble/_forest.py — because its Cython tree
builder releases the GIL.

Times `fit` alone, after one untimed warm-up fit, round-robin over n_jobs. Prints one JSON
object on stdout. Its forest is not the lab's (another bootstrap, probabilities averaged rather
than votes counted): compare accuracy, not predictions.
"""

import argparse
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier

MASK = (1 << 64) - 1


class SplitMix64:
    """src/forest/rng.rs, line for line."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def split(rows, seed):
    """src/forest/data.rs `split`: shuffle, hold out the first ceil(rows / 4), both sorted."""
    order = list(range(rows))
    rng = SplitMix64(seed)
    for i in range(rows - 1, 0, -1):
        j = rng.next() % (i + 1)
        order[i], order[j] = order[j], order[i]
    held = (rows + 3) // 4
    return sorted(order[held:]), sorted(order[:held])


def load(path):
    raw = Path(path).read_bytes()
    assert raw[:8] == b"SLDIGIT1", "not a digits.bin"
    rows, features, _classes = struct.unpack("<HBB", raw[8:12])
    x = np.frombuffer(raw, dtype=np.uint8, count=rows * features, offset=12).reshape(rows, features)
    y = np.frombuffer(raw, dtype=np.uint8, count=rows, offset=12 + rows * features)
    return x.astype(np.float64), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--depth", type=int, default=12)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    x, y = load(a.data)
    train, test = split(len(y), 0)

    def fit(n_jobs):
        model = RandomForestClassifier(
            n_estimators=a.trees, max_depth=a.depth, max_features="sqrt", n_jobs=n_jobs, random_state=0
        )
        t0 = time.perf_counter()
        model.fit(x[train], y[train])
        ms = (time.perf_counter() - t0) * 1000
        correct = int((model.predict(x[test]) == y[test]).sum())
        return ms, correct

    fit(2)  # warm-up: imports, thread pool, caches
    ms = {"1": [], "2": []}
    correct = {}
    for _ in range(a.reps):
        for k in (1, 2):
            t, c = fit(k)
            ms[str(k)].append(t)
            correct[str(k)] = c
        print(f"  scikit-learn: {ms['1'][-1]:.0f} / {ms['2'][-1]:.0f} ms", file=sys.stderr)
    json.dump(
        {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
            "ms": ms,
            "correct": correct,
            "testRows": len(test),
            "testHead": test[:8],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
