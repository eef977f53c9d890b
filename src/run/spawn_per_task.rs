//! `spawn-per-task` natively: one OS thread per task, all started at once and then joined, like
//! the guide's `Process` loop. (In the browser the JS runtime spawns a Web Worker per task.)

use super::timed_from;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::Plan;
use crate::trace::TaskRecord;

pub(super) fn run(plan: &Plan, t0: f64, clock: &dyn Clock, control: &Control) -> Result<Vec<TaskRecord>, LabError> {
    std::thread::scope(|s| {
        let handles: Vec<_> = plan
            .tasks
            .iter()
            .enumerate()
            .map(|(pos, task)| {
                s.spawn(move || timed_from(clock.now_ms() - t0, task, pos, pos as u32, t0, clock, control))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| LabError::WorkerFailed("a worker thread panicked".into()))?)
            .collect()
    })
}
