/**
 * The guide's "training models" lesson: a random forest on a real dataset (the handwritten
 * digits, www/data/digits.bin, fetched only when the card runs), its trees grown with
 * n_jobs = 1..k. Shows fit time and speedup per n_jobs, the held-out accuracy, and checks that
 * every n_jobs grew the same forest (the same fingerprint of every tree's predictions).
 */
import { speedupChart, timeline } from "../ui/charts.js";
import { int, ms, times } from "../ui/format.js";
import { median } from "./common.js";
import { lessonResult } from "./contract.js";
import { asFast, count } from "./plain.js";

/** scikit-learn's side, measured by `npm run bench` on a 2-core machine (bench/forest.py). */
const SKLEARN = "0.75–1.15×";

/** How many trees the untimed warm-up grows (it also fetches and parses the data). */
const WARM_TREES = 10;

/** Fits per n_jobs, interleaved (1, 2, …, 1, 2, …) so a busy spell on the machine hits every
 * n_jobs alike; each point is their median, with the min–max shown. */
const REPEATS = 3;

export const randomForest = {
  id: "random-forest",
  section: "guide",
  // quick: 20 trees instead of 100, 6 fits (n_jobs 1..2, 3 times) of a fraction of a second each
  quick: { trees: "20", workers: 2 },
  small: { trees: 8, depth: 6, workers: 2 },
  title: "A random forest: trees grown in parallel (n_jobs)",
  lede: "A random forest learns to read 1797 handwritten digits, its trees grown by 1, 2, … workers in parallel: you will see how much sooner more workers grow the same forest.",
  params: ["trees", "depth", "workers"],
  defaults: { workers: (env) => Math.min(env.poolSize, Math.max(2, env.cores)) },
  labels: { workers: "n_jobs up to" },
  code: {
    rust: `// one tree = a one-tree smartcore forest, seeded from (seed, tree index):
fn grow_tree(data: &Prepared, tree: usize) -> Vec<u8> {
    let params = Params::default().with_n_trees(1).with_max_depth(depth)
        .with_m(8 /* √64 features per split */).with_seed(tree_seed(seed, tree));
    RandomForestClassifier::fit(&data.train_x, &data.train_y, params)?.predict(&data.test_x)?
}
// n_jobs workers take tree indices from one queue, then the trees vote
rayon::scope(|s| for _ in 0..n_jobs {
    s.spawn(|_| while let Some(t) = next_tree() { votes[t] = grow_tree(&data, t) })
});
let predicted = majority_vote(&votes);   // the same for every n_jobs`,
    python: `from sklearn.ensemble import RandomForestClassifier
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
for n_jobs in (1, 2):
    model = RandomForestClassifier(n_estimators=100, max_depth=12, n_jobs=n_jobs, random_state=0)
    model.fit(X_train, y_train)        # trees built in n_jobs threads
    print(n_jobs, model.score(X_test, y_test))`,
  },
  expect: (p, env) =>
    `Fit time falls with n_jobs up to ${env.cores} (the cores) — each tree is independent work — then stops falling; accuracy about 98 % on the 450 held-out digits, and the very same predictions for every n_jobs. Grows ${int(p.trees)} trees ${REPEATS * p.workers} times (n_jobs = 1..${p.workers}, ${REPEATS} times each, interleaved) after an untimed warm-up of ${WARM_TREES}.`,
  why: "Each tree is grown from its own bootstrap sample and its own seed, so trees are independent tasks: k workers grow k at a time, and the vote cannot tell who grew which.",
  async run(p, ctx) {
    const spec = (workers, trees = p.trees) => ({ workload: "forest", trees, depth: p.depth, seed: 0, workers });
    // Untimed: fetches the digits (~44 kB gz) once per engine and lets the wasm tier up.
    ctx.stage("fetching the digits and warming up");
    await ctx.run(spec(p.workers, Math.min(WARM_TREES, p.trees)));
    const fits = Array.from({ length: p.workers }, () => []);
    for (let r = 0; r < REPEATS; r++) {
      for (let k = 1; k <= p.workers; k++) {
        ctx.stage(`n_jobs = ${k}, run ${r + 1} of ${REPEATS}`);
        fits[k - 1].push(await ctx.run(spec(k)));
      }
    }
    // Every fit, of every n_jobs, must have grown the same forest as the first.
    const first = fits[0][0].forest;
    const differs = fits.flat().find((t) => t.forest.fingerprint !== first.fingerprint);
    if (differs) {
      throw new Error(
        `The forest differed: n_jobs = ${differs.workers} gave fingerprint ${differs.forest.fingerprint}, n_jobs = 1 gave ${first.fingerprint}. The trees must not depend on who grew them.`,
      );
    }
    const points = fits.map((runs, i) => {
      const times = runs.map((t) => t.totalMs);
      return { k: i + 1, ms: median(times), min: Math.min(...times), max: Math.max(...times), trace: runs.at(-1) };
    });
    for (const x of points) x.speedup = points[0].ms / x.ms;
    const summary = { points, forest: first, cores: points[0].trace.hardwareConcurrency };
    return lessonResult(
      [...points].reverse().map((x) => [`n_jobs = ${x.k} (last fit)`, x.trace]),
      summary,
    );
  },
  render({ points, forest, cores }, out, p) {
    const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const engine = points[0].trace.engine;
    out.facts([
      [
        "held-out accuracy",
        `${(forest.accuracy * 100).toFixed(1)} % (${forest.correct} of ${forest.testRows} digits; trained on ${forest.trainRows})`,
      ],
      [
        "same forest for every n_jobs",
        `✓ ${points.length * REPEATS} fits, one fingerprint: ${forest.fingerprint} (every tree's predictions, then the vote)`,
      ],
      ["fit time, n_jobs = 1", `${ms(points[0].ms)} (median of ${REPEATS})`],
      ["best", `${times(best.speedup)} with n_jobs = ${best.k} (${cores} cores)`],
      [
        "engine",
        `${engine}: ${engine === "threads" ? "threads sharing one copy of the data" : "separate processes, each with its own copy"}`,
      ],
    ]);
    // Say so when this run did not show the lesson, rather than let a flat line pass silently.
    const atCores = points.find((x) => x.k === Math.min(cores, points.length));
    if (atCores && atCores.k > 1 && atCores.speedup < 0.6 * atCores.k) {
      out.note(
        `This run gained only ${times(atCores.speedup)} with n_jobs = ${atCores.k} on ${cores} cores (ideal ${atCores.k}×). The trees are independent, so the usual cause is other work on this machine taking the cores (another tab, a build): the min–max column shows how much the fits varied. Run again when the machine is idle, or grow more trees.`,
      );
    }
    const start = points.map((x) => x.trace.startupMs).filter((x) => x !== undefined);
    if (start.length) {
      out.note(
        `Processes: starting n_jobs Workers and copying the data into each took ${ms(Math.max(...start))} at most, before the timer (like a pool opened before the fit).`,
        "How the fits were timed",
      );
    }
    out.note(
      `scikit-learn: RandomForestClassifier(n_jobs=k) grows trees in k threads — joblib's Parallel(n_jobs, prefer="threads") — because its Cython tree builder releases the GIL. On this small dataset its n_jobs = 2 gains little (${SKLEARN} measured on 2 cores, npm run bench): a tree takes a few ms, and joblib's per-tree dispatch plus the GIL-held Python around each tree are a large share of that.`,
      "What scikit-learn does with n_jobs",
    );
    out.note(
      `The lab: n_jobs workers take tree indices from one queue — on the threads engine, loops in a rayon scope sharing memory; on the processes engine, separate wasm instances that send back each tree's ${forest.testRows} predictions. Tree i is seeded from (seed ${forest.seed}, i), so the forest is the same whoever grows it.`,
      "How the lab grows trees in parallel",
    );
    speedupChart(out.charts, {
      points,
      cores,
      fit: null,
      // whiskers: each fit's speedup against the n_jobs = 1 median (the table's min–max times)
      range: (x) => [points[0].ms / x.max, points[0].ms / x.min],
      title: `Speedup of the fit, ${int(p.trees)} trees of depth ≤ ${p.depth}`,
    });
    timeline(out.more("Timeline: which worker grew which tree when", "timeline"), points.at(-1).trace, {
      title: `n_jobs = ${points.at(-1).k}: which worker grew which tree when`,
    });
    out.table(
      ["n_jobs", `fit time (median of ${REPEATS})`, "min–max", "speedup", "accuracy", "fingerprint"],
      points.map((x) => [
        x.k,
        ms(x.ms),
        `${ms(x.min)}–${ms(x.max)}`,
        times(x.speedup),
        `${(x.trace.forest.accuracy * 100).toFixed(1)} %`,
        x.trace.forest.fingerprint,
      ]),
      "Same seed, same trees: the accuracy and fingerprint columns must not change; only the time may.",
      "Each n_jobs: time, accuracy and fingerprint",
    );
  },
  answer({ points, forest, cores }) {
    const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const last = points.at(-1);
    const top = best.k > 1 ? best : last;
    return `Growing the forest with ${count(top.k, "worker")} ${asFast(top.speedup, "with one")}, on ${count(cores, "core")}; every number of workers grew the same forest, which reads ${(forest.accuracy * 100).toFixed(1)} % of the ${forest.testRows} test digits right.`;
  },
};
