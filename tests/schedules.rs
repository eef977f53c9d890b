//! Real sleeping runs against the theory of src/schedule.rs: the guide's Pool of 5 over 1..10
//! units ends at 15 units with tasks 1–5 starting at 0, 6 at 1, …; more sleepers than cores
//! still take one sleep's length.
//!
//! These must hold on a loaded 2-core machine under `--test-threads=8`, where a sleeping thread
//! can wake late by any amount. So they check structure (which worker, in which order,
//! overlapping or not) and lower bounds (a sleep never ends early); the only upper bounds are
//! 5× the expected total, which catch a unit mix-up or a lost wake-up, not lateness.

use speedup_lab::control::Control;
use speedup_lab::run::{pool_size, run};
use speedup_lab::schedule::{fifo, makespan};
use speedup_lab::spec::Plan;
use speedup_lab::trace::{Span, Trace};

const UNIT: f64 = 100.0; // ms: long against wake-up noise, short enough for a quick suite

fn sleep_plan(units: &[u32], strategy: &str, workers: usize) -> Plan {
    let list: Vec<String> = units.iter().map(u32::to_string).collect();
    let json = format!(
        r#"{{"workload":"sleep","units":[{}],"unitMs":{UNIT},"strategy":"{strategy}","workers":{workers},"chunksize":1}}"#,
        list.join(",")
    );
    Plan::from_json(&json, pool_size() as u32).unwrap()
}

fn in_units(ms: f64) -> f64 {
    ms / UNIT
}

fn span(t: &Trace, task: usize) -> &Span {
    t.spans.iter().find(|s| s.first == task as u64).unwrap()
}

#[test]
fn pool_of_5_over_1_to_10_takes_15_units_in_fifo_order() {
    let units: Vec<u32> = (1..=10).collect();
    let t = run(&sleep_plan(&units, "pool-map", 5), &Control::new()).unwrap();
    let expected = fifo(&units.iter().map(|&u| f64::from(u)).collect::<Vec<_>>(), 5, 1);
    assert_eq!(makespan(&expected), 15.0);
    // Every task runs on the worker the theory gives it (up to the workers' numbering, fixed by
    // tasks 1–5), after the task before it on that worker has ended.
    let real_worker_of =
        |predicted: usize| span(&t, expected.iter().find(|s| s.worker == predicted).unwrap().task).worker;
    for slot in &expected {
        let s = span(&t, slot.task);
        assert_eq!(s.worker, real_worker_of(slot.worker), "task {} on the theory's worker", slot.task);
        if let Some(before) = expected.iter().rfind(|p| p.worker == slot.worker && p.end <= slot.start) {
            assert!(
                s.start >= span(&t, before.task).end,
                "task {} started before task {} ended",
                slot.task,
                before.task
            );
        } else {
            assert!(s.start < span(&t, 1).end, "task {} started at once", slot.task);
        }
    }
    let total = in_units(t.total_ms);
    assert!((15.0..75.0).contains(&total), "total {total} units");
    assert_eq!(t.results, (1..=10).collect::<Vec<u64>>());
}

#[test]
fn ten_sleepers_take_two_units_even_on_few_cores() {
    let t = run(&sleep_plan(&[2; 10], "pool-map", 10), &Control::new()).unwrap();
    assert_eq!(t.spans.iter().map(|s| s.worker).collect::<std::collections::HashSet<_>>().len(), 10);
    let last_start = t.spans.iter().map(|s| s.start).fold(0.0, f64::max);
    let first_end = t.spans.iter().map(|s| s.end).fold(f64::INFINITY, f64::min);
    assert!(last_start < first_end, "all ten sleep at once");
    let total = in_units(t.total_ms);
    assert!((2.0..10.0).contains(&total), "total {total} units on {} cores", t.hardware_concurrency);
}

#[test]
fn sequential_sleeps_add_up() {
    let t = run(&sleep_plan(&[1, 1], "sequential", 1), &Control::new()).unwrap();
    let (a, b) = (span(&t, 1), span(&t, 2));
    assert_eq!(a.worker, b.worker);
    assert!(b.start >= a.end, "the second sleep starts when the first has ended");
    let total = in_units(t.total_ms);
    assert!((2.0..10.0).contains(&total), "total {total} units");
}

#[test]
fn joined_pair_takes_one_unit() {
    let t = run(&sleep_plan(&[1, 1], "pool-map", 2), &Control::new()).unwrap();
    let (a, b) = (span(&t, 1), span(&t, 2));
    assert_ne!(a.worker, b.worker);
    assert!(a.start < b.end && b.start < a.end, "the two sleeps overlap");
    let total = in_units(t.total_ms);
    assert!((1.0..5.0).contains(&total), "total {total} units");
}

#[test]
fn cancel_during_a_sleep_is_prompt() {
    // Structure, not a stopwatch around the whole call: `run` may first wait its turn for the
    // pool (other tests hold it), so the canceller waits for a *signal* that the run is going —
    // task 1 (1 unit) has finished, task 2 (100 units = 10 s) is sleeping — and cancels then.
    // A cancel only honoured between tasks would return after task 2's full 10 s; a prompt one
    // returns within a sleep slice. The bound, half the sleep, is generous on a loaded machine
    // and still fails if the sleep is waited out.
    let control = std::sync::Arc::new(Control::new());
    let c = std::sync::Arc::clone(&control);
    let canceller = std::thread::spawn(move || {
        while c.done() == 0 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        c.cancel();
        std::time::Instant::now()
    });
    let r = run(&sleep_plan(&[1, 100], "sequential", 1), &control);
    let returned = std::time::Instant::now();
    let cancelled_at = canceller.join().unwrap();
    assert_eq!(r.unwrap_err(), speedup_lab::LabError::Cancelled);
    assert_eq!(control.done(), 1, "task 2 never finished");
    let after = returned.duration_since(cancelled_at);
    assert!(
        after.as_secs_f64() * 1000.0 < 50.0 * UNIT,
        "returned {after:?} after the cancel (task 2 sleeps 100 units)"
    );
}
