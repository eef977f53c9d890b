//! Native side of `npm run bench` (see BENCHMARKS.md): times the crate's own strategies on perfect
//! numbers below N and prints one JSON object on stdout for `bench/run.mjs` to merge.
//!
//! It goes through [`speedup_lab::run::run`] — the very code the browser runs, in the same
//! `pool_size_for(cores)` pool — so "wasm against native" compares one program on two targets, not
//! two programs. Times are the traces' own `totalMs` (taken next to the work), after one
//! untimed warm-up run, and every run's results are checked against the known perfect numbers.
//!
//! `--kernel lanes` times the SIMD-lanes kernel instead (sequential and work-stealing): that is
//! the native *division limit* the wasm lanes kernel is compared with. `bench/native.mjs` builds
//! it with `-C target-cpu=x86-64-v2` and with `-C target-cpu=native`, because with the default
//! x86-64 target (SSE2) every `trunc` is a library call and the lanes kernel is slower than the
//! scalar loop (see `src/workload/lanes.rs`).
//!
//! Usage: `bench [--n N] [--reps R] [--workers K] [--kernel naive|lanes]` (defaults: 30000, 5,
//! the core count, naive).

use speedup_lab::control::Control;
use speedup_lab::spec::Plan;
use speedup_lab::workload::KNOWN_PERFECT;
use std::process::ExitCode;

/// What the command line asked for.
struct Args {
    n: u64,
    reps: usize,
    workers: usize,
    lanes: bool,
}

fn parse_args() -> Result<Args, String> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let mut args = Args { n: 30_000, reps: 5, workers: cores, lanes: false };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        if flag == "--kernel" {
            args.lanes = match value.as_str() {
                "naive" => false,
                "lanes" => true,
                _ => return Err(format!("--kernel must be naive or lanes, got {value:?}")),
            };
            continue;
        }
        let number: u64 = value.parse().map_err(|_| format!("{flag} must be a whole number, got {value:?}"))?;
        match flag.as_str() {
            "--n" => args.n = number,
            "--reps" => args.reps = number.max(1) as usize,
            "--workers" => args.workers = number.max(1) as usize,
            _ => return Err(format!("unknown flag {flag}; use --n, --reps, --workers, --kernel")),
        }
    }
    Ok(args)
}

/// Run one strategy once and return its `totalMs`, failing if the results are not the known ones.
fn time_once(strategy: &str, args: &Args, expected: &[u64]) -> Result<f64, String> {
    let workers = if strategy == "sequential" { 1 } else { args.workers };
    let kernel = if args.lanes { "lanes" } else { "naive" };
    let spec = format!(
        r#"{{"workload":"perfect","n":{},"kernel":"{kernel}","strategy":"{strategy}","workers":{workers}}}"#,
        args.n
    );
    let plan = Plan::from_json(&spec, speedup_lab::run::pool_size() as u32).map_err(|e| e.to_string())?;
    let trace = speedup_lab::run::run(&plan, &Control::new()).map_err(|e| e.to_string())?;
    if trace.results != expected {
        return Err(format!("{strategy} found {:?}, expected {expected:?}", trace.results));
    }
    Ok(trace.total_ms)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::from(2);
        }
    };
    let expected: Vec<u64> = KNOWN_PERFECT.iter().copied().filter(|&p| p < args.n).collect();
    let strategies: &[&str] =
        if args.lanes { &["sequential", "work-stealing"] } else { &["sequential", "pool-map", "work-stealing"] };
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); strategies.len()];
    // Warm-up (page faults, thread start-up, CPU frequency), then the reps interleaved so that
    // a burst of noise from elsewhere on the machine is spread over every strategy alike.
    for rep in 0..=args.reps {
        for (i, s) in strategies.iter().enumerate() {
            match time_once(s, &args, &expected) {
                Ok(ms) if rep > 0 => times[i].push(ms),
                Ok(_) => {}
                Err(e) => {
                    eprintln!("bench: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let ms: serde_json::Map<String, serde_json::Value> =
        strategies.iter().zip(times).map(|(s, t)| (s.to_string(), serde_json::json!(t))).collect();
    let out = serde_json::json!({
        "n": args.n,
        "reps": args.reps,
        "workers": args.workers,
        "kernel": if args.lanes { "lanes" } else { "naive" },
        "lanesKernel": speedup_lab::workload::lanes_kernel(args.n),
        "poolSize": speedup_lab::run::pool_size(),
        "results": expected,
        "ms": ms,
    });
    println!("{out}");
    ExitCode::SUCCESS
}
