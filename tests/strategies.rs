//! Every strategy returns exactly what `sequential` returns: property tests over random N,
//! worker counts and chunk sizes, run natively in the same pool code the browser uses.

use proptest::prelude::*;
use speedup_lab::control::Control;
use speedup_lab::run::{pool_size, run};
use speedup_lab::spec::Plan;
use speedup_lab::workload::KNOWN_PERFECT;

fn plan(n: u64, strategy: &str, workers: usize, chunksize: Option<usize>) -> Plan {
    let chunk = chunksize.map_or(String::new(), |c| format!(",\"chunksize\":{c}"));
    let json = format!(r#"{{"workload":"perfect","n":{n},"strategy":"{strategy}","workers":{workers}{chunk}}}"#);
    Plan::from_json(&json, pool_size() as u32).expect("valid plan")
}

#[test]
fn every_strategy_finds_the_perfect_numbers_below_10_000() {
    for strategy in ["sequential", "pool-map", "work-stealing"] {
        let t = run(&plan(10_000, strategy, 2, None), &Control::new()).unwrap();
        assert_eq!(t.results, vec![6, 28, 496, 8_128], "{strategy}");
        assert_eq!(t.results, KNOWN_PERFECT[..4].to_vec());
    }
}

#[test]
fn spawn_per_task_finds_them_too() {
    let t = run(&plan(600, "spawn-per-task", 4, None), &Control::new()).unwrap();
    assert_eq!(t.results, vec![6, 28, 496]);
    assert_eq!(t.lanes, 599, "one process (a lane of the timeline) per task");
    assert_eq!(t.workers, 4, "at most the reader's 4 at once");
}

#[test]
fn the_pool_never_uses_more_workers_than_given() {
    // The parking of `work-stealing` and the k loops of `pool-map` must keep the run on k
    // workers: no worker id at or beyond k, whatever the pool size (10 or more threads).
    for k in [1, 2, 3] {
        for strategy in ["pool-map", "work-stealing"] {
            let t = run(&plan(3_000, strategy, k, Some(16)), &Control::new()).unwrap();
            assert!(!t.parking_fallback, "{strategy}: the spare threads were not parked");
            assert!(t.spans.iter().all(|s| (s.worker as usize) < k), "{strategy}: a worker id beyond {k}");
        }
    }
}

#[test]
fn the_pool_uses_every_worker_it_was_given() {
    // Sleeping tasks keep a worker busy without a core, so the others must take the rest: with
    // 3k tasks of 2 units each on k workers, a worker that took none would have had to sleep
    // through 4+ units (160 ms) of its peers' work. Exactly k workers, each with a task.
    for k in [2, 3] {
        for strategy in ["pool-map", "work-stealing"] {
            let units = vec!["2"; 3 * k].join(",");
            let json = format!(
                r#"{{"workload":"sleep","units":[{units}],"unitMs":40,"strategy":"{strategy}","workers":{k},"chunksize":1}}"#
            );
            let t = run(&Plan::from_json(&json, pool_size() as u32).unwrap(), &Control::new()).unwrap();
            let used: std::collections::BTreeSet<u32> = t.spans.iter().map(|s| s.worker).collect();
            assert_eq!(used, (0..k as u32).collect(), "{strategy} with {k} workers");
        }
    }
}

#[test]
fn spans_cover_every_task_once() {
    let t = run(&plan(2_000, "work-stealing", 3, None), &Control::new()).unwrap();
    let mut covered: Vec<u64> = t.spans.iter().flat_map(|s| s.first..=s.last).collect();
    covered.sort_unstable();
    assert_eq!(covered, (1..2_000).collect::<Vec<u64>>());
    assert!(t.spans.iter().all(|s| s.start <= s.end && s.end <= t.total_ms + 1.0));
}

#[test]
fn a_cancelled_run_stops_with_cancelled() {
    let control = Control::new();
    control.cancel();
    let r = run(&plan(50_000, "pool-map", 2, None), &control);
    assert_eq!(r.unwrap_err(), speedup_lab::LabError::Cancelled);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn strategies_agree_with_sequential(n in 2u64..1_500, workers in 1usize..=10, chunk in proptest::option::of(1usize..200)) {
        let chunk = chunk.map(|c| c.min(n as usize - 1).max(1));
        let reference = run(&plan(n, "sequential", 1, None), &Control::new()).unwrap().results;
        for strategy in ["pool-map", "work-stealing"] {
            let t = run(&plan(n, strategy, workers, chunk), &Control::new()).unwrap();
            prop_assert_eq!(&t.results, &reference, "{} k={} chunk={:?}", strategy, workers, chunk);
            prop_assert_eq!(t.tasks, n - 1);
        }
    }
}

#[test]
fn a_panicking_worker_becomes_an_error_and_the_pool_still_works() {
    for strategy in ["sequential", "pool-map", "work-stealing"] {
        let p = Plan::from_json(&format!(r#"{{"workload":"fault","strategy":"{strategy}","workers":2}}"#), 10).unwrap();
        let r = run(&p, &Control::new());
        assert!(matches!(r, Err(speedup_lab::LabError::WorkerFailed(_))), "{strategy}: {r:?}");
    }
    let t = run(&plan(500, "work-stealing", 2, None), &Control::new()).unwrap();
    assert_eq!(t.results, vec![6, 28, 496]);
}

#[test]
fn the_lanes_kernel_finds_the_same_numbers_with_every_strategy() {
    for strategy in ["sequential", "pool-map", "work-stealing"] {
        let json = format!(r#"{{"workload":"perfect","n":9000,"kernel":"lanes","strategy":"{strategy}","workers":2}}"#);
        let t = run(&Plan::from_json(&json, pool_size() as u32).unwrap(), &Control::new()).unwrap();
        assert_eq!(t.results, vec![6, 28, 496, 8_128], "{strategy}");
    }
}
