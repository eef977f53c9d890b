//! `sequential`: a plain loop on one worker, the baseline every parallel run is checked against.

use super::timed;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::Plan;
use crate::trace::TaskRecord;

pub(super) fn run(plan: &Plan, t0: f64, clock: &dyn Clock, control: &Control) -> Result<Vec<TaskRecord>, LabError> {
    plan.tasks.iter().enumerate().map(|(pos, task)| timed(task, pos, 0, t0, clock, control)).collect()
}
