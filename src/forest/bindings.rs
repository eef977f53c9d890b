//! The forest's wasm API, beside `crate::bindings` (which holds the lab's generic one).
//!
//! The builds with the `forest` feature (threads, plain-forest) export [`ForestData`] (the parsed
//! dataset, held by whichever wasm instance grows trees: a process of the processes engine, or
//! the threads engine's coordinator) and [`ForestPlan`] (a forest spec, validated once); the threaded build adds
//! [`start_forest`], which grows the whole forest in the rayon pool while the coordinator polls
//! its [`ForestHandle`].

use super::data::Dataset;
use super::model::{self, Prepared};
use super::run::{ForestRun, TreeSpan};
use super::settings::ForestSettings;
use crate::bindings::{input_of, to_js};
use crate::error::LabError;
use crate::strategy::Strategy;
use crate::trace::{Span, Trace};
use js_sys::Reflect;
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

fn js_err(e: LabError) -> JsError {
    JsError::new(&e.to_string())
}

/// One forest run's validated settings, held by the coordinator's wasm instance: the one place
/// a forest spec is validated (its constructor, before anything is fetched or any worker
/// started), and what everything after it takes instead of the spec — `startForest`,
/// `ForestData.outcome`, and the forest processes, which receive `wire()` (the settings as
/// numbers) rather than a spec to validate again. The coordinator frees it after the run.
#[wasm_bindgen]
pub struct ForestPlan(ForestSettings);

#[wasm_bindgen]
impl ForestPlan {
    /// Validate forest `spec` (`{trees, depth, seed, workers, engine, hardwareConcurrency}`)
    /// for an engine of `max_workers` workers (its pool size: the one maximum for workers).
    ///
    /// # Errors
    /// The core's message for the first field out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &JsValue, max_workers: u32) -> Result<ForestPlan, JsError> {
        ForestSettings::from_input(&input_of(spec), max_workers).map(ForestPlan).map_err(js_err)
    }

    /// Trees in the forest.
    #[wasm_bindgen(getter)]
    pub fn trees(&self) -> u32 {
        self.0.trees as u32
    }

    /// n_jobs: the workers that grow trees.
    #[wasm_bindgen(getter)]
    pub fn workers(&self) -> u32 {
        self.0.workers as u32
    }

    /// What progress counts: the trees.
    #[wasm_bindgen(getter)]
    pub fn tasks(&self) -> u32 {
        self.0.trees as u32
    }

    /// The unit progress counts in.
    #[wasm_bindgen(getter)]
    pub fn unit(&self) -> String {
        "trees".to_string()
    }

    /// The settings as a forest process receives them (`ForestSettings::to_wire`).
    pub fn wire(&self) -> Vec<f64> {
        self.0.to_wire().to_vec()
    }
}

/// What a fit adds to its trace: the forest, its held-out accuracy and the fingerprint of
/// everything it predicted (16 hex digits: a u64 is not a safe JS number).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForestFacts<'a> {
    trees: usize,
    depth: u16,
    seed: u64,
    train_rows: usize,
    test_rows: usize,
    correct: usize,
    accuracy: f64,
    fingerprint: String,
    predictions: &'a [u8],
}

/// A finished fit as the JS object the card reads: the core's own [`Trace`] (one task and one
/// span per tree; `sequential` for n_jobs = 1, else `pool-map`, the pattern it follows), plus
/// `forest`.
fn run_to_js(r: &ForestRun) -> JsValue {
    let s = &r.settings;
    let trace = Trace {
        strategy: if s.workers == 1 { Strategy::Sequential } else { Strategy::PoolMap },
        engine: s.engine.clone(),
        workers: s.workers as u32,
        lanes: s.workers as u32,
        hardware_concurrency: s.hardware_concurrency,
        chunksize: 1,
        tasks: s.trees as u64,
        total_ms: r.fit_ms,
        results: Vec::new(),
        spans: r
            .spans
            .iter()
            .map(|t| Span {
                first: t.tree as u64 + 1,
                last: t.tree as u64 + 1,
                worker: t.worker,
                start: t.start,
                end: t.end,
            })
            .collect(),
        parking_fallback: false,
    };
    let facts = ForestFacts {
        trees: s.trees,
        depth: s.depth,
        seed: s.seed,
        train_rows: r.train_rows,
        test_rows: r.test_rows,
        correct: r.verdict.correct,
        accuracy: r.verdict.accuracy,
        fingerprint: format!("{:016x}", r.verdict.fingerprint),
        predictions: &r.verdict.predictions,
    };
    let o = to_js(&trace);
    // A trace always serialises to an object, so setting one more field cannot fail.
    let _ = Reflect::set(&o, &"forest".into(), &to_js(&facts));
    o
}

/// The digits, parsed once per wasm instance, with the split of the last seed used.
#[wasm_bindgen]
pub struct ForestData {
    data: Arc<Dataset>,
    prepared: Option<(u64, Prepared)>,
}

impl ForestData {
    fn prepared(&mut self, seed: u64) -> Result<&Prepared, JsError> {
        if self.prepared.as_ref().map(|(s, _)| *s) != Some(seed) {
            self.prepared = Some((seed, Prepared::new(&self.data, seed).map_err(js_err)?));
        }
        // Just set above when missing.
        self.prepared.as_ref().map(|(_, p)| p).ok_or_else(|| JsError::new("no split"))
    }
}

#[wasm_bindgen]
impl ForestData {
    /// Parse `digits.bin` (format in `www/data/README.md`).
    ///
    /// # Errors
    /// What is wrong with the file.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<ForestData, JsError> {
        Ok(ForestData { data: Arc::new(Dataset::parse(bytes).map_err(js_err)?), prepared: None })
    }

    /// Grow tree `tree` of the forest whose validated settings `wire` holds (`ForestPlan.wire`,
    /// in a process of the processes engine): its class for every held-out row.
    ///
    /// # Errors
    /// Numbers `ForestPlan.wire` cannot have written (a bug), or the fit's failure.
    #[wasm_bindgen(js_name = growTree)]
    pub fn grow_tree(&mut self, wire: &[f64], tree: u32) -> Result<Vec<u8>, JsError> {
        let s = ForestSettings::from_wire(wire)
            .ok_or_else(|| JsError::new("These are not a forest's settings (ForestPlan.wire writes them)."))?;
        let p = self.prepared(s.seed)?;
        model::grow_tree(p, &s, tree as usize).map_err(js_err)
    }

    /// Vote and score trees grown elsewhere (the processes engine): `per_tree` holds every
    /// tree's predictions in tree order, `spans` four numbers per tree (tree, worker, start,
    /// end; ms from the fit's start). Returns the same object as a threaded fit.
    ///
    /// # Errors
    /// Predictions that do not fit the held-out rows.
    pub fn outcome(
        &mut self,
        plan: &ForestPlan,
        per_tree: &[u8],
        spans: &[f64],
        fit_ms: f64,
    ) -> Result<JsValue, JsError> {
        let s = plan.0.clone();
        let p = self.prepared(s.seed)?;
        if per_tree.len() != s.trees * p.test_rows() || spans.len() != s.trees * 4 {
            return Err(js_err(LabError::WorkerFailed("some trees are missing".into())));
        }
        let verdict = model::verdict(p, per_tree).map_err(js_err)?;
        let spans = spans
            .chunks_exact(4)
            .map(|c| TreeSpan { tree: c[0] as usize, worker: c[1] as u32, start: c[2], end: c[3] })
            .collect();
        let run =
            ForestRun { spans, fit_ms, train_rows: p.train_rows(), test_rows: p.test_rows(), verdict, settings: s };
        Ok(run_to_js(&run))
    }
}

#[cfg(feature = "threads")]
pub use threaded::*;

#[cfg(feature = "threads")]
mod threaded {
    use super::{js_err, run_to_js, ForestData, ForestPlan};
    use crate::background::Background;
    use crate::bindings::JsClock;
    use crate::forest::{fit_forest, ForestRun, Prepared};
    use std::sync::Arc;
    use wasm_bindgen::prelude::*;

    /// A forest growing in the thread pool; the coordinator polls it like a `RunHandle`.
    #[wasm_bindgen]
    pub struct ForestHandle(Background<ForestRun>);

    /// Start growing the forest `plan` describes (validated once, by the coordinator) on
    /// `plan.workers` of the pool's threads and return at once.
    #[wasm_bindgen(js_name = startForest)]
    pub fn start_forest(plan: &ForestPlan, data: &ForestData) -> ForestHandle {
        let s = plan.0.clone();
        let dataset = Arc::clone(&data.data);
        ForestHandle(Background::spawn(move |c| {
            Prepared::new(&dataset, s.seed).and_then(|p| fit_forest(&p, &s, &JsClock, c)).map_err(|e| e.to_string())
        }))
    }

    crate::background_handle!(ForestHandle);

    #[wasm_bindgen]
    impl ForestHandle {
        /// The result, once [`ForestHandle::finished`].
        ///
        /// # Errors
        /// The fit's error ("Cancelled.", say), or "still going".
        #[wasm_bindgen(js_name = takeResult)]
        pub fn take_result(&self) -> Result<JsValue, JsError> {
            match self.0.take() {
                Some(Ok(run)) => Ok(run_to_js(&run)),
                Some(Err(msg)) => Err(JsError::new(&msg)),
                None => Err(js_err(crate::error::LabError::WorkerFailed("the forest is still growing".into()))),
            }
        }
    }
}
