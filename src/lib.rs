//! # Speedup Lab — the core
//!
//! The classic lessons of parallel programming (sequential loop against a pool of workers, spawn
//! cost, FIFO scheduling, load balance, speedup against cores) as plain Rust that runs natively
//! and, through the thin [`bindings`] module, in a browser on WebAssembly threads.
//!
//! A tour, in the order data flows:
//! - [`limits`] is the one table of the reader's parameters and their limits, which the page
//!   reads too (its inputs' min/max and messages come from it).
//! - [`spec`] turns what a reader typed (an [`input::Input`]: loosely typed, from JSON or JS) into a validated [`spec::Plan`], or a
//!   [`LabError`] that says what to change. Nothing past this point panics on bad input.
//! - [`workload`] holds the tasks a worker runs ([`workload::Task`]: the guide's perfect-number
//!   test and sleep, the lanes kernel, the homework's busy work, a test fault).
//! - [`strategy`] names the four ways to run them (`sequential`, `spawn-per-task`, `pool-map`,
//!   `work-stealing`); [`run`] executes a plan with one of them.
//! - [`trace`] is what every run returns: who ran which task when, the total and the results.
//! - [`schedule`] predicts a FIFO pool's timeline on paper, so tests (and the UI's "what to
//!   expect") can compare the real run against the theory.
//! - [`forest`] is the `random-forest` lesson: smartcore trees on the digits dataset, seeded
//!   per tree so the forest is the same for every n_jobs, natively and in wasm.
//! - [`homework`] and [`writes`] are the guide's data-science stories: 1200 multiplications
//!   for waiting or busy students, and a dataset written to files by parallel writers.
//! - [`control`] carries the cooperative cancel flag and the progress counter a run shares with
//!   whoever watches it; [`clock`] abstracts time (wasm32 has no `Instant`).

pub mod background;
pub mod clock;
pub mod control;
pub mod error;
// The random-forest lesson, only in builds with the `forest` feature (see Cargo.toml).
#[cfg(feature = "forest")]
pub mod forest;
pub mod homework;
pub mod input;
pub mod limits;
pub mod run;
pub mod schedule;
pub mod spec;
pub mod strategy;
pub mod trace;
pub mod workload;
pub mod writes;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
// Only in the plain build, which the writer Workers load: the threaded .wasm stays free of the
// checksum code it would never use.
#[cfg(all(target_arch = "wasm32", not(feature = "threads")))]
mod writes_bindings;

pub use error::LabError;
pub use strategy::Strategy;
pub use trace::Trace;
