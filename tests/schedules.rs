//! Real sleeping runs against the theory of src/schedule.rs: the guide's Pool of 5 over 1..10
//! units ends at 15 units with tasks 1–5 starting at 0, 6 at 1, …; more sleepers than cores
//! still take one sleep's length. A short unit keeps the suite fast. Each upper bound sits half
//! way to the nearest *wrong* outcome (named beside it), so it absorbs a loaded machine's late
//! wake-ups yet still fails when the schedule is wrong; lower bounds are exact (a sleep cannot
//! end early).

use speedup_lab::control::Control;
use speedup_lab::run::{pool_size, run};
use speedup_lab::schedule::{fifo, makespan};
use speedup_lab::spec::Plan;

const UNIT: f64 = 40.0; // ms

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

#[test]
fn pool_of_5_over_1_to_10_takes_15_units_in_fifo_order() {
    let units: Vec<u32> = (1..=10).collect();
    let t = run(&sleep_plan(&units, "pool-map", 5), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    // 4 workers would take 18 units, 6 workers 14: anything in 15..16.5 is the pool of 5.
    assert!((15.0..16.5).contains(&total), "total {total} units");
    let expected = fifo(&units.iter().map(|&u| f64::from(u)).collect::<Vec<_>>(), 5, 1);
    assert_eq!(makespan(&expected), 15.0);
    for slot in expected {
        let span = t.spans.iter().find(|s| s.first == slot.task as u64).unwrap();
        let start = in_units(span.start);
        assert!((start - slot.start).abs() < 0.5, "task {} started at {start}, expected {}", slot.task, slot.start);
    }
    assert_eq!(t.results, (1..=10).collect::<Vec<u64>>());
}

#[test]
fn ten_sleepers_take_two_units_even_on_few_cores() {
    let t = run(&sleep_plan(&[2; 10], "pool-map", 10), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    // 9 workers would take 4 units.
    assert!((2.0..3.0).contains(&total), "total {total} units on {} cores", t.hardware_concurrency);
    assert_eq!(t.spans.iter().map(|s| s.worker).collect::<std::collections::HashSet<_>>().len(), 10);
}

#[test]
fn sequential_sleeps_add_up() {
    let t = run(&sleep_plan(&[1, 1], "sequential", 1), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    // overlapping sleeps would take 1 unit, a third sleep 3.
    assert!((2.0..2.5).contains(&total), "total {total} units");
}

#[test]
fn joined_pair_takes_one_unit() {
    let t = run(&sleep_plan(&[1, 1], "pool-map", 2), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    // in a row they would take 2 units.
    assert!((1.0..1.5).contains(&total), "total {total} units");
}

#[test]
fn cancel_during_a_sleep_is_prompt() {
    // Structure, not a stopwatch around the whole call: `run` may first wait its turn for the
    // pool (other tests hold it), so the canceller waits for a *signal* that the run is going —
    // task 1 (1 unit) has finished, task 2 (100 units = 4 s) is sleeping — and cancels then.
    // A cancel only honoured between tasks would return after task 2's full 4 s; a prompt one
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
    assert!(after.as_secs_f64() * 1000.0 < 50.0 * UNIT, "returned {after:?} after the cancel");
}
