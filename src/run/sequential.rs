//! `sequential`: a plain loop on one worker, the baseline every parallel run is checked against.

use super::timed_from;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::Plan;
use crate::trace::TaskRecord;

pub(super) fn run(plan: &Plan, t0: f64, clock: &dyn Clock, control: &Control) -> Result<Vec<TaskRecord>, LabError> {
    let mut records = Vec::with_capacity(plan.tasks.len());
    let mut at = clock.now_ms() - t0;
    for (pos, task) in plan.tasks.iter().enumerate() {
        let r = timed_from(at, task, pos, 0, t0, clock, control)?;
        at = r.end;
        records.push(r);
    }
    Ok(records)
}
