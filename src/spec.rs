//! From loosely typed input (JSON written by a page, an attribute, a URL) to a validated [`Plan`].
//!
//! Input is parsed as untyped JSON first and each field checked by hand, so that `workers: -1`
//! gets "Workers must be a whole number from 1 to 10, got -1." rather than a serde message about
//! `u32`. The reader's parameters and their limits live in [`crate::limits`], once (the page
//! reads the same table); they are documented in RELIABILITY.md.

use crate::error::LabError;
use crate::input::Input;
use crate::limits::{param, Bounds, Initial, Key, Max, Param};
use crate::strategy::Strategy;
use crate::workload::Task;

pub use crate::limits::{
    MAX_N, MAX_SLEEP_TASKS, MAX_SLEEP_TOTAL_MS, MAX_SLEEP_UNITS, MAX_SPAWN_TASKS, MAX_UNIT_MS, MAX_WORKERS,
};

/// What kind of tasks a plan holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    /// Perfect numbers below `n`.
    Perfect { n: u64 },
    /// Sleeping tasks of a given unit length.
    Sleep,
    /// One task that panics on its worker (for recovery tests).
    Fault,
    /// The guide's homework: 1200 multiplications, waiting or busy (see [`crate::homework`]).
    Homework,
}

/// A validated run: every field in range, ready for [`crate::run::run`].
///
/// **Made only by validation** ([`Plan::from_input`], [`Plan::from_json`]): a private field
/// keeps struct literals out of every other module, so whatever holds a `Plan` holds a spec
/// that was validated, and nothing downstream validates it again. In the browser the
/// coordinator makes the one `Plan` of a run (the `RunPlan` binding) and hands it on: to the
/// rayon pool (`startRun`), to the processes (its tasks, `RunPlan.taskWire`), to the trace
/// (`assembleTrace`).
///
/// ```compile_fail,E0451
/// use speedup_lab::spec::{Plan, WorkloadKind};
/// use speedup_lab::strategy::Strategy;
/// // Not a validated plan: outside `spec`, a Plan cannot be written down.
/// let plan = Plan {
///     workload: WorkloadKind::Fault,
///     tasks: Vec::new(),
///     strategy: Strategy::Sequential,
///     workers: 1_000,
///     chunksize: 1,
///     engine: String::new(),
///     hardware_concurrency: 1,
///     validated: Default::default(),
/// };
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub workload: WorkloadKind,
    pub tasks: Vec<Task>,
    pub strategy: Strategy,
    pub workers: usize,
    pub chunksize: usize,
    pub engine: String,
    pub hardware_concurrency: u32,
    /// Private: a `Plan` comes out of validation and from nowhere else.
    validated: Validated,
}

/// The mark of a [`Plan`] made by validation; only this module can write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Validated;

/// `Pool.map`'s default chunk size in CPython: `ceil(len / (4 * workers))`.
pub fn python_default_chunksize(tasks: usize, workers: usize) -> usize {
    let (q, r) = (tasks / (workers * 4).max(1), tasks % (workers * 4).max(1));
    (q + usize::from(r > 0)).max(1)
}

fn range_err(field: &'static str, message: String) -> LabError {
    LabError::OutOfRange { field, message }
}

/// The two fields every run echoes into its trace, whatever its workload: the engine's name
/// (short text; "native" when absent) and the machine's `hardwareConcurrency` (the running
/// machine's when absent). One place, for the lessons' plans and the forest's settings.
///
/// # Errors
/// [`LabError::OutOfRange`] for a `hardwareConcurrency` out of range.
pub(crate) fn echoed(obj: &Input, bounds: &Bounds) -> Result<(String, u32), LabError> {
    let engine = match obj.get("engine").text() {
        Some(s) if s.len() <= 20 => s.to_string(),
        _ => "native".to_string(),
    };
    let hardware_concurrency = HARDWARE_CONCURRENCY
        .read(obj.get("hardwareConcurrency"), bounds)?
        .map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u32), |h| h as u32);
    Ok((engine, hardware_concurrency))
}

/// The machine's core count as the page reports it: echoed in the trace, not a reader's choice.
pub(crate) const HARDWARE_CONCURRENCY: Param = Param {
    key: "hardwareConcurrency",
    attr: "",
    label: "hardwareConcurrency",
    min: 1,
    max: Max::Fixed(4096),
    initial: Initial::Blank,
    hint: "",
};

/// A positive number in `(0, hi]` (limits are whole numbers, so messages print no float).
fn positive(v: &Input, key: &'static str, label: &str, hi: u64) -> Result<f64, LabError> {
    match v.number() {
        Some(x) if x.is_finite() && x > 0.0 && x <= hi as f64 => Ok(x),
        _ => Err(range_err(key, format!("{label} must be a number above 0 and at most {hi}, got {}.", v.show()))),
    }
}

impl Plan {
    /// Validate a JSON run specification (native code and tests).
    ///
    /// # Errors
    /// [`LabError::BadSpec`] for malformed JSON; otherwise as [`Plan::from_input`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str, max_workers: u32) -> Result<Plan, LabError> {
        let input = Input::from_json(json).map_err(LabError::BadSpec)?;
        Plan::from_input(&input, max_workers)
    }

    /// Validate a run specification.
    ///
    /// `max_workers` is what the engine offers: its pool size, [`crate::limits::pool_size_for`]
    /// the cores (the one maximum for workers; natively `run::pool_size()`). Recognised keys:
    /// `workload` (`"perfect"` with `n`, or `"sleep"` with `units` and `unitMs`), `strategy`,
    /// `workers`, `chunksize` (optional), `engine` and `hardwareConcurrency` (echoed in the trace).
    ///
    /// # Errors
    /// [`LabError::BadSpec`] when the input is not an object, [`LabError::OutOfRange`] naming
    /// the first field that is out of range, [`LabError::Unsupported`] for an unknown workload
    /// or strategy.
    pub fn from_input(obj: &Input, max_workers: u32) -> Result<Plan, LabError> {
        if !matches!(obj, Input::Object(_)) {
            return Err(LabError::BadSpec(
                "expected an object such as {\"workload\": \"perfect\", \"n\": 20000}.".into(),
            ));
        }
        let max_workers = max_workers.clamp(1, MAX_WORKERS);

        let strategy: Strategy = match obj.get("strategy") {
            Input::Text { text, .. } => text.parse().map_err(LabError::Unsupported)?,
            Input::Null => Strategy::Sequential,
            v => return Err(LabError::Unsupported(format!("Unknown strategy {}.", v.show()))),
        };
        let mut bounds = Bounds::form(max_workers, 1);
        // Homework counts students, with their own row in the table (1..8: see crate::homework).
        let workers = if obj.get("workload").text() == Some("homework") {
            param(Key::Students).read(obj.get("students"), &bounds)?
        } else {
            param(Key::Workers).read(obj.get("workers"), &bounds)?
        };
        let workers = workers.unwrap_or(1) as usize;
        let workers = if strategy == Strategy::Sequential { 1 } else { workers };

        let (workload, tasks) = match obj.get("workload").text() {
            Some("perfect") => {
                let n = param(Key::N).read(obj.get("n"), &bounds)?.ok_or_else(|| {
                    range_err("n", format!("N is required: a whole number from 2 to {}.", param(Key::N).max(&bounds)))
                })?;
                // `kernel`: "naive" (the guide's loop, the default) or "lanes" (the same test in
                // SIMD lanes, a separately labelled lesson in data parallelism).
                let lanes = match obj.get("kernel") {
                    Input::Null => false,
                    v if v.text() == Some("naive") => false,
                    v if v.text() == Some("lanes") => true,
                    v => {
                        return Err(LabError::Unsupported(format!(
                            "Unknown kernel {}: use \"naive\" or \"lanes\".",
                            v.show()
                        )))
                    }
                };
                let task = if lanes { Task::PerfectLanes } else { Task::Perfect };
                let tasks: Vec<Task> = (1..n).map(task).collect();
                if strategy == Strategy::SpawnPerTask && tasks.len() > MAX_SPAWN_TASKS {
                    return Err(range_err(
                        "n",
                        format!(
                            "A fresh worker per number would start {} workers; spawn-per-task is capped at N = {} because past that the run measures spawning, not computing. Lower N or pick pool-map.",
                            tasks.len(),
                            MAX_SPAWN_TASKS + 1
                        ),
                    ));
                }
                (WorkloadKind::Perfect { n }, tasks)
            }
            Some("sleep") => {
                let unit = param(Key::UnitMs);
                let unit_ms = unit.read(obj.get("unitMs"), &bounds)?.or(unit.initial(&bounds)).unwrap_or(100) as f64;
                let units = match obj.get("units") {
                    Input::List(a) if !a.is_empty() && a.len() <= MAX_SLEEP_TASKS => a,
                    _ => {
                        return Err(range_err(
                            "units",
                            format!("Sleep needs a list of 1 to {MAX_SLEEP_TASKS} task lengths in units."),
                        ))
                    }
                };
                let mut tasks = Vec::with_capacity(units.len());
                for (i, u) in units.iter().enumerate() {
                    let u = positive(u, "units", "Each sleep", MAX_SLEEP_UNITS)?;
                    tasks.push(Task::Sleep { ms: u * unit_ms, index: i as u64 + 1 });
                }
                let total: f64 = tasks.iter().map(Task::cost).sum();
                if total > MAX_SLEEP_TOTAL_MS as f64 {
                    return Err(range_err(
                        "unitMs",
                        format!(
                            "These sleeps add up to {} s; keep them under {} s (a smaller time unit keeps the lesson the same).",
                            (total / 1000.0).round() as u64,
                            MAX_SLEEP_TOTAL_MS / 1000
                        ),
                    ));
                }
                (WorkloadKind::Sleep, tasks)
            }
            Some("fault") => (WorkloadKind::Fault, vec![Task::Fault]),
            Some("homework") => (WorkloadKind::Homework, crate::homework::tasks_of(obj)?),
            other => {
                return Err(LabError::Unsupported(format!(
                    "Unknown workload {}: use \"perfect\", \"sleep\" or \"homework\".",
                    other.map_or_else(|| "(missing)".to_string(), |s| format!("\"{s}\""))
                )))
            }
        };

        bounds.tasks = tasks.len() as u64;
        let chunksize = match param(Key::Chunksize).read(obj.get("chunksize"), &bounds)? {
            Some(c) => c as usize,
            None if strategy == Strategy::PoolMap => python_default_chunksize(tasks.len(), workers),
            None => 1,
        };
        let (engine, hardware_concurrency) = echoed(obj, &bounds)?;

        Ok(Plan { workload, tasks, strategy, workers, chunksize, engine, hardware_concurrency, validated: Validated })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        Plan::from_json(json, 10).unwrap_err().to_string()
    }

    #[test]
    fn a_good_perfect_spec() {
        let p = Plan::from_json(r#"{"workload":"perfect","n":10000,"strategy":"pool-map","workers":4}"#, 10).unwrap();
        assert_eq!(p.tasks.len(), 9_999);
        assert_eq!(p.workers, 4);
        // CPython: divmod(9999, 4 * 4) = (624, 15), so 625 — a number, not the rule restated
        assert_eq!(p.chunksize, 625);
    }

    #[test]
    fn numbers_may_come_as_strings() {
        let p = Plan::from_json(r#"{"workload":"perfect","n":"500","strategy":"work-stealing","workers":"2"}"#, 10)
            .unwrap();
        assert_eq!((p.tasks.len(), p.workers), (499, 2));
    }

    #[test]
    fn python_chunksize_matches_cpython() {
        // divmod(10, 5*4) = (0, 10) -> 1;  divmod(99_999, 8) = (12_499, 7) -> 12_500
        assert_eq!(python_default_chunksize(10, 5), 1);
        assert_eq!(python_default_chunksize(99_999, 2), 12_500);
        assert_eq!(python_default_chunksize(80, 5), 4);
    }

    #[test]
    fn bad_inputs_get_clear_messages() {
        let cases = [
            (r#"{"workload":"perfect","n":0}"#, "N (numbers below) must be a whole number from 2"),
            (r#"{"workload":"perfect","n":1}"#, "N (numbers below) must be"),
            (r#"{"workload":"perfect","n":-5}"#, "got -5"),
            (r#"{"workload":"perfect","n":2.5}"#, "got 2.5"),
            (r#"{"workload":"perfect","n":1e12}"#, "from 2 to 200000"),
            (r#"{"workload":"perfect","n":"abc"}"#, "got \"abc\""),
            (r#"{"workload":"perfect"}"#, "N is required"),
            (
                r#"{"workload":"perfect","n":100,"strategy":"pool-map","workers":0}"#,
                "Workers must be a whole number from 1 to 10, got 0",
            ),
            (r#"{"workload":"perfect","n":100,"strategy":"pool-map","workers":-1}"#, "got -1"),
            (r#"{"workload":"perfect","n":100,"strategy":"pool-map","workers":10000}"#, "got 10000"),
            (r#"{"workload":"perfect","n":100,"strategy":"pool-map","workers":"NaN"}"#, "got \"NaN\""),
            (r#"{"workload":"perfect","n":100,"strategy":"pool-map","chunksize":0}"#, "Chunk size must be"),
            (r#"{"workload":"perfect","n":100,"strategy":"pool-map","chunksize":1000}"#, "from 1 to 99"),
            (r#"{"workload":"perfect","n":100000,"strategy":"spawn-per-task"}"#, "capped at N = 2001"),
            (r#"{"workload":"sleep","units":[1],"unitMs":0}"#, "Time unit (ms) must be a whole number from 1"),
            (r#"{"workload":"sleep","units":[1],"unitMs":0.5}"#, "got 0.5"),
            (r#"{"workload":"sleep","units":[1],"unitMs":-100}"#, "got -100"),
            (r#"{"workload":"sleep","units":[1],"unitMs":1e9}"#, "from 1 to 5000"),
            (r#"{"workload":"sleep","units":[]}"#, "list of 1 to 100"),
            (r#"{"workload":"sleep","units":[100,100],"unitMs":5000}"#, "add up to"),
            (r#"{"workload":"dance"}"#, "Unknown workload \"dance\""),
            (r#"{"workload":"perfect","n":10,"kernel":"gpu"}"#, "Unknown kernel \"gpu\""),
            (r#"{"workload":"perfect","n":10,"strategy":"magic"}"#, "Unknown strategy \"magic\""),
            ("not json", "Could not read"),
            ("[1,2]", "expected an object"),
        ];
        for (json, want) in cases {
            let got = err(json);
            assert!(got.contains(want), "{json}: got {got:?}, want {want:?}");
        }
    }
}
