//! `work-stealing`: rayon's `par_iter`, on exactly the number of workers the reader chose.
//!
//! The pool has more threads than cores (the sleep lessons need ten), and wasm-bindgen-rayon can
//! build only the global pool, so a smaller pool cannot be made on demand in the browser.
//! Instead, `pool_size - k` threads are *parked*: each runs a job that blocks on a condition
//! variable until the run ends. Blocked threads steal nothing, so `par_iter` spreads over the
//! remaining `k` threads (the caller's included) and the run uses exactly `k` workers.

use super::timed_from;
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

/// How long a run waits for the spare threads to park, in ms of elapsed (clock) time. A pool
/// thread picks up its parking job within microseconds when idle; if some are still busy (a
/// previous run's job, a slow Worker start) the run goes ahead rather than hanging the page.
pub(crate) const PARK_DEADLINE_MS: f64 = 2_000.0;

/// Park all but `k` threads of the current pool, waiting until `deadline_ms` of `clock` time
/// has passed at most. Dropping the guard lets them go; the flag says whether the deadline
/// passed first (the run then has more threads than `k`: the fallback the trace records).
fn park_all_but(k: usize, clock: &dyn Clock, deadline_ms: f64) -> (Release, bool) {
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
    let until = clock.now_ms() + deadline_ms;
    let mut fallback = false;
    if let Ok(mut st) = parking.state.lock() {
        while st.0 < spare {
            let left = until - clock.now_ms();
            if left <= 0.0 {
                fallback = true;
                break;
            }
            // Wake-ups (spurious or not) only re-check the count: the deadline is the clock's.
            st = match parking.changed.wait_timeout(st, Duration::from_secs_f64(left.min(50.0) / 1000.0)) {
                Ok((g, _)) => g,
                Err(_) => {
                    fallback = true;
                    break;
                }
            };
        }
    }
    (Release(parking), fallback)
}

/// Run `plan` on exactly `plan.workers` threads; the flag is the parking fallback (see
/// [`park_all_but`]).
pub(super) fn run(
    plan: &Plan,
    t0: f64,
    clock: &dyn Clock,
    control: &Control,
) -> Result<(Vec<TaskRecord>, bool), LabError> {
    let (_parked, fallback) = park_all_but(plan.workers, clock, PARK_DEADLINE_MS);
    let mut records: Vec<TaskRecord> = plan
        .tasks
        .par_iter()
        .enumerate()
        .map(|(pos, task)| {
            let thread = rayon::current_thread_index().unwrap_or(0) as u32;
            timed_from(clock.now_ms() - t0, task, pos, thread, t0, clock, control)
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
    Ok((records, fallback))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::clock::NativeClock;
    use std::sync::mpsc;

    #[test]
    fn idle_threads_park_without_the_fallback() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let fallback = pool.install(|| park_all_but(1, &NativeClock, PARK_DEADLINE_MS).1);
        assert!(!fallback);
    }

    #[test]
    fn busy_threads_trigger_the_fallback_at_the_clock_deadline() {
        // Three of four threads are held busy, so at most one parking job can start: the wait
        // must end on the clock deadline, flagged, however few wake-ups happen meanwhile.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let (release, held) = (Arc::new(Mutex::new(())), mpsc::channel::<()>());
        let guard = release.lock().unwrap();
        for _ in 0..3 {
            let (r, tx) = (Arc::clone(&release), held.0.clone());
            pool.spawn(move || {
                tx.send(()).unwrap();
                drop(r.lock());
            });
        }
        for _ in 0..3 {
            held.1.recv().unwrap(); // all three are busy before parking starts
        }
        let clock = NativeClock;
        let started = clock.now_ms();
        let fallback = pool.install(|| park_all_but(1, &clock, 30.0).1);
        assert!(fallback, "the busy threads could not park");
        assert!(clock.now_ms() - started >= 30.0, "waited the deadline out");
        drop(guard);
    }
}
