//! The guide's opening story as a workload: 1200 multiplications, one student against k.
//!
//! Two kinds of student, because the difference is the lesson:
//! - *waiting* students: each multiplication is a pause of one unit ([`Task::Sleep`]), so k
//!   students give k× on any machine (waiting needs no core);
//! - *busy* students: each multiplication is a FIXED amount of CPU work ([`busy_work`],
//!   [`Task::Busy`]), calibrated once to about one unit on one thread. Fixed work, not "spin
//!   until the clock says a unit has passed": a spin-until-clock task would finish on time even
//!   when eight students share two cores, and fake a speedup that oversubscription cannot give.
//!
//! The guide's arithmetic slips (it writes 250 tasks each and 750 s); [`guide_story`] holds the
//! right figures, which the card prints and a test checks.

use crate::error::LabError;
use crate::input::Input;
use crate::limits::{param, Bounds, Initial, Key, Max, Param};
use crate::workload::Task;

pub use crate::limits::{HOMEWORK_TASKS, MAX_HOMEWORK_UNIT_MS, MAX_STUDENTS};
pub use crate::workload::busy_work;

/// Most iterations of [`busy_work`] in one task: about 0.1–0.5 s of CPU, far past any
/// calibrated unit, so a bad calibration cannot start an hour-long run.
pub const MAX_BUSY_ITERATIONS: u64 = 200_000_000;

/// How many multiplications: 1200, lowered only by the card's calibration runs (not a reader's
/// choice, so not in the table of reader parameters; read with the same rule).
const MULTIPLICATIONS: Param = Param {
    key: "multiplications",
    attr: "",
    label: "Multiplications",
    min: 1,
    max: Max::Fixed(HOMEWORK_TASKS),
    initial: Initial::Fixed(HOMEWORK_TASKS),
    hint: "",
};

/// A busy student's work per multiplication, calibrated by the card (not a reader's choice).
const ITERATIONS: Param = Param {
    key: "iterations",
    attr: "",
    label: "Busy work per multiplication (iterations)",
    min: 1,
    max: Max::Fixed(MAX_BUSY_ITERATIONS),
    initial: Initial::Blank,
    hint: "",
};

/// The guide's figures at its own scale: 1200 multiplications of 3 s, and 4 students.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Story {
    pub tasks_each: u64,
    pub seconds_alone: u64,
    pub seconds_together: u64,
}

/// `1200 ÷ students` tasks each and the time the whole group needs, at `seconds` per task.
pub fn guide_story(students: u64, seconds: u64) -> Story {
    let tasks_each = HOMEWORK_TASKS.div_ceil(students.max(1));
    Story { tasks_each, seconds_alone: HOMEWORK_TASKS * seconds, seconds_together: tasks_each * seconds }
}

/// The tasks of a homework spec: `kind` (`"waiting"` or `"busy"`), `multiplicationMs` (the
/// unit, a reader parameter), and for busy students `iterations` (the calibrated work per
/// multiplication); `multiplications` (default 1200) is only lowered to calibrate. Each task's
/// output is its 1-based index, so a trace proves every multiplication was done exactly once.
/// The students are read with the other run fields (`students`, in [`crate::spec`]).
///
/// # Errors
/// [`LabError::OutOfRange`] or [`LabError::Unsupported`] with a message naming the field.
pub fn tasks_of(obj: &Input) -> Result<Vec<Task>, LabError> {
    let bounds = Bounds::form(1, 1); // every bound here is fixed
    let count = MULTIPLICATIONS.read(obj.get("multiplications"), &bounds)?.unwrap_or(HOMEWORK_TASKS);
    let unit = param(Key::MultiplicationMs);
    let unit_ms = unit.read(obj.get("multiplicationMs"), &bounds)?.or(unit.initial(&bounds)).unwrap_or(3) as f64;
    match obj.get("kind").text() {
        Some("waiting") | None => Ok((1..=count).map(|index| Task::Sleep { ms: unit_ms, index }).collect()),
        Some("busy") => {
            let iterations = ITERATIONS.read(obj.get("iterations"), &bounds)?.ok_or_else(|| LabError::OutOfRange {
                field: "iterations",
                message: format!(
                    "Busy students need the work per multiplication: iterations, a whole number from 1 to {MAX_BUSY_ITERATIONS} (the card calibrates it)."
                ),
            })?;
            Ok((1..=count).map(|index| Task::Busy { iterations, index }).collect())
        }
        Some(other) => Err(LabError::Unsupported(format!(
            "Unknown kind of student \"{}\": use \"waiting\" or \"busy\".",
            other.chars().take(24).collect::<String>()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Plan;

    #[test]
    fn the_guides_story_with_the_right_figures() {
        // The guide writes 250 tasks each and 750 s; 1200 / 4 is 300, and 300 × 3 s = 900 s.
        assert_eq!(guide_story(4, 3), Story { tasks_each: 300, seconds_alone: 3_600, seconds_together: 900 });
        assert_eq!(guide_story(4, 3).seconds_together / 60, 15);
    }

    #[test]
    fn busy_work_is_the_splitmix_mixer_applied_n_times() {
        // Known values, not this code's own: no rounds leaves the seed xor the golden gamma; one
        // round from seed 0 is SplitMix64's published first output from seed 0 (the state after
        // one step is the gamma itself); the rest were computed in Python (64-bit masked).
        assert_eq!(busy_work(0, 5), 5 ^ 0x9E37_79B9_7F4A_7C15);
        assert_eq!(busy_work(1, 0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(busy_work(2, 0), 0x4821_8226_FF3C_D4BF);
        assert_eq!(busy_work(1_000, 7), 0x3A38_3C5B_7D61_6043);
        assert_ne!(busy_work(1_000, 7), busy_work(1_001, 7));
    }

    #[test]
    fn a_homework_plan_has_1200_indexed_tasks() {
        let p = Plan::from_json(r#"{"workload":"homework","kind":"busy","iterations":10,"strategy":"pool-map","students":4,"chunksize":300}"#, 10).unwrap();
        assert_eq!(p.tasks.len(), 1_200);
        assert_eq!(p.workers, 4);
        assert_eq!(p.tasks[299], Task::Busy { iterations: 10, index: 300 });
        let w = Plan::from_json(r#"{"workload":"homework","kind":"waiting","multiplicationMs":2}"#, 10).unwrap();
        assert_eq!(w.tasks[0], Task::Sleep { ms: 2.0, index: 1 });
    }

    #[test]
    fn every_multiplication_is_done_once_by_k_students() {
        let spec = r#"{"workload":"homework","kind":"busy","iterations":2000,"strategy":"pool-map","students":4,"chunksize":300}"#;
        let plan = Plan::from_json(spec, 10).unwrap();
        let trace = crate::run::run(&plan, &crate::control::Control::new()).unwrap();
        assert_eq!(trace.results, (1..=1_200).collect::<Vec<u64>>());
        // chunks of 300 from a FIFO queue: whole chunks per student, 1200 in all (who takes how
        // many is the scheduler's call: a student that starts late may get none)
        let mut per = [0u64; 4];
        for s in &trace.spans {
            per[s.worker as usize] += s.last - s.first + 1;
        }
        assert_eq!(per.iter().sum::<u64>(), 1_200);
        assert!(per.iter().all(|c| c % 300 == 0), "{per:?}");
    }

    #[test]
    fn bad_homework_inputs_get_clear_messages() {
        let err = |json: &str| Plan::from_json(json, 10).unwrap_err().to_string();
        let cases = [
            (
                r#"{"workload":"homework","students":9,"strategy":"pool-map"}"#,
                "Students (k) must be a whole number from 1 to 8, got 9",
            ),
            (r#"{"workload":"homework","students":0,"strategy":"pool-map"}"#, "Students (k) must be"),
            (r#"{"workload":"homework","multiplicationMs":0}"#, "Unit per multiplication (ms) must be a whole number"),
            (r#"{"workload":"homework","multiplicationMs":51}"#, "from 1 to 50, got 51"),
            (r#"{"workload":"homework","multiplicationMs":2.5}"#, "got 2.5"),
            (r#"{"workload":"homework","kind":"busy"}"#, "Busy students need"),
            (r#"{"workload":"homework","kind":"busy","iterations":0}"#, "from 1 to 200000000"),
            (r#"{"workload":"homework","kind":"lazy"}"#, "Unknown kind of student \"lazy\""),
            (r#"{"workload":"homework","multiplications":1201}"#, "from 1 to 1200"),
        ];
        for (json, want) in cases {
            let got = err(json);
            assert!(got.contains(want), "{json}: got {got:?}, want {want:?}");
        }
    }
}
