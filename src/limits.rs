//! The reader's parameters and every limit of a run, in one table: the single source of truth
//! for the Rust core *and* the page.
//!
//! The core validates each field of a run spec against [`PARAMS`] ([`Param::read`]); the page
//! asks the same table (through the `limits` and `readParam` bindings) for each input's label,
//! `min`, `max`, initial value and error message, and never copies a number. So a limit changed
//! here changes the form, its message and the validation at once (the tests below check the
//! table; tests/browser/lessons.test.mjs checks that the page follows it).
//!
//! **Adding a parameter is a line in [`PARAMS`] and its [`Key`]**, e.g.
//! `Param { key: "students", attr: "students", label: "Students", min: 1, max: Max::Fixed(8), initial: Initial::Fixed(4), hint: "" },`
//! then list its key in a lesson's `params` (www/lessons/*.js) and read it in [`crate::spec`]
//! with `param(Key::Students).read(obj.get("students"), &bounds)` (a variant of [`Key`] too). The widget observes its `attr`
//! and builds its input from the table.
//!
//! Every reader parameter is a whole number: fractions of a millisecond or of a worker mean
//! nothing to a reader (timers are millisecond-grained), and one rule keeps one message.

use crate::error::LabError;
use crate::input::Input;
use serde::Serialize;

/// Largest N for perfect numbers: the naive loop is O(N²); 200 000 takes about a minute in one
/// wasm thread, which is as long as a reader should wait for a lesson.
pub const MAX_N: u64 = 200_000;
/// Largest number of tasks for `spawn-per-task`: one Worker + wasm instance per number costs
/// milliseconds each, so past this the run measures spawning, not computing (that is the
/// lesson, capped).
pub const MAX_SPAWN_TASKS: usize = 2_000;
/// Most sleeping tasks in one run.
pub const MAX_SLEEP_TASKS: usize = 100;
/// Longest sleep of one task, in units.
pub const MAX_SLEEP_UNITS: u64 = 100;
/// Longest time unit, in ms (1 s reproduces the guide; 5 s is already very patient).
pub const MAX_UNIT_MS: u64 = 5_000;
/// Longest a sleep lesson may take when run sequentially, in ms.
pub const MAX_SLEEP_TOTAL_MS: u64 = 10 * 60 * 1000;
/// Hard ceiling on workers, whatever the engine offers.
pub const MAX_WORKERS: u32 = 64;

/// The fewest threads a pool offers: the sleep lessons run ten workers at once.
pub const MIN_POOL: usize = 10;

/// The most threads a pool offers, however many cores the machine reports. In the browser each
/// thread is a Worker with its own JS realm and wasm stack, all started when the engine boots
/// and kept for the page's life, so an uncapped pool (`max(cores, 10)`) started 129 Workers on
/// a 128-thread machine before the first result. 16: enough for every lesson's curve to flatten
/// at the sizes a card accepts (a CPU-bound run gains nothing past the cores it has, and the
/// lessons show that flattening well before 16 on the machines readers have: 2–12 cores), and
/// few enough that boot stays a fraction of a second where a 2-core machine boots its 10.
pub const MAX_POOL: usize = 16;
const _: () = assert!(MIN_POOL <= MAX_POOL, "the cap cannot be below the floor");
const _: () = assert!(MAX_POOL <= MAX_WORKERS as usize, "a pool never offers more than the ceiling");

/// **The one maximum for workers**: the threads in the lab's pool on a machine with `cores`
/// hardware threads — `cores`, at least [`MIN_POOL`] and at most [`MAX_POOL`]. Both engines
/// offer this many workers (the threads engine starts this many rayon threads, the processes
/// engine accepts this many processes), the form's `workers` input and the run's validation are
/// bounded by it, and JS asks for it (`poolSizeFor`) rather than computing it.
pub fn pool_size_for(cores: usize) -> usize {
    cores.clamp(MIN_POOL, MAX_POOL)
}
/// Most students (workers) a homework run takes: enough to go well past a small machine's
/// cores, few enough that every student's row stays readable in the timeline.
pub const MAX_STUDENTS: u64 = 8;
/// Longest homework unit per multiplication, in ms: 1200 × 50 ms is a minute for one student,
/// as long as a reader should wait (the guide's 3 s becomes 3 ms by default).
pub const MAX_HOMEWORK_UNIT_MS: u64 = 50;
/// Most parallel-writes writer Workers: past 8, a 2–8 core machine shows nothing new, and each
/// is a Worker with its own wasm instance and its share of the data in memory.
pub const MAX_WRITERS: u64 = 8;
/// Bytes in one CSV row of the parallel-writes dataset (see `crate::writes`), which is also the
/// smallest record.
pub const ROW_BYTES: u64 = 64;
/// Largest latency record, 1 MiB: bigger "records" are simply the bandwidth regime.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;
/// Largest parallel-writes dataset, in MiB: each writer holds its share in memory while it
/// writes, and OPFS quotas go down to 1000 MiB (WebKit).
pub const MAX_TOTAL_MB: u64 = 256;
/// Most trees in one `random-forest` fit. A tree of depth 12 takes about 10–20 ms on one wasm
/// thread (2 cores, busy or not), so 1000 trees is 10–20 s per fit — as long as a reader should
/// wait for one.
/// Multiplications in the guide's homework (a limit of the homework lesson, and the card's
/// arithmetic: here, beside the other limits, so that homework.rs depends on this table and not
/// the reverse).
pub const HOMEWORK_TASKS: u64 = 1_200;
pub const MAX_TREES: u64 = 1000;
/// Deepest `random-forest` tree. Digits trees stop growing (pure leaves) near depth 15–20; past
/// 30 the limit changes nothing but the reader's expectations.
pub const MAX_DEPTH: u64 = 30;

/// A parameter's upper bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Max {
    /// A fixed number.
    Fixed(u64),
    /// The workers the engine offers (its pool size).
    Workers,
    /// The number of tasks in the run (at most `MAX_N - 1` before the run is known).
    Tasks,
}

/// A parameter's value when the reader leaves it blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initial {
    Fixed(u64),
    /// The machine's core count (`navigator.hardwareConcurrency`).
    Cores,
    /// Stays blank: the core picks (e.g. Python's chunk size rule).
    Blank,
}

/// One parameter a reader can set, in a form, an attribute or a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The run spec's key and the form input's name (camelCase).
    pub key: &'static str,
    /// The `<speedup-lab>` attribute (kebab-case).
    pub attr: &'static str,
    /// The form label, also the subject of the error message.
    pub label: &'static str,
    /// Smallest accepted value (inclusive).
    pub min: u64,
    /// Largest accepted value (inclusive).
    pub max: Max,
    pub initial: Initial,
    /// Placeholder text of the input (empty for none).
    pub hint: &'static str,
}

/// Every reader parameter. One line each; see the module documentation.
#[rustfmt::skip]
pub const PARAMS: &[Param] = &[
    Param { key: "n", attr: "n", label: "N (numbers below)", min: 2, max: Max::Fixed(MAX_N), initial: Initial::Fixed(20_000), hint: "" },
    Param { key: "workers", attr: "workers", label: "Workers", min: 1, max: Max::Workers, initial: Initial::Cores, hint: "" },
    Param { key: "chunksize", attr: "chunksize", label: "Chunk size", min: 1, max: Max::Tasks, initial: Initial::Blank, hint: "blank: like Python" },
    Param { key: "unitMs", attr: "unit-ms", label: "Time unit (ms)", min: 1, max: Max::Fixed(MAX_UNIT_MS), initial: Initial::Fixed(100), hint: "" },
    Param { key: "students", attr: "students", label: "Students (k)", min: 1, max: Max::Fixed(MAX_STUDENTS), initial: Initial::Fixed(4), hint: "" },
    Param { key: "multiplicationMs", attr: "multiplication-ms", label: "Unit per multiplication (ms)", min: 1, max: Max::Fixed(MAX_HOMEWORK_UNIT_MS), initial: Initial::Fixed(3), hint: "" },
    Param { key: "writers", attr: "writers", label: "Writers", min: 1, max: Max::Fixed(MAX_WRITERS), initial: Initial::Fixed(4), hint: "" },
    Param { key: "totalMb", attr: "total-mb", label: "Dataset (MiB)", min: 1, max: Max::Fixed(MAX_TOTAL_MB), initial: Initial::Fixed(32), hint: "" },
    Param { key: "recordBytes", attr: "record-bytes", label: "Record (bytes)", min: ROW_BYTES, max: Max::Fixed(MAX_RECORD_BYTES), initial: Initial::Fixed(4096), hint: "a multiple of 64" },
    // random-forest: 100 trees of depth 12 is what the probe timed (~1 s on one thread).
    Param { key: "trees", attr: "trees", label: "Trees", min: 1, max: Max::Fixed(MAX_TREES), initial: Initial::Fixed(100), hint: "" },
    Param { key: "depth", attr: "depth", label: "Max depth", min: 1, max: Max::Fixed(MAX_DEPTH), initial: Initial::Fixed(12), hint: "" },
];

/// What the bounds of a parameter depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Workers the engine offers (its pool size).
    pub workers: u64,
    /// The machine's cores.
    pub cores: u64,
    /// Tasks in the run.
    pub tasks: u64,
}

impl Bounds {
    /// Bounds for a form, before the run (and so its task count) is known.
    pub fn form(workers: u32, cores: u32) -> Bounds {
        Bounds { workers: u64::from(workers.clamp(1, MAX_WORKERS)), cores: u64::from(cores.max(1)), tasks: MAX_N - 1 }
    }
}

/// A parameter with its bounds resolved, as the page reads it (`limits` binding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub key: &'static str,
    pub attr: &'static str,
    pub label: &'static str,
    pub min: u64,
    pub max: u64,
    /// `None` (JS `null`): stays blank.
    pub initial: Option<u64>,
    pub hint: &'static str,
}

/// Everything the page needs to know about limits: the parameters, and the run limits that
/// are not parameters but shape what a lesson offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub params: Vec<Resolved>,
    /// The largest N `spawn-per-task` accepts (N − 1 tasks).
    pub max_spawn_n: u64,
    pub max_sleep_tasks: u64,
    /// The hard ceiling ([`MAX_WORKERS`]) that clamps any pool size passed in; the bound a run
    /// meets is the pool size itself, the `workers` parameter's `max`.
    pub max_workers: u32,
    /// Multiplications in the homework (the guide's 1200): the card's arithmetic reads it.
    pub homework_tasks: u64,
}

/// The limits for a form on an engine of `workers` workers, on `cores` cores.
pub fn limits(workers: u32, cores: u32) -> Limits {
    let bounds = Bounds::form(workers, cores);
    Limits {
        params: PARAMS
            .iter()
            .map(|p| Resolved {
                key: p.key,
                attr: p.attr,
                label: p.label,
                min: p.min,
                max: p.max(&bounds),
                initial: p.initial(&bounds),
                hint: p.hint,
            })
            .collect(),
        max_spawn_n: MAX_SPAWN_TASKS as u64 + 1,
        max_sleep_tasks: MAX_SLEEP_TASKS as u64,
        max_workers: MAX_WORKERS,
        homework_tasks: HOMEWORK_TASKS,
    }
}

/// The reader parameters, by name: the core's own code names one as `param(Key::Students)`, so a
/// typo is a compile error, not a panic at run time. Each has its row in [`PARAMS`] (checked by
/// the tests below); the page names them by their text ([`Key::name`], the row's `key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    N,
    Workers,
    Chunksize,
    UnitMs,
    Students,
    MultiplicationMs,
    Writers,
    TotalMb,
    RecordBytes,
    Trees,
    Depth,
}

impl Key {
    /// Every key, in the table's order.
    pub const ALL: [Key; 11] = [
        Key::N,
        Key::Workers,
        Key::Chunksize,
        Key::UnitMs,
        Key::Students,
        Key::MultiplicationMs,
        Key::Writers,
        Key::TotalMb,
        Key::RecordBytes,
        Key::Trees,
        Key::Depth,
    ];

    /// The run spec's key (camelCase), as in [`Param::key`].
    pub const fn name(self) -> &'static str {
        match self {
            Key::N => "n",
            Key::Workers => "workers",
            Key::Chunksize => "chunksize",
            Key::UnitMs => "unitMs",
            Key::Students => "students",
            Key::MultiplicationMs => "multiplicationMs",
            Key::Writers => "writers",
            Key::TotalMb => "totalMb",
            Key::RecordBytes => "recordBytes",
            Key::Trees => "trees",
            Key::Depth => "depth",
        }
    }
}

/// The parameter `key` (its row in [`PARAMS`]: the tests check that every key has one).
pub fn param(key: Key) -> &'static Param {
    let name = key.name();
    PARAMS.iter().find(|p| p.key == name).expect("every Key has its row in PARAMS (limits tests)")
}

/// The parameter whose spec key is `name` (text from the page), if there is one.
pub fn param_named(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == name)
}

impl Param {
    /// The largest accepted value under `bounds` (never below `min`).
    pub fn max(&self, bounds: &Bounds) -> u64 {
        let hi = match self.max {
            Max::Fixed(v) => v,
            Max::Workers => bounds.workers,
            Max::Tasks => bounds.tasks,
        };
        hi.max(self.min)
    }

    /// The value a blank input takes (`None`: stays blank).
    pub fn initial(&self, bounds: &Bounds) -> Option<u64> {
        match self.initial {
            Initial::Fixed(v) => Some(v.clamp(self.min, self.max(bounds))),
            Initial::Cores => Some(bounds.cores.clamp(self.min, self.max(bounds))),
            Initial::Blank => None,
        }
    }

    /// Read this parameter from `v`: `None` when absent or blank, the whole number when it is
    /// one in `min..=max`, a message naming the label and the range otherwise.
    ///
    /// # Errors
    /// [`LabError::OutOfRange`] with e.g. "Workers must be a whole number from 1 to 10, got 0.".
    pub fn read(&self, v: &Input, bounds: &Bounds) -> Result<Option<u64>, LabError> {
        if *v == Input::Null || v.text().is_some_and(|t| t.trim().is_empty()) {
            return Ok(None);
        }
        let (lo, hi) = (self.min, self.max(bounds));
        match v.number() {
            Some(x) if x.is_finite() && x.fract() == 0.0 && x >= lo as f64 && x <= hi as f64 => Ok(Some(x as u64)),
            _ => Err(LabError::OutOfRange {
                field: self.key,
                message: format!("{} must be a whole number from {lo} to {hi}, got {}.", self.label, v.show()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Input {
        Input::Text { text: s.into(), number: s.trim().parse().ok() }
    }

    #[test]
    fn keys_and_attributes_are_unique() {
        assert_eq!(Key::ALL.len(), PARAMS.len(), "a Key for every row");
        for (key, row) in Key::ALL.iter().zip(PARAMS) {
            assert_eq!(key.name(), row.key, "Key::ALL follows the table's order");
            assert_eq!(param(*key).key, key.name());
        }
        assert!(param_named("students").is_some() && param_named("student").is_none());
        for (i, p) in PARAMS.iter().enumerate() {
            assert!(PARAMS[i + 1..].iter().all(|q| q.key != p.key && q.attr != p.attr), "{} twice", p.key);
        }
    }

    #[test]
    fn blank_is_absent_and_bounds_are_inclusive() {
        let b = Bounds::form(10, 2);
        let w = param(Key::Workers);
        assert_eq!(w.read(&text("  "), &b), Ok(None));
        assert_eq!(w.read(&text("1"), &b), Ok(Some(1)));
        assert_eq!(w.read(&text("10"), &b), Ok(Some(10)));
        let e = w.read(&text("11"), &b).unwrap_err().to_string();
        assert_eq!(e, "Workers must be a whole number from 1 to 10, got \"11\".");
    }

    #[test]
    fn the_time_unit_is_a_whole_number_of_ms_from_1() {
        let b = Bounds::form(10, 2);
        let u = param(Key::UnitMs);
        assert!(u.read(&text("0.5"), &b).is_err(), "one rule: whole ms, at least 1");
        assert!(u.read(&text("0"), &b).is_err());
        assert_eq!(u.read(&text("1"), &b), Ok(Some(1)));
        assert_eq!(u.max(&b), MAX_UNIT_MS);
    }

    #[test]
    fn small_machines_get_ten_large_ones_are_capped() {
        // ten sleepers even on one or two cores; a machine's own count in between; a cap above
        assert_eq!(pool_size_for(1), 10);
        assert_eq!(pool_size_for(2), 10);
        assert_eq!(pool_size_for(12), 12);
        assert_eq!(pool_size_for(16), 16);
        assert_eq!(pool_size_for(128), 16, "a 128-thread machine must not start 129 Workers");
        assert_eq!(pool_size_for(usize::MAX), MAX_POOL);
        assert_eq!(pool_size_for(0), MIN_POOL);
    }

    #[test]
    fn one_maximum_for_workers() {
        // The form's bound, the limits the page reads and the pool are one number.
        let pool = pool_size_for(2) as u32;
        let l = limits(pool, 2);
        let workers = l.params.iter().find(|p| p.key == "workers").map(|p| p.max);
        assert_eq!(workers, Some(u64::from(pool)));
        let err =
            crate::spec::Plan::from_json(r#"{"workload":"perfect","n":100,"strategy":"pool-map","workers":11}"#, pool)
                .unwrap_err()
                .to_string();
        assert!(err.contains(&format!("from 1 to {pool}")), "{err}");
    }

    #[test]
    fn initial_values_stay_in_range() {
        let b = Bounds::form(10, 64);
        assert_eq!(param(Key::Workers).initial(&b), Some(10), "cores above the pool size are capped");
        assert_eq!(param(Key::Chunksize).initial(&b), None);
        assert_eq!(param(Key::N).initial(&b), Some(20_000));
    }
}
