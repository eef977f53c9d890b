//! The forest lesson's settings, validated once here with the messages the card shows.
//!
//! The reader's parameters (`trees`, `depth`, `workers`) and their limits are lines of the one
//! table, [`crate::limits::PARAMS`], which the page's form reads too; only the spec fields a
//! reader never types (the seed, the core count) are described here.

use crate::error::LabError;
use crate::input::Input;
use crate::limits::{param, Bounds, Initial, Key, Max, Param, MAX_WORKERS};
use crate::spec::echoed;
use serde::Serialize;

/// Largest seed: a u32, so it survives every JavaScript and Python number type unchanged.
pub const MAX_SEED: u64 = u32::MAX as u64;

/// The forest's seed: fixed by the lesson (0) and by the bench, not a reader's input, so not in
/// the table the form is built from.
const SEED: Param = Param {
    key: "seed",
    attr: "",
    label: "Seed",
    min: 0,
    max: Max::Fixed(MAX_SEED),
    initial: Initial::Fixed(0),
    hint: "",
};

/// A validated forest run (the page holds it as a `ForestPlan`; a forest process gets its `to_wire`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForestSettings {
    pub trees: usize,
    pub depth: u16,
    pub seed: u64,
    /// n_jobs: exactly this many workers build trees.
    pub workers: usize,
    pub engine: String,
    pub hardware_concurrency: u32,
}

/// Parameter `p` from `obj`, or its initial value when absent or blank.
fn read(obj: &Input, p: &Param, bounds: &Bounds) -> Result<u64, LabError> {
    Ok(p.read(obj.get(p.key), bounds)?.or(p.initial(bounds)).unwrap_or(p.min))
}

impl ForestSettings {
    /// Validate `{trees, depth, seed, workers, engine, hardwareConcurrency}` (all optional but
    /// none out of range); `max_workers` is what the engine can offer.
    ///
    /// # Errors
    /// [`LabError::BadSpec`] when `obj` is not an object, [`LabError::OutOfRange`] naming the
    /// first field out of range.
    pub fn from_input(obj: &Input, max_workers: u32) -> Result<ForestSettings, LabError> {
        if !matches!(obj, Input::Object(_)) {
            return Err(LabError::BadSpec("expected an object such as {\"trees\": 100, \"depth\": 12}.".into()));
        }
        let bounds = Bounds::form(max_workers.clamp(1, MAX_WORKERS), 1);
        let trees = read(obj, param(Key::Trees), &bounds)? as usize;
        let depth = read(obj, param(Key::Depth), &bounds)? as u16;
        let seed = read(obj, &SEED, &bounds)?;
        // The table's workers, named as the lesson names them (n_jobs); one worker unless asked.
        let n_jobs = Param { label: "n_jobs", initial: Initial::Fixed(1), ..*param(Key::Workers) };
        let workers = read(obj, &n_jobs, &bounds)? as usize;
        let (engine, hardware_concurrency) = echoed(obj, &bounds)?;
        Ok(ForestSettings { trees, depth, seed, workers, engine, hardware_concurrency })
    }

    /// The settings a forest process needs to grow trees, as numbers (`trees`, `depth`, `seed`,
    /// `workers`, `hardwareConcurrency`; each a whole number below 2^32): a process receives the
    /// run's validated settings this way, never the spec.
    pub fn to_wire(&self) -> [f64; 5] {
        [
            self.trees as f64,
            f64::from(self.depth),
            self.seed as f64,
            self.workers as f64,
            f64::from(self.hardware_concurrency),
        ]
    }

    /// The settings [`ForestSettings::to_wire`] wrote (the engine's name stays behind), or
    /// `None` for numbers it cannot have written: a decoding check, not a validation.
    pub fn from_wire(w: &[f64]) -> Option<ForestSettings> {
        let whole =
            |x: f64| (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SEED as f64).then_some(x as u64);
        match *w {
            [trees, depth, seed, workers, cores] => Some(ForestSettings {
                trees: whole(trees)? as usize,
                depth: u16::try_from(whole(depth)?).ok()?,
                seed: whole(seed)?,
                workers: whole(workers)? as usize,
                engine: String::new(),
                hardware_concurrency: u32::try_from(whole(cores)?).ok()?,
            }),
            _ => None,
        }
    }

    /// Settings from JSON (native tools and tests).
    ///
    /// # Errors
    /// As [`ForestSettings::from_input`], or [`LabError::BadSpec`] for text that is not JSON.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str, max_workers: u32) -> Result<ForestSettings, LabError> {
        Self::from_input(&Input::from_json(json).map_err(LabError::BadSpec)?, max_workers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_cross_the_wire_to_a_process() {
        let s = ForestSettings::from_json(
            r#"{"trees":7,"depth":30,"seed":4294967295,"workers":3,"hardwareConcurrency":2}"#,
            10,
        )
        .unwrap();
        let back = ForestSettings::from_wire(&s.to_wire()).unwrap();
        assert_eq!(back, ForestSettings { engine: String::new(), ..s });
        assert_eq!(ForestSettings::from_wire(&[1.0, 70_000.0, 0.0, 1.0, 1.0]), None, "depth beyond u16");
        assert_eq!(ForestSettings::from_wire(&[1.0, 2.0]), None);
    }

    #[test]
    fn defaults_and_strings() {
        let s = ForestSettings::from_json(r#"{"trees":"50","workers":2}"#, 10).unwrap();
        assert_eq!((s.trees, s.depth, s.seed, s.workers), (50, 12, 0, 2));
        let s = ForestSettings::from_json("{}", 10).unwrap();
        assert_eq!((s.trees, s.workers), (100, 1));
    }

    #[test]
    fn bad_inputs_get_clear_messages() {
        let cases = [
            (r#"{"trees":0}"#, "Trees must be a whole number from 1 to 1000, got 0."),
            (r#"{"trees":1001}"#, "got 1001"),
            (r#"{"trees":2.5}"#, "got 2.5"),
            (r#"{"trees":"many"}"#, "got \"many\""),
            (r#"{"depth":0}"#, "Max depth must be a whole number from 1 to 30, got 0."),
            (r#"{"depth":-3}"#, "got -3"),
            (r#"{"seed":-1}"#, "Seed must be"),
            (r#"{"workers":11}"#, "n_jobs must be a whole number from 1 to 10, got 11."),
            ("[1]", "expected an object"),
        ];
        for (json, want) in cases {
            let got = ForestSettings::from_json(json, 10).unwrap_err().to_string();
            assert!(got.contains(want), "{json}: got {got:?}, want {want:?}");
        }
    }
}
