//! The forest lesson's settings, validated once here with the messages the card shows.

use crate::error::LabError;
use crate::input::Input;

/// Most trees in one fit. A tree of depth 12 takes about 10–20 ms on one wasm thread (2 cores,
/// busy or not), so 1000 trees is 10–20 s per fit — as long as a reader should wait for one.
pub const MAX_TREES: u64 = 1000;
/// Deepest tree. Digits trees stop growing (pure leaves) near depth 15–20; past 30 the limit
/// changes nothing but the reader's expectations.
pub const MAX_DEPTH: u64 = 30;
/// Largest seed: a u32, so it survives every JavaScript and Python number type unchanged.
pub const MAX_SEED: u64 = u32::MAX as u64;
/// The card's defaults: 100 trees of depth 12 (what the probe timed: ~1 s on one thread), seed 0.
pub const DEFAULT_TREES: u64 = 100;
pub const DEFAULT_DEPTH: u64 = 12;

/// A validated forest run.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestSettings {
    pub trees: usize,
    pub depth: u16,
    pub seed: u64,
    /// n_jobs: exactly this many workers build trees.
    pub workers: usize,
    pub engine: String,
    pub hardware_concurrency: u32,
}

fn whole(obj: &Input, key: &'static str, label: &str, lo: u64, hi: u64, default: u64) -> Result<u64, LabError> {
    let v = obj.get(key);
    if *v == Input::Null {
        return Ok(default);
    }
    match v.number() {
        Some(x) if x.is_finite() && x.fract() == 0.0 && x >= lo as f64 && x <= hi as f64 => Ok(x as u64),
        _ => Err(LabError::OutOfRange {
            field: key,
            message: format!("{label} must be a whole number from {lo} to {hi}, got {}.", v.show()),
        }),
    }
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
        let max_workers = u64::from(max_workers.clamp(1, crate::spec::MAX_WORKERS));
        let trees = whole(obj, "trees", "Trees", 1, MAX_TREES, DEFAULT_TREES)? as usize;
        let depth = whole(obj, "depth", "Depth", 1, MAX_DEPTH, DEFAULT_DEPTH)? as u16;
        let seed = whole(obj, "seed", "Seed", 0, MAX_SEED, 0)?;
        let workers = whole(obj, "workers", "n_jobs", 1, max_workers, 1)? as usize;
        let engine = match obj.get("engine").text() {
            Some(s) if s.len() <= 20 => s.to_string(),
            _ => "native".to_string(),
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
        let hardware_concurrency = whole(obj, "hardwareConcurrency", "hardwareConcurrency", 1, 4096, cores)? as u32;
        Ok(ForestSettings { trees, depth, seed, workers, engine, hardware_concurrency })
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
            (r#"{"depth":0}"#, "Depth must be a whole number from 1 to 30, got 0."),
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
