//! The `random-forest` lesson: "these trees can be built in parallel … n_jobs".
//!
//! A random forest on the handwritten digits (`www/data/digits.bin`, fetched by the page only
//! when the card runs), grown with n_jobs = 1..k workers. The lesson's promise is that the
//! forest — and so every prediction and the accuracy — is bit for bit the same whatever n_jobs
//! is, natively and in wasm alike. How that is kept:
//! - [`data`]: the dataset file and a fixed, seeded 75/25 split;
//! - [`rng`]: SplitMix64, the same on 32- and 64-bit targets, for the split and per-tree seeds;
//! - [`model`]: one tree = a one-tree smartcore forest seeded from (seed, tree index); trees
//!   combined by majority vote; a fingerprint of everything the forest predicted;
//! - [`run`]: exactly n_jobs worker loops in a rayon scope pulling tree indices from one counter
//!   (the threads engine and native code). The processes engine grows the same trees, one
//!   [`model::grow_tree`] per message, in separate wasm instances (`www/forest/`), and votes
//!   with the same [`model::verdict`].
//! - [`settings`]: limits and messages.

pub mod data;
pub mod model;
pub mod rng;
pub mod run;
pub mod settings;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use data::Dataset;
pub use model::{grow_tree, verdict, Prepared, Verdict};
pub use run::{fit_forest, ForestRun, TreeSpan};
pub use settings::ForestSettings;
