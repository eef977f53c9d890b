//! One tree, and the vote of many: everything about the model that does not care who runs it.
//!
//! smartcore's `RandomForestClassifier::fit` is a sequential loop that draws every tree's
//! bootstrap from one RNG, and its per-tree fit (bootstrap + √features sampled per split) is
//! crate-private. So each tree here is a *one-tree* smartcore forest seeded with
//! [`tree_seed`]`(seed, tree)`: its bootstrap and its splits depend on those two numbers only.
//! Trees are then combined by majority vote, which counts votes and so cannot depend on the
//! order trees finished in. Together: the same forest for every n_jobs, natively and in wasm.

use super::data::{split, Dataset};
use super::rng::tree_seed;
use super::settings::ForestSettings;
use crate::error::LabError;
use smartcore::ensemble::random_forest_classifier::{RandomForestClassifier, RandomForestClassifierParameters};
use smartcore::linalg::basic::matrix::DenseMatrix;

/// The split dataset as smartcore matrices, built once per run and shared by every worker.
#[derive(Debug)]
pub struct Prepared {
    train_x: DenseMatrix<f32>,
    train_y: Vec<u32>,
    test_x: DenseMatrix<f32>,
    /// The held-out labels, to score the vote.
    pub test_y: Vec<u8>,
    pub classes: usize,
    pub features: usize,
}

fn matrix(d: &Dataset, rows: &[usize]) -> Result<DenseMatrix<f32>, LabError> {
    let values = rows.iter().flat_map(|&r| d.row(r).iter().map(|&p| f32::from(p))).collect();
    DenseMatrix::new(rows.len(), d.features, values, false).map_err(|e| LabError::WorkerFailed(e.to_string()))
}

impl Prepared {
    /// Split `d` 75/25 with `seed` (see [`split`]) and convert both parts.
    ///
    /// # Errors
    /// Only if smartcore refuses the shapes, which a parsed [`Dataset`] rules out.
    pub fn new(d: &Dataset, seed: u64) -> Result<Prepared, LabError> {
        let s = split(d.rows, seed);
        Ok(Prepared {
            train_x: matrix(d, &s.train)?,
            train_y: s.train.iter().map(|&r| u32::from(d.labels[r])).collect(),
            test_x: matrix(d, &s.test)?,
            test_y: s.test.iter().map(|&r| d.labels[r]).collect(),
            classes: d.classes,
            features: d.features,
        })
    }

    /// Rows in the held-out part.
    pub fn test_rows(&self) -> usize {
        self.test_y.len()
    }

    /// Rows in the training part.
    pub fn train_rows(&self) -> usize {
        self.train_y.len()
    }
}

/// Grow tree `tree` of the forest `s` describes and return its class for every held-out row.
///
/// # Errors
/// [`LabError::WorkerFailed`] with smartcore's message if the fit fails.
pub fn grow_tree(p: &Prepared, s: &ForestSettings, tree: usize) -> Result<Vec<u8>, LabError> {
    let params = RandomForestClassifierParameters::default()
        .with_n_trees(1)
        .with_max_depth(s.depth)
        // √64 = 8 features tried per split, as scikit-learn's max_features="sqrt".
        .with_m((p.features as f64).sqrt().floor() as usize)
        .with_seed(tree_seed(s.seed, tree));
    let fail = |e: smartcore::error::Failed| LabError::WorkerFailed(format!("tree {tree}: {e}"));
    let model = RandomForestClassifier::fit(&p.train_x, &p.train_y, params).map_err(fail)?;
    let predicted: Vec<u32> = model.predict(&p.test_x).map_err(fail)?;
    // Labels come from a parsed dataset, so each is below `classes` (≤ 255).
    Ok(predicted.into_iter().map(|c| c as u8).collect())
}

/// What a fitted forest says about the held-out rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The majority vote per held-out row (ties go to the smaller class, like smartcore's).
    pub predictions: Vec<u8>,
    pub correct: usize,
    pub accuracy: f64,
    /// FNV-1a (64-bit) over every tree's predictions in tree order, then the vote: equal
    /// fingerprints mean the same trees voting the same way, whoever built them.
    pub fingerprint: u64,
}

/// Vote `per_tree` (`trees × test rows` classes, tree by tree, in tree order) and score it.
///
/// # Errors
/// [`LabError::WorkerFailed`] when `per_tree` has the wrong length or a class out of range (a
/// process that sent back garbage).
pub fn verdict(p: &Prepared, per_tree: &[u8]) -> Result<Verdict, LabError> {
    let rows = p.test_rows();
    if rows == 0 || per_tree.is_empty() || !per_tree.len().is_multiple_of(rows) {
        return Err(LabError::WorkerFailed("the trees' predictions do not cover the held-out rows".into()));
    }
    if per_tree.iter().any(|&c| usize::from(c) >= p.classes) {
        return Err(LabError::WorkerFailed("a tree predicted a class that does not exist".into()));
    }
    let mut votes = vec![0u32; rows * p.classes];
    for tree in per_tree.chunks_exact(rows) {
        for (row, &c) in tree.iter().enumerate() {
            votes[row * p.classes + usize::from(c)] += 1;
        }
    }
    let predictions: Vec<u8> = votes
        .chunks_exact(p.classes)
        .map(|v| {
            let best = v.iter().enumerate().fold(0, |b, (c, &n)| if n > v[b] { c } else { b });
            best as u8
        })
        .collect();
    let correct = predictions.iter().zip(&p.test_y).filter(|(a, b)| a == b).count();
    let fingerprint = fnv1a(per_tree.iter().chain(&predictions));
    Ok(Verdict { accuracy: correct as f64 / rows as f64, predictions, correct, fingerprint })
}

fn fnv1a<'a>(bytes: impl Iterator<Item = &'a u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_its_reference_values() {
        assert_eq!(fnv1a(b"".iter()), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a".iter()), 0xaf63_dc4c_8601_ec8c);
    }
}
