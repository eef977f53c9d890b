//! The thin wasm-bindgen API: everything exported to JavaScript, nothing else.
//!
//! Two builds share this file: the threaded one (`--features threads`: shared memory, the rayon
//! pool of wasm-bindgen-rayon, `startRun`) and the plain one (the processes engine: one instance
//! per Web Worker, which only needs single tasks and trace assembly). A run's spec is validated
//! once, into a [`RunPlan`] that the coordinator keeps and hands on. Specs come in as JS values
//! (read into `crate::input::Input`; no JSON parser inside the wasm) and results go out as plain
//! JS objects through serde-wasm-bindgen: a trace is the serde view of `crate::trace::Trace`
//! itself, so its field names (camelCase) are defined once, for native JSON and JS alike. Errors
//! become `Error`s with the core's message.

use crate::clock::Clock;
use crate::input::Input;
use crate::limits::{param_named, Bounds};
use crate::spec::Plan;
use crate::trace::TaskRecord;
use crate::workload::{Task, WIRE_LEN};
use js_sys::{Array, Object, Reflect};
use std::sync::Arc;
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
    static TIME_ORIGIN: f64 = Reflect::get(&js_sys::global(), &"performance".into())
        .and_then(|p| Reflect::get(&p, &"timeOrigin".into()))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
}

/// The browser clock: `performance.timeOrigin + performance.now()`, in ms.
#[cfg(feature = "threads")]
pub(crate) struct JsClock;

#[cfg(feature = "threads")]
impl Clock for JsClock {
    fn now_ms(&self) -> f64 {
        TIME_ORIGIN.with(|o| *o) + performance_now()
    }
}

/// A JS value as core [`Input`]; numbers keep JavaScript's own text for messages.
pub(crate) fn input_of(v: &JsValue) -> Input {
    if v.is_null() || v.is_undefined() {
        Input::Null
    } else if let Some(b) = v.as_bool() {
        Input::Bool(b)
    } else if let Some(value) = v.as_f64() {
        // JS writes the number (Number.prototype.toString): no float formatting in the wasm.
        let text = js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default();
        Input::Number { value, text }
    } else if let Some(text) = v.as_string() {
        // JS reads the number (no float parser in the wasm); blank is not a number.
        let number = if text.trim().is_empty() { None } else { Some(js_sys::Number::from(v.clone()).value_of()) };
        Input::Text { text, number: number.filter(|x| !x.is_nan()) }
    } else if Array::is_array(v) {
        Input::List(Array::from(v).iter().map(|x| input_of(&x)).collect())
    } else if v.is_object() {
        let fields = Object::entries(v.unchecked_ref())
            .iter()
            .map(|pair| {
                let pair = Array::from(&pair);
                (pair.get(0).as_string().unwrap_or_default(), input_of(&pair.get(1)))
            })
            .collect();
        Input::Object(fields)
    } else {
        Input::Text { text: "(unreadable)".into(), number: None }
    }
}

/// A core value as a JS value, through its serde view: structs become plain objects with the
/// struct's own (serde) field names, `None` becomes `null`. Serialising plain numbers, strings
/// and lists cannot fail; `undefined` would only mean a bug in a `Serialize` impl.
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))
        .unwrap_or(JsValue::UNDEFINED)
}

/// The pool size the lab asks for on a machine with `cores` hardware threads (at least 10):
/// the one maximum for workers (`crate::limits::pool_size_for`), asked for, never computed in JS.
#[wasm_bindgen(js_name = poolSizeFor)]
pub fn pool_size_for(cores: u32) -> u32 {
    crate::limits::pool_size_for(cores as usize) as u32
}

/// One run's validated plan, held by the coordinator's wasm instance: the one place a run's
/// spec is validated (its constructor) and what everything after it takes instead of the spec —
/// `startRun` (the rayon pool), `assembleTrace` (the trace), and the processes, which receive
/// the plan's tasks (`taskWire`) rather than a spec to validate again. The coordinator reads
/// what it needs (`strategy`, `workers`, `chunksize`, `tasks`) and frees it after the run.
#[wasm_bindgen]
pub struct RunPlan(Arc<Plan>);

#[wasm_bindgen]
impl RunPlan {
    /// Validate run `spec` for an engine of `max_workers` workers (its pool size,
    /// `poolSizeFor(cores)`: the one maximum for workers, `crate::limits::pool_size_for`).
    ///
    /// # Errors
    /// The core's message for the first field out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &JsValue, max_workers: u32) -> Result<RunPlan, JsError> {
        Plan::from_input(&input_of(spec), max_workers)
            .map(|plan| RunPlan(Arc::new(plan)))
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The strategy's name ("pool-map", say).
    #[wasm_bindgen(getter)]
    pub fn strategy(&self) -> String {
        self.0.strategy.as_str().to_string()
    }

    /// Workers the run uses (1 for `sequential`).
    #[wasm_bindgen(getter)]
    pub fn workers(&self) -> u32 {
        self.0.workers as u32
    }

    /// Tasks per chunk, resolved (blank means Python's default).
    #[wasm_bindgen(getter)]
    pub fn chunksize(&self) -> u32 {
        self.0.chunksize as u32
    }

    /// How many tasks the run has (what progress counts).
    #[wasm_bindgen(getter)]
    pub fn tasks(&self) -> u32 {
        self.0.tasks.len() as u32
    }

    /// Tasks `[from, to)` as a process receives them: `crate::workload::WIRE_LEN` numbers each
    /// (`Task::to_wire`), for a [`TaskList`] in the process's own instance.
    #[wasm_bindgen(js_name = taskWire)]
    pub fn task_wire(&self, from: u32, to: u32) -> Vec<f64> {
        let tasks = &self.0.tasks;
        let (from, to) = ((from as usize).min(tasks.len()), (to as usize).min(tasks.len()));
        tasks[from..to.max(from)].iter().flat_map(Task::to_wire).collect()
    }
}

/// The reader's parameters and the run limits, from the one table in `crate::limits`, with
/// the bounds that depend on the engine resolved: `{params: [{key, attr, label, min, max,
/// initial, hint}], maxSpawnN, maxSleepTasks, maxWorkers, homeworkTasks}`. The page builds its
/// inputs from it.
#[wasm_bindgen]
pub fn limits(max_workers: u32, cores: u32) -> JsValue {
    to_js(&crate::limits::limits(max_workers, cores))
}

/// Read one reader parameter (`key` from the table) the way a run spec is read: `null` when
/// blank, the number when in range.
///
/// # Errors
/// The core's message, e.g. "Workers must be a whole number from 1 to 10, got \"0\".", or an
/// unknown key.
#[wasm_bindgen(js_name = readParam)]
pub fn read_param(key: &str, raw: &JsValue, max_workers: u32, cores: u32) -> Result<JsValue, JsError> {
    let p = param_named(key).ok_or_else(|| JsError::new(&format!("No parameter {key}.")))?;
    match p.read(&input_of(raw), &Bounds::form(max_workers, cores)) {
        Ok(v) => Ok(v.map_or(JsValue::NULL, |v| JsValue::from(v as f64))),
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

/// A FIFO pool on paper (`crate::schedule::fifo`): per task `{task, worker, start, end}`, in
/// the durations' unit. The lessons' "what to expect" and their theory tables read it.
#[wasm_bindgen(js_name = fifoSchedule)]
pub fn fifo_schedule(durations: &[f64], workers: u32, chunksize: u32) -> JsValue {
    to_js(&crate::schedule::fifo(durations, workers as usize, chunksize as usize))
}

/// A batch of a run's tasks in a "process" of the processes engine (a Worker with its own
/// instance), as the coordinator's [`RunPlan::task_wire`] sent them: the process asks it what
/// each one is — how long to wait (a sleep is a JS timer there, never a busy loop) and what the
/// task computes. The tasks come from the run's one validated plan; a process validates nothing.
#[wasm_bindgen]
pub struct TaskList {
    tasks: Vec<Task>,
}

#[wasm_bindgen]
impl TaskList {
    /// The tasks `wire` holds (`RunPlan.taskWire`).
    ///
    /// # Errors
    /// Numbers that `taskWire` cannot have written (a bug, never a reader's input).
    #[wasm_bindgen(constructor)]
    pub fn new(wire: &[f64]) -> Result<TaskList, JsError> {
        let tasks = wire.chunks(WIRE_LEN).map(Task::from_wire).collect::<Option<Vec<Task>>>();
        tasks
            .map(|tasks| TaskList { tasks })
            .ok_or_else(|| JsError::new("These are not a plan's tasks (RunPlan.taskWire writes them)."))
    }

    /// How many tasks the batch holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.tasks.len() as u32
    }

    /// How long task `position` waits before its work, in ms (a sleep task; 0 for the others).
    #[wasm_bindgen(js_name = waitMs)]
    pub fn wait_ms(&self, position: u32) -> f64 {
        match self.tasks.get(position as usize) {
            Some(Task::Sleep { ms, .. }) => *ms,
            _ => 0.0,
        }
    }

    /// Task `position`'s work, after its wait: the output (a perfect number found, a sleeping
    /// task's index, a busy homework task's index after its fixed work) or NaN for none. The
    /// `fault` task traps here, on purpose (recovery tests).
    pub fn compute(&self, position: u32) -> f64 {
        match self.tasks.get(position as usize) {
            Some(Task::Sleep { index, .. }) => *index as f64,
            Some(task) => {
                task.execute(&crate::control::Control::new(), &NoClock).ok().flatten().map_or(f64::NAN, |v| v as f64)
            }
            None => f64::NAN,
        }
    }
}

/// A clock for tasks that never read it.
struct NoClock;

impl Clock for NoClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

/// Build the trace of `plan` from task records measured in JS (processes engine,
/// `spawn-per-task`), so every engine's trace is assembled by the same code.
///
/// `records` holds 5 numbers per task: position, worker, start, end, output (NaN for none).
#[wasm_bindgen(js_name = assembleTrace)]
pub fn assemble_trace(plan: &RunPlan, records: &[f64], total_ms: f64) -> JsValue {
    let plan = &*plan.0;
    let mut recs: Vec<TaskRecord> = records
        .chunks_exact(5)
        .filter(|r| r[0] >= 0.0 && (r[0] as usize) < plan.tasks.len())
        .map(|r| {
            let position = r[0] as usize;
            TaskRecord {
                position,
                worker: r[1] as u32,
                start: r[2],
                end: r[3],
                output: (!r[4].is_nan()).then_some(r[4] as u64),
                mergeable: plan.tasks[position].is_perfect_test(),
            }
        })
        .collect();
    recs.sort_unstable_by_key(|r| r.position);
    let mut trace = crate::run::trace_of(plan, &recs, total_ms);
    trace.lanes = trace.lanes.max(recs.iter().map(|r| r.worker + 1).max().unwrap_or(1));
    to_js(&trace)
}

#[cfg(feature = "threads")]
pub use threaded::*;

#[cfg(feature = "threads")]
mod threaded {
    use super::{to_js, JsClock, RunPlan};
    use crate::background::Background;
    use crate::trace::Trace;
    use wasm_bindgen::prelude::*;

    /// A run going on in the thread pool. The coordinator polls it (`done`, `finished`) from its
    /// own event loop, so it never blocks and can take a `cancel` at any moment.
    #[wasm_bindgen]
    pub struct RunHandle(Background<Trace>);

    /// Start the run `plan` (validated once, by the coordinator) on the pool and return at once
    /// (the run's own clock starts inside the pool).
    #[wasm_bindgen(js_name = startRun)]
    pub fn start_run(plan: &RunPlan) -> RunHandle {
        let plan = std::sync::Arc::clone(&plan.0);
        RunHandle(Background::spawn(move |c| crate::run::run_in_pool(&plan, &JsClock, c).map_err(|e| e.to_string())))
    }

    crate::background_handle!(RunHandle);

    #[wasm_bindgen]
    impl RunHandle {
        /// The trace, once [`RunHandle::finished`].
        ///
        /// # Errors
        /// The run's error ("Cancelled.", say), or "still going".
        #[wasm_bindgen(js_name = takeTrace)]
        pub fn take_trace(&self) -> Result<JsValue, JsError> {
            match self.0.take() {
                Some(Ok(trace)) => Ok(to_js(&trace)),
                Some(Err(msg)) => Err(JsError::new(&msg)),
                None => Err(JsError::new("The run is still going.")),
            }
        }
    }
}
