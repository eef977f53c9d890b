//! Native side of the random-forest rows of `npm run bench` (bench/forest.mjs): grows the
//! lab's forest on the committed digits with n_jobs = 1..workers, `reps` times each after one
//! untimed warm-up, round-robin over n_jobs (so drift on a shared machine hits them alike), and
//! prints one JSON object: fit times per n_jobs, accuracy, the forest's fingerprint (which must
//! be the same for every n_jobs: checked here, and against wasm by the bench), and the first
//! held-out rows (so the bench can check that scikit-learn is scored on the very same split).
//!
//! Usage: `forest-bench [--trees T] [--depth D] [--reps R] [--workers K]`
//! (defaults 100, 12, 5, 2).

use speedup_lab::control::Control;
use speedup_lab::forest::data::split;
use speedup_lab::forest::run::fit_native;
use speedup_lab::forest::{Dataset, ForestSettings, Prepared};
use std::process::ExitCode;

const DIGITS: &[u8] = include_bytes!("../../www/data/digits.bin");

fn parse_args() -> Result<(u64, u64, usize, usize), String> {
    let (mut trees, mut depth, mut reps, mut workers) = (100, 12, 5, 2);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let n: u64 = value.parse().map_err(|_| format!("{flag} must be a whole number, got {value:?}"))?;
        match flag.as_str() {
            "--trees" => trees = n,
            "--depth" => depth = n,
            "--reps" => reps = n.max(1) as usize,
            "--workers" => workers = n.max(1) as usize,
            _ => return Err(format!("unknown flag {flag}; use --trees, --depth, --reps, --workers")),
        }
    }
    Ok((trees, depth, reps, workers))
}

fn main() -> ExitCode {
    match run() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("forest-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, String> {
    let (trees, depth, reps, workers) = parse_args()?;
    let data = Dataset::parse(DIGITS).map_err(|e| e.to_string())?;
    let settings = |k: usize| {
        ForestSettings::from_json(&format!(r#"{{"trees":{trees},"depth":{depth},"seed":0,"workers":{k}}}"#), 64)
            .map_err(|e| e.to_string())
    };
    let prepared = Prepared::new(&data, 0).map_err(|e| e.to_string())?;
    let fit = |k: usize| fit_native(&prepared, &settings(k)?, &Control::new()).map_err(|e| e.to_string());
    let first = fit(workers)?; // warm-up, untimed
    let mut ms = vec![Vec::new(); workers];
    for _ in 0..reps {
        for k in 1..=workers {
            let r = fit(k)?;
            if r.verdict != first.verdict {
                return Err(format!("n_jobs = {k} grew another forest ({:016x})", r.verdict.fingerprint));
            }
            ms[k - 1].push(r.fit_ms);
        }
    }
    let list = |v: &[f64]| v.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(",");
    let per_k: Vec<String> = ms.iter().enumerate().map(|(i, v)| format!("\"{}\":[{}]", i + 1, list(v))).collect();
    let head: Vec<String> = split(data.rows, 0).test.iter().take(8).map(usize::to_string).collect();
    Ok(format!(
        r#"{{"trees":{trees},"depth":{depth},"ms":{{{}}},"correct":{},"testRows":{},"accuracy":{},"fingerprint":"{:016x}","testHead":[{}]}}"#,
        per_k.join(","),
        first.verdict.correct,
        first.test_rows,
        first.verdict.accuracy,
        first.verdict.fingerprint,
        head.join(",")
    ))
}
