//! What a run shares with whoever watches it: a cooperative cancel flag that workloads check
//! between (and during) tasks, and a progress counter. Both are plain atomics so a watcher on
//! another thread (or another Web Worker over shared memory) can read them without locks.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Cancel flag and progress of one run.
#[derive(Debug, Default)]
pub struct Control {
    cancelled: AtomicBool,
    done: AtomicU32,
}

impl Control {
    /// A fresh, not-cancelled control with no task done.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ask the run to stop; it notices at its next check (at most one sleep slice later).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Control::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Count one finished task.
    pub fn task_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// How many tasks have finished so far.
    pub fn done(&self) -> u32 {
        self.done.load(Ordering::Relaxed)
    }
}
