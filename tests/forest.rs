//! The random-forest lesson, natively: the real digits file, the same forest for every n_jobs,
//! accuracy in a sane band, seeds that matter, and the fingerprint the browser tests compare
//! the wasm builds against (tests/forest-expected.json).

use speedup_lab::control::Control;
use speedup_lab::forest::run::fit_native;
use speedup_lab::forest::{Dataset, ForestRun, ForestSettings, Prepared};

const DIGITS: &[u8] = include_bytes!("../www/data/digits.bin");
const EXPECTED: &str = include_str!("forest-expected.json");

fn digits() -> Dataset {
    Dataset::parse(DIGITS).expect("www/data/digits.bin parses")
}

fn fit(json: &str) -> ForestRun {
    let s = ForestSettings::from_json(json, 10).unwrap();
    let p = Prepared::new(&digits(), s.seed).unwrap();
    fit_native(&p, &s, &Control::new()).unwrap()
}

#[test]
fn the_committed_file_is_scikit_learns_digits() {
    let d = digits();
    assert_eq!((d.rows, d.features, d.classes), (1797, 64, 10));
    let mut per_class = [0; 10];
    for &l in &d.labels {
        per_class[usize::from(l)] += 1;
    }
    // load_digits' class counts, and its pixel range 0..16
    assert_eq!(per_class, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    assert_eq!(d.pixels.iter().max(), Some(&16));
    // first image, first row of pixels, as load_digits()[0]
    assert_eq!(&d.row(0)[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
}

#[test]
fn every_n_jobs_grows_the_same_forest() {
    let runs: Vec<ForestRun> = (1..=3).map(|k| fit(&format!(r#"{{"trees":24,"depth":10,"workers":{k}}}"#))).collect();
    for (k, r) in runs.iter().enumerate().map(|(i, r)| (i + 1, r)) {
        assert_eq!(r.verdict, runs[0].verdict, "n_jobs = {k} grew another forest");
        // every tree grown once, by one of exactly k workers
        let mut trees: Vec<usize> = r.spans.iter().map(|s| s.tree).collect();
        trees.sort_unstable();
        assert_eq!(trees, (0..24).collect::<Vec<_>>());
        assert!(r.spans.iter().all(|s| (s.worker as usize) < k), "a worker id past n_jobs = {k}");
        assert!(r.spans.iter().all(|s| s.start <= s.end && s.end <= r.fit_ms));
    }
}

#[test]
fn the_default_forest_is_accurate_and_matches_the_committed_fingerprint() {
    let r = fit(r#"{"trees":100,"depth":12,"seed":0,"workers":2}"#);
    let v = &r.verdict;
    // scikit-learn's forest scores 0.97–0.98 on such a split; a broken vote or split scores far
    // lower, an impossible one (leaked test rows) 1.0.
    assert!(v.accuracy > 0.93 && v.accuracy < 0.995, "accuracy {}", v.accuracy);
    assert_eq!((r.train_rows, r.test_rows), (1347, 450));
    let expected: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
    let got = format!("{:016x}", v.fingerprint);
    assert_eq!(
        (got.as_str(), v.correct as u64),
        (expected["fingerprint"].as_str().unwrap(), expected["correct"].as_u64().unwrap()),
        "the default forest changed: if on purpose, update tests/forest-expected.json"
    );
}

#[test]
fn the_seed_changes_the_forest_and_only_the_seed() {
    let a = fit(r#"{"trees":12,"depth":8,"seed":1}"#);
    let b = fit(r#"{"trees":12,"depth":8,"seed":1}"#);
    let c = fit(r#"{"trees":12,"depth":8,"seed":2}"#);
    assert_eq!(a.verdict, b.verdict);
    assert_ne!(a.verdict.fingerprint, c.verdict.fingerprint);
}

#[test]
fn a_cancelled_fit_stops_with_cancelled() {
    let s = ForestSettings::from_json(r#"{"trees":50,"workers":2}"#, 10).unwrap();
    let p = Prepared::new(&digits(), 0).unwrap();
    let control = Control::new();
    control.cancel();
    let err = fit_native(&p, &s, &control).unwrap_err();
    assert_eq!(err.to_string(), "Cancelled.");
    assert_eq!(control.done(), 0, "no tree grown after the cancel");
}
