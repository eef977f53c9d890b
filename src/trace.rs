//! The trace of a run: the one record charts, checks and tests read. Nothing is measured twice.

use crate::strategy::Strategy;
use serde::{Deserialize, Serialize};

/// What one worker did without interruption: tasks `first..=last` (1-based task indices, in
/// order), from `start` to `end` ms after the run's start.
///
/// A sleep task is always its own span; consecutive perfect-number tasks that one worker ran
/// back to back are merged into one span (a chunk), so a run over 200 000 numbers stays a
/// trace of kilobytes, not megabytes. `first == last` means a single task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub first: u64,
    pub last: u64,
    pub worker: u32,
    pub start: f64,
    pub end: f64,
}

/// Everything about one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub strategy: Strategy,
    pub engine: String,
    /// Workers the run used at once (the reader's choice; 1 for `sequential`) — for
    /// `spawn-per-task` too, whose processes are `lanes`.
    pub workers: u32,
    /// The timeline's lanes: worker numbers in `spans` run from 0 to `lanes - 1`. Equal to
    /// `workers`, except for `spawn-per-task`, where each task runs in a process of its own (its
    /// lane is its position) while at most `workers` of them are alive at once: counting those
    /// processes as workers made the perfect lesson's crossover assume more ran at once than did.
    #[serde(default)]
    pub lanes: u32,
    /// `navigator.hardwareConcurrency` (or the native core count): shown beside `workers` so a
    /// chart never hides oversubscription.
    pub hardware_concurrency: u32,
    pub chunksize: u32,
    pub tasks: u64,
    /// Wall time from the run's start to the end of its last task, in ms.
    pub total_ms: f64,
    /// The outputs, in task order: perfect numbers found, or the indices of the sleeping tasks.
    pub results: Vec<u64>,
    pub spans: Vec<Span>,
    /// `work-stealing` only: the pool's spare threads could not all be parked before the
    /// deadline (a clock deadline, see `run::work_stealing`), so the run went ahead on more
    /// threads than `workers`. The card says so rather than showing a speedup it cannot explain.
    #[serde(default)]
    pub parking_fallback: bool,
}

/// One finished task, as a strategy records it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskRecord {
    /// 0-based position in the plan's task list.
    pub position: usize,
    pub worker: u32,
    pub start: f64,
    pub end: f64,
    pub output: Option<u64>,
    /// Whether this task may be merged with its neighbours into one span.
    pub mergeable: bool,
}

/// Merge records into spans: sorted by worker then start, a record joins the previous span when
/// it is the next task on the same worker and starts where that span ended (within `gap_ms`).
pub fn spans_from(records: &[TaskRecord], gap_ms: f64) -> Vec<Span> {
    let mut sorted: Vec<&TaskRecord> = records.iter().collect();
    // Ties on start are common (tiny tasks, a 5 µs clock): break them by position, or an
    // unstable sort splits a chunk into many spans.
    sorted.sort_unstable_by(|a, b| {
        a.worker.cmp(&b.worker).then(a.start.total_cmp(&b.start)).then(a.position.cmp(&b.position))
    });
    let mut spans: Vec<Span> = Vec::new();
    let mut prev_mergeable = false;
    for r in sorted {
        let index = r.position as u64 + 1;
        match spans.last_mut() {
            Some(s)
                if prev_mergeable
                    && r.mergeable
                    && s.worker == r.worker
                    && s.last + 1 == index
                    && r.start - s.end <= gap_ms =>
            {
                s.last = index;
                s.end = r.end;
            }
            _ => spans.push(Span { first: index, last: index, worker: r.worker, start: r.start, end: r.end }),
        }
        prev_mergeable = r.mergeable;
    }
    spans
        .sort_unstable_by(|a, b| a.start.total_cmp(&b.start).then(a.worker.cmp(&b.worker)).then(a.first.cmp(&b.first)));
    spans
}

impl Trace {
    /// Serialise as camelCase JSON (native tools; the browser gets JS objects from `bindings`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        // Serialising plain numbers and strings cannot fail.
        serde_json::to_string(self).expect("a trace is always serialisable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(position: usize, worker: u32, start: f64, end: f64) -> TaskRecord {
        TaskRecord { position, worker, start, end, output: None, mergeable: true }
    }

    #[test]
    fn consecutive_tasks_on_one_worker_merge() {
        let spans =
            spans_from(&[rec(0, 0, 0.0, 1.0), rec(1, 0, 1.0, 2.0), rec(2, 1, 0.0, 3.0), rec(3, 0, 2.0, 4.0)], 0.5);
        // worker 0 ran tasks 1, 2 back to back (one span), then task 4 (not next: a new span)
        assert_eq!(spans.len(), 3);
        assert_eq!((spans[0].first, spans[0].last, spans[0].end), (1, 2, 2.0));
        assert_eq!((spans[1].first, spans[1].last, spans[1].worker), (3, 3, 1));
        assert_eq!((spans[2].first, spans[2].last), (4, 4));
    }

    #[test]
    fn ties_on_start_still_merge_in_order() {
        // a 5 µs clock gives many tiny tasks the same start; they must still form one span
        let recs: Vec<TaskRecord> = (0..200).map(|i| rec(199 - i, 0, 0.0, 0.0)).collect();
        assert_eq!(spans_from(&recs, 1.0).len(), 1);
    }

    #[test]
    fn unmergeable_records_stay_single() {
        let mut a = rec(0, 0, 0.0, 1.0);
        let mut b = rec(1, 0, 1.0, 2.0);
        a.mergeable = false;
        b.mergeable = false;
        assert_eq!(spans_from(&[a, b], 1.0).len(), 2);
    }
}
