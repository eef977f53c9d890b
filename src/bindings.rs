//! The thin wasm-bindgen API: everything exported to JavaScript, nothing else.
//!
//! Two builds share this file: the threaded one (`--features threads`: shared memory, the rayon
//! pool of wasm-bindgen-rayon, `start_run`) and the plain one (the processes engine: one
//! instance per Web Worker, which only needs single tasks and trace assembly). Strings cross
//! the boundary as JSON: specs in, traces out; errors become `Error`s with the core's message.

use crate::clock::Clock;
use crate::spec::Plan;
use crate::trace::TaskRecord;
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` of whichever Worker calls it.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

thread_local! {
    /// `performance.timeOrigin` differs per Worker; adding it makes readings comparable across
    /// the pool's threads (each thread is its own Worker with its own JS context).
    static TIME_ORIGIN: f64 = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .and_then(|p| js_sys::Reflect::get(&p, &"timeOrigin".into()))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
}

/// The browser clock: `performance.timeOrigin + performance.now()`, in ms.
#[cfg(feature = "threads")]
struct JsClock;

#[cfg(feature = "threads")]
impl Clock for JsClock {
    fn now_ms(&self) -> f64 {
        TIME_ORIGIN.with(|o| *o) + performance_now()
    }
}

/// The pool size the lab asks for on a machine with `cores` hardware threads (at least 10).
#[wasm_bindgen(js_name = poolSizeFor)]
pub fn pool_size_for(cores: u32) -> u32 {
    crate::run::pool_size_for(cores as usize) as u32
}

/// Validate a run spec and return it normalised (the plan as JSON: tasks' count, workers,
/// chunk size and, for sleeps, each task's length in ms).
///
/// # Errors
/// The core's message for the first field out of range.
#[wasm_bindgen(js_name = planOf)]
pub fn plan_of(spec: &str, max_workers: u32) -> Result<String, JsError> {
    let plan = Plan::from_json(spec, max_workers).map_err(|e| JsError::new(&e.to_string()))?;
    let sleeps: Vec<f64> = plan
        .tasks
        .iter()
        .filter_map(|t| match t {
            crate::workload::Task::Sleep { ms, .. } => Some(*ms),
            _ => None,
        })
        .collect();
    Ok(serde_json::json!({
        "strategy": plan.strategy.as_str(),
        "workers": plan.workers,
        "chunksize": plan.chunksize,
        "tasks": plan.tasks.len(),
        "sleepMs": sleeps,
    })
    .to_string())
}

/// The guide's naive test, for the processes engine's workers.
#[wasm_bindgen(js_name = isPerfect)]
pub fn is_perfect(n: f64) -> bool {
    n >= 0.0 && n.fract() == 0.0 && crate::workload::is_perfect(n as u64)
}

/// Panic on purpose: the processes engine's `fault` task, so tests can prove that a trapped
/// worker becomes an error message and a fresh worker replaces it.
#[wasm_bindgen]
pub fn fault() {
    crate::workload::Task::Fault.execute(&crate::control::Control::new(), &NoClock).ok();
}

/// A clock for tasks that never read it.
struct NoClock;

impl Clock for NoClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

/// Build a trace from task records measured in JS (processes engine, `spawn-per-task`), so every
/// engine's trace is assembled by the same code.
///
/// `records` is a JSON array of `[position, worker, start, end, output|null]`.
///
/// # Errors
/// A bad spec, or records that are not such an array.
#[wasm_bindgen(js_name = assembleTrace)]
pub fn assemble_trace(spec: &str, max_workers: u32, records: &str, total_ms: f64) -> Result<String, JsError> {
    let plan = Plan::from_json(spec, max_workers).map_err(|e| JsError::new(&e.to_string()))?;
    type Row = (usize, u32, f64, f64, Option<u64>);
    let rows: Vec<Row> = serde_json::from_str(records).map_err(|e| JsError::new(&format!("bad records: {e}")))?;
    let mut recs: Vec<TaskRecord> = rows
        .into_iter()
        .filter(|r| r.0 < plan.tasks.len())
        .map(|(position, worker, start, end, output)| TaskRecord {
            position,
            worker,
            start,
            end,
            output,
            mergeable: matches!(plan.tasks[position], crate::workload::Task::Perfect(_)),
        })
        .collect();
    recs.sort_unstable_by_key(|r| r.position);
    let mut trace = crate::run::trace_of(&plan, &recs, total_ms);
    trace.workers = trace.workers.max(recs.iter().map(|r| r.worker + 1).max().unwrap_or(1));
    Ok(trace.to_json())
}

#[cfg(feature = "threads")]
pub use threaded::*;

#[cfg(feature = "threads")]
mod threaded {
    use super::JsClock;
    use crate::control::Control;
    use crate::spec::Plan;
    use std::sync::{Arc, Mutex};
    use wasm_bindgen::prelude::*;

    /// A run going on in the thread pool. The coordinator polls it (`done`, `finished`) from its
    /// own event loop, so it never blocks and can take a `cancel` at any moment.
    #[wasm_bindgen]
    pub struct RunHandle {
        control: Arc<Control>,
        outcome: Arc<Mutex<Option<Result<String, String>>>>,
        total: u32,
    }

    /// Start a run on the pool and return at once (the run's own clock starts inside the pool).
    ///
    /// # Errors
    /// The core's message when the spec is invalid; nothing is started then.
    #[wasm_bindgen(js_name = startRun)]
    pub fn start_run(spec: &str) -> Result<RunHandle, JsError> {
        let plan =
            Plan::from_json(spec, rayon::current_num_threads() as u32).map_err(|e| JsError::new(&e.to_string()))?;
        let control = Arc::new(Control::new());
        let outcome = Arc::new(Mutex::new(None));
        let total = plan.tasks.len() as u32;
        let (c, o) = (Arc::clone(&control), Arc::clone(&outcome));
        rayon::spawn(move || {
            let r = crate::run::run_in_pool(&plan, &JsClock, &c).map(|t| t.to_json()).map_err(|e| e.to_string());
            if let Ok(mut slot) = o.lock() {
                *slot = Some(r);
            }
        });
        Ok(RunHandle { control, outcome, total })
    }

    #[wasm_bindgen]
    impl RunHandle {
        /// Tasks finished so far.
        pub fn done(&self) -> u32 {
            self.control.done()
        }

        /// Tasks in the run.
        pub fn total(&self) -> u32 {
            self.total
        }

        /// Whether the run has ended (finished, failed or cancelled).
        pub fn finished(&self) -> bool {
            self.outcome.lock().map(|o| o.is_some()).unwrap_or(true)
        }

        /// Ask the run to stop; tasks check the flag between tasks and during sleeps.
        pub fn cancel(&self) {
            self.control.cancel();
        }

        /// The trace as JSON, once [`RunHandle::finished`].
        ///
        /// # Errors
        /// The run's error ("Cancelled.", say), or "still running".
        #[wasm_bindgen(js_name = takeTrace)]
        pub fn take_trace(&self) -> Result<String, JsError> {
            match self.outcome.lock().ok().and_then(|mut o| o.take()) {
                Some(Ok(json)) => Ok(json),
                Some(Err(msg)) => Err(JsError::new(&msg)),
                None => Err(JsError::new("The run is still going.")),
            }
        }
    }
}
