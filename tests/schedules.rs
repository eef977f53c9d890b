//! Real sleeping runs against the theory of src/schedule.rs: the guide's Pool of 5 over 1..10
//! units ends at 15 units with tasks 1–5 starting at 0, 6 at 1, …; more sleepers than cores
//! still take one sleep's length. A short unit keeps the suite fast; tolerances absorb
//! scheduler noise on a loaded 2-core machine.

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
    assert!((15.0..15.8).contains(&total), "total {total} units");
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
    assert!((2.0..2.6).contains(&total), "total {total} units on {} cores", t.hardware_concurrency);
    assert_eq!(t.spans.iter().map(|s| s.worker).collect::<std::collections::HashSet<_>>().len(), 10);
}

#[test]
fn sequential_sleeps_add_up() {
    let t = run(&sleep_plan(&[1, 1], "sequential", 1), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    assert!((2.0..2.5).contains(&total), "total {total} units");
}

#[test]
fn joined_pair_takes_one_unit() {
    let t = run(&sleep_plan(&[1, 1], "pool-map", 2), &Control::new()).unwrap();
    let total = in_units(t.total_ms);
    assert!((1.0..1.4).contains(&total), "total {total} units");
}

#[test]
fn cancel_during_a_sleep_is_prompt() {
    let control = std::sync::Arc::new(Control::new());
    let c = std::sync::Arc::clone(&control);
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(60));
        c.cancel();
    });
    let started = std::time::Instant::now();
    let r = run(&sleep_plan(&[100, 100], "pool-map", 2), &control);
    canceller.join().unwrap();
    assert!(r.is_err());
    assert!(started.elapsed().as_millis() < 300, "took {:?}", started.elapsed());
}
