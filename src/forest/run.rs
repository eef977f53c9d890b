//! n_jobs: exactly `workers` loops in a rayon scope, each pulling the next tree index from one
//! atomic counter (the `pool-map` pattern of `crate::run`, one tree per task). Who builds which
//! tree changes from run to run; the trees do not (see `model`).

use super::model::{grow_tree, verdict, Prepared, Verdict};
use super::settings::ForestSettings;
use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// When one worker grew one tree, in ms from the fit's start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreeSpan {
    pub tree: usize,
    pub worker: u32,
    pub start: f64,
    pub end: f64,
}

/// A finished fit: its timeline, its wall time and what the forest predicts.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRun {
    pub settings: ForestSettings,
    pub spans: Vec<TreeSpan>,
    /// Wall time of the fit: from before the first tree to after the last, in ms.
    pub fit_ms: f64,
    pub train_rows: usize,
    pub test_rows: usize,
    pub verdict: Verdict,
}

/// Grow the forest of `s` on the current rayon pool with `s.workers` workers, then vote.
///
/// # Errors
/// [`LabError::Cancelled`] once `control` is cancelled (checked before every tree), or the first
/// tree's failure.
pub fn fit_forest(
    p: &Prepared,
    s: &ForestSettings,
    clock: &dyn Clock,
    control: &Control,
) -> Result<ForestRun, LabError> {
    let rows = p.test_rows();
    let next = AtomicUsize::new(0);
    let grown: Mutex<Vec<(TreeSpan, Vec<u8>)>> = Mutex::new(Vec::with_capacity(s.trees));
    let failure: Mutex<Option<LabError>> = Mutex::new(None);
    let t0 = clock.now_ms();
    rayon::scope(|scope| {
        for worker in 0..s.workers {
            let (next, grown, failure) = (&next, &grown, &failure);
            scope.spawn(move |_| {
                let mut mine = Vec::new();
                loop {
                    let tree = next.fetch_add(1, Ordering::Relaxed);
                    if tree >= s.trees {
                        break;
                    }
                    let start = clock.now_ms() - t0;
                    let outcome = if control.is_cancelled() { Err(LabError::Cancelled) } else { grow_tree(p, s, tree) };
                    match outcome {
                        Ok(predicted) => {
                            let span = TreeSpan { tree, worker: worker as u32, start, end: clock.now_ms() - t0 };
                            control.task_done();
                            mine.push((span, predicted));
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            // Stop the other workers at their next tree.
                            next.store(s.trees, Ordering::Relaxed);
                            break;
                        }
                    }
                }
                if let Ok(mut all) = grown.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let fit_ms = clock.now_ms() - t0;
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut grown = grown.into_inner().map_err(|_| LabError::WorkerFailed("a worker panicked".into()))?;
    grown.sort_unstable_by_key(|(span, _)| span.tree);
    let mut per_tree = Vec::with_capacity(s.trees * rows);
    for (_, predicted) in &grown {
        per_tree.extend_from_slice(predicted);
    }
    let verdict = verdict(p, &per_tree)?;
    let spans = grown.into_iter().map(|(span, _)| span).collect();
    Ok(ForestRun { settings: s.clone(), spans, fit_ms, train_rows: p.train_rows(), test_rows: rows, verdict })
}

/// Fit natively on a pool of exactly `s.workers` threads (tests, the benchmark binary).
///
/// # Errors
/// As [`fit_forest`], or [`LabError::WorkerFailed`] if the OS refuses the threads.
#[cfg(not(target_arch = "wasm32"))]
pub fn fit_native(p: &Prepared, s: &ForestSettings, control: &Control) -> Result<ForestRun, LabError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(s.workers)
        .thread_name(|i| format!("forest-worker-{i}"))
        .build()
        .map_err(|e| LabError::WorkerFailed(e.to_string()))?;
    pool.install(|| fit_forest(p, s, &crate::clock::NativeClock, control))
}
