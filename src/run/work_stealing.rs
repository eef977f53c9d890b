//! `work-stealing`: rayon's `par_iter`, on exactly the number of workers the reader chose.
//!
//! The pool has more threads than cores (the sleep lessons need ten), and wasm-bindgen-rayon can
//! build only the global pool, so a smaller pool cannot be made on demand in the browser.
//! Instead, `pool_size - k` threads are *parked*: each runs a job that blocks on a condition
//! variable until the run ends. Blocked threads steal nothing, so `par_iter` spreads over the
//! remaining `k` threads (the caller's included) and the run uses exactly `k` workers.

use super::timed;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::Plan;
use crate::trace::TaskRecord;
use rayon::prelude::*;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Parking {
    /// (threads parked so far, released)
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

/// Releases the parked threads when the run ends, however it ends.
struct Release(Arc<Parking>);

impl Drop for Release {
    fn drop(&mut self) {
        if let Ok(mut st) = self.0.state.lock() {
            st.1 = true;
        }
        self.0.changed.notify_all();
    }
}

/// Park all but `k` threads of the current pool; dropping the guard lets them go.
fn park_all_but(k: usize) -> Release {
    let parking = Arc::new(Parking::default());
    let spare = rayon::current_num_threads().saturating_sub(k);
    for _ in 0..spare {
        let p = Arc::clone(&parking);
        rayon::spawn(move || {
            let Ok(mut st) = p.state.lock() else { return };
            st.0 += 1;
            p.changed.notify_all();
            while !st.1 {
                st = match p.changed.wait(st) {
                    Ok(g) => g,
                    Err(_) => return,
                };
            }
        });
    }
    if let Ok(mut st) = parking.state.lock() {
        // Bounded wait: if a thread is somehow slow to pick up its parking job, the run still
        // goes ahead (with a little more parallelism) rather than hanging the page.
        let deadline = 2_000;
        let mut waited = 0;
        while st.0 < spare && waited < deadline {
            st = match parking.changed.wait_timeout(st, Duration::from_millis(10)) {
                Ok((g, _)) => g,
                Err(_) => break,
            };
            waited += 10;
        }
    }
    Release(parking)
}

pub(super) fn run(plan: &Plan, t0: f64, clock: &dyn Clock, control: &Control) -> Result<Vec<TaskRecord>, LabError> {
    let _parked = park_all_but(plan.workers);
    let mut records: Vec<TaskRecord> = plan
        .tasks
        .par_iter()
        .enumerate()
        .map(|(pos, task)| {
            let thread = rayon::current_thread_index().unwrap_or(0) as u32;
            timed(task, pos, thread, t0, clock, control)
        })
        .collect::<Result<_, _>>()?;
    // Pool thread numbers are arbitrary (0..pool size); renumber workers 0..k by first start.
    records.sort_unstable_by(|a, b| a.start.total_cmp(&b.start).then(a.position.cmp(&b.position)));
    // A plain list, not a HashMap: at most pool-size entries, and no hasher in the wasm.
    let mut ids: Vec<u32> = Vec::new();
    for r in &mut records {
        let id = ids.iter().position(|&t| t == r.worker).unwrap_or_else(|| {
            ids.push(r.worker);
            ids.len() - 1
        });
        r.worker = id as u32;
    }
    Ok(records)
}
