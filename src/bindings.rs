//! The thin wasm-bindgen API: everything exported to JavaScript, nothing else.
//!
//! Two builds share this file: the threaded one (`--features threads`: shared memory, the rayon
//! pool of wasm-bindgen-rayon, `startRun`) and the plain one (the processes engine: one instance
//! per Web Worker, which only needs single tasks and trace assembly). Specs come in as JS values
//! (read into `crate::input::Input`; no JSON parser inside the wasm) and results go out as plain
//! JS objects through serde-wasm-bindgen: a trace is the serde view of `crate::trace::Trace`
//! itself, so its field names (camelCase) are defined once, for native JSON and JS alike. Errors
//! become `Error`s with the core's message.

use crate::clock::Clock;
use crate::input::Input;
use crate::limits::{param_named, Bounds};
use crate::spec::Plan;
use crate::trace::TaskRecord;
use crate::workload::Task;
use js_sys::{Array, Object, Reflect};
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

fn plan_from(spec: &JsValue, max_workers: u32) -> Result<Plan, JsError> {
    Plan::from_input(&input_of(spec), max_workers).map_err(|e| JsError::new(&e.to_string()))
}

/// A core value as a JS value, through its serde view: structs become plain objects with the
/// struct's own (serde) field names, `None` becomes `null`. Serialising plain numbers, strings
/// and lists cannot fail; `undefined` would only mean a bug in a `Serialize` impl.
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))
        .unwrap_or(JsValue::UNDEFINED)
}

/// The pool size the lab asks for on a machine with `cores` hardware threads (at least 10).
#[wasm_bindgen(js_name = poolSizeFor)]
pub fn pool_size_for(cores: u32) -> u32 {
    crate::run::pool_size_for(cores as usize) as u32
}

/// Validate a run spec and return it normalised: `{strategy, workers, chunksize, tasks}` (the
/// task count). The tasks themselves stay in the core: see [`TaskList`].
///
/// # Errors
/// The core's message for the first field out of range.
#[wasm_bindgen(js_name = planOf)]
pub fn plan_of(spec: &JsValue, max_workers: u32) -> Result<JsValue, JsError> {
    /// What the coordinator needs of a plan.
    #[derive(serde::Serialize)]
    struct Summary {
        strategy: crate::strategy::Strategy,
        workers: usize,
        chunksize: usize,
        tasks: usize,
    }
    let plan = plan_from(spec, max_workers)?;
    Ok(to_js(&Summary {
        strategy: plan.strategy,
        workers: plan.workers,
        chunksize: plan.chunksize,
        tasks: plan.tasks.len(),
    }))
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

/// A run's tasks, built by the core from the spec, for a "process" of the processes engine
/// (a Worker with its own instance). The process asks it what each position is: how long to
/// wait (a sleep is a JS timer there, never a busy loop) and what the task computes. So the
/// task list exists once, in the core, and JS only passes positions around.
#[wasm_bindgen]
pub struct TaskList {
    tasks: Vec<Task>,
}

#[wasm_bindgen]
impl TaskList {
    /// The tasks of `spec`, validated like any run.
    ///
    /// # Errors
    /// The core's message for a bad spec.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &JsValue, max_workers: u32) -> Result<TaskList, JsError> {
        Ok(TaskList { tasks: plan_from(spec, max_workers)?.tasks })
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

/// Build a trace from task records measured in JS (processes engine, `spawn-per-task`), so every
/// engine's trace is assembled by the same code.
///
/// `records` holds 5 numbers per task: position, worker, start, end, output (NaN for none).
///
/// # Errors
/// A bad spec.
#[wasm_bindgen(js_name = assembleTrace)]
pub fn assemble_trace(spec: &JsValue, max_workers: u32, records: &[f64], total_ms: f64) -> Result<JsValue, JsError> {
    let plan = plan_from(spec, max_workers)?;
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
    let mut trace = crate::run::trace_of(&plan, &recs, total_ms);
    trace.lanes = trace.lanes.max(recs.iter().map(|r| r.worker + 1).max().unwrap_or(1));
    Ok(to_js(&trace))
}

#[cfg(feature = "threads")]
pub use threaded::*;

#[cfg(feature = "threads")]
mod threaded {
    use super::{plan_from, to_js, JsClock};
    use crate::background::Background;
    use crate::trace::Trace;
    use wasm_bindgen::prelude::*;

    /// A run going on in the thread pool. The coordinator polls it (`done`, `finished`) from its
    /// own event loop, so it never blocks and can take a `cancel` at any moment.
    #[wasm_bindgen]
    pub struct RunHandle(Background<Trace>);

    /// Start a run on the pool and return at once (the run's own clock starts inside the pool).
    ///
    /// # Errors
    /// The core's message when the spec is invalid; nothing is started then.
    #[wasm_bindgen(js_name = startRun)]
    pub fn start_run(spec: &JsValue) -> Result<RunHandle, JsError> {
        let plan = plan_from(spec, rayon::current_num_threads() as u32)?;
        Ok(RunHandle(Background::spawn(move |c| {
            crate::run::run_in_pool(&plan, &JsClock, c).map_err(|e| e.to_string())
        })))
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
