//! `pool-map`: `k` long-lived workers take chunks of `chunksize` tasks from one FIFO queue.
//!
//! The queue is an atomic counter over chunk numbers: taking the next chunk is `fetch_add`, so
//! chunks leave in order, first come first served, exactly like `Pool.map`'s task queue. The `k`
//! workers are `k` jobs in a rayon scope; each job is one logical worker that loops until the
//! queue is empty, so any `k` up to the pool size works without re-creating the pool.

use super::timed_from;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::Plan;
use crate::trace::TaskRecord;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub(super) fn run(plan: &Plan, t0: f64, clock: &dyn Clock, control: &Control) -> Result<Vec<TaskRecord>, LabError> {
    let chunk = plan.chunksize.max(1);
    let chunks = plan.tasks.len().div_ceil(chunk);
    let next = AtomicUsize::new(0);
    let records = Mutex::new(Vec::with_capacity(plan.tasks.len()));
    let failure: Mutex<Option<LabError>> = Mutex::new(None);

    rayon::scope(|s| {
        for worker in 0..plan.workers {
            let (next, records, failure) = (&next, &records, &failure);
            s.spawn(move |_| {
                let mut mine = Vec::new();
                'queue: loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        break;
                    }
                    let end = ((c + 1) * chunk).min(plan.tasks.len());
                    // Within a chunk tasks run back to back: each starts when the last ended.
                    let mut at = clock.now_ms() - t0;
                    for pos in c * chunk..end {
                        match timed_from(at, &plan.tasks[pos], pos, worker as u32, t0, clock, control) {
                            Ok(r) => {
                                at = r.end;
                                mine.push(r);
                            }
                            Err(e) => {
                                // A poisoned lock only means another worker panicked; keep the first error.
                                if let Ok(mut f) = failure.lock() {
                                    f.get_or_insert(e);
                                }
                                break 'queue;
                            }
                        }
                    }
                }
                if let Ok(mut all) = records.lock() {
                    all.extend(mine);
                }
            });
        }
    });

    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    records.into_inner().map_err(|_| LabError::WorkerFailed("a worker panicked".into()))
}
