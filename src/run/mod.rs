//! Execute a [`Plan`] with its strategy and return its [`Trace`].
//!
//! All strategies run inside one rayon pool of [`pool_size`] threads ([`pool_size_for`] the
//! cores: the one maximum for workers, in [`crate::limits`]) — in the browser the pool
//! wasm-bindgen-rayon builds, natively one built here with the same size — so native tests walk
//! the very code paths the browser does. The pool is larger than the core count on purpose: the
//! sleep lessons need ten workers even on two cores, while CPU-bound strategies use exactly the
//! worker count the reader chose (see [`work_stealing`] for how the rest of the pool is parked).

mod pool_map;
mod sequential;
#[cfg(not(target_arch = "wasm32"))]
mod spawn_per_task;
mod work_stealing;

use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use crate::spec::{Plan, WorkloadKind};
use crate::strategy::Strategy;
use crate::trace::{spans_from, TaskRecord, Trace};
use crate::workload::Task;

pub use crate::limits::{pool_size_for, MAX_POOL, MIN_POOL};

/// Run one task that started at `start` and time its end; times are relative to the run's
/// start `t0`. A loop passes the previous task's end as `start` (back to back): reusing that
/// reading halves the clock calls (in wasm each is a call into JS, which for tens of thousands
/// of tiny tasks is a measurable share of the run); others pass `clock.now_ms() - t0`.
pub(crate) fn timed_from(
    start: f64,
    task: &Task,
    position: usize,
    worker: u32,
    t0: f64,
    clock: &dyn Clock,
    control: &Control,
) -> Result<TaskRecord, LabError> {
    let output = task.execute(control, clock)?;
    let end = clock.now_ms() - t0;
    control.task_done();
    Ok(TaskRecord { position, worker, start, end, output, mergeable: task.is_perfect_test() })
}

/// Run `plan` on the current rayon pool (the caller is inside it, or it is the global one).
///
/// # Errors
/// [`LabError::Cancelled`] if `control` is cancelled; [`LabError::Unsupported`] for
/// `spawn-per-task` on wasm (the JS runtime spawns those workers itself).
pub fn run_in_pool(plan: &Plan, clock: &dyn Clock, control: &Control) -> Result<Trace, LabError> {
    let t0 = clock.now_ms();
    let mut parking_fallback = false;
    let mut records = match plan.strategy {
        Strategy::Sequential => sequential::run(plan, t0, clock, control)?,
        Strategy::PoolMap => pool_map::run(plan, t0, clock, control)?,
        Strategy::WorkStealing => {
            let (records, fallback) = work_stealing::run(plan, t0, clock, control)?;
            parking_fallback = fallback;
            records
        }
        #[cfg(not(target_arch = "wasm32"))]
        Strategy::SpawnPerTask => spawn_per_task::run(plan, t0, clock, control)?,
        #[cfg(target_arch = "wasm32")]
        Strategy::SpawnPerTask => {
            return Err(LabError::Unsupported(
                "spawn-per-task starts a fresh Web Worker per task; the JS runtime runs it, not the thread pool."
                    .into(),
            ))
        }
    };
    let total_ms = clock.now_ms() - t0;
    records.sort_unstable_by_key(|r| r.position);
    Ok(Trace { parking_fallback, ..trace_of(plan, &records, total_ms) })
}

/// Assemble a trace from finished records (sorted by position).
pub fn trace_of(plan: &Plan, records: &[TaskRecord], total_ms: f64) -> Trace {
    let results = records.iter().filter_map(|r| r.output).collect();
    let gap = match plan.workload {
        WorkloadKind::Perfect { .. } => 1.0,
        WorkloadKind::Sleep | WorkloadKind::Fault | WorkloadKind::Homework => 0.0,
    };
    Trace {
        strategy: plan.strategy,
        engine: plan.engine.clone(),
        workers: plan.workers as u32,
        lanes: if plan.strategy == Strategy::SpawnPerTask { plan.tasks.len() as u32 } else { plan.workers as u32 },
        hardware_concurrency: plan.hardware_concurrency,
        chunksize: plan.chunksize as u32,
        tasks: plan.tasks.len() as u64,
        total_ms,
        results,
        spans: spans_from(records, gap),
        parking_fallback: false,
    }
}

/// The native pool, built once with the same size rule as the browser's.
#[cfg(not(target_arch = "wasm32"))]
fn native_pool() -> &'static rayon::ThreadPool {
    use std::sync::OnceLock;
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads(pool_size_for(cores))
            .thread_name(|i| format!("lab-worker-{i}"))
            .build()
            // Building a pool only fails if the OS refuses threads; nothing to recover then.
            .expect("the OS refused to start the worker threads")
    })
}

/// Threads in the native pool ([`pool_size_for`] the cores): the largest `workers` a native run accepts.
#[cfg(not(target_arch = "wasm32"))]
pub fn pool_size() -> usize {
    native_pool().current_num_threads()
}

/// Validate and run natively in the lab's pool: what tests and the benchmark call.
///
/// # Errors
/// See [`Plan::from_json`] and [`run_in_pool`].
#[cfg(not(target_arch = "wasm32"))]
pub fn run(plan: &Plan, control: &Control) -> Result<Trace, LabError> {
    use std::sync::Mutex;
    // One run at a time owns the pool, as in the browser (where the page queues runs): the
    // sleep lessons need all ten threads, and `work-stealing` parks the ones it does not use.
    static ONE_RUN_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_RUN_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let clock = crate::clock::NativeClock;
    // A panic on a worker (rayon re-raises it here) becomes an error, as it does in the browser.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        native_pool().install(|| run_in_pool(plan, &clock, control))
    }))
    .unwrap_or_else(|_| Err(LabError::WorkerFailed("a worker panicked".into())))
}
