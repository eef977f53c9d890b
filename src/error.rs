//! Typed errors. Every message tells the reader what to do next, because it ends up verbatim in
//! a card or a `speedup-lab:error` event.

use std::fmt;

/// Everything that can go wrong between a reader's input and a finished trace.
#[derive(Debug, Clone, PartialEq)]
pub enum LabError {
    /// The run specification could not be read at all (not JSON, wrong shape).
    BadSpec(String),
    /// A field is present but out of range; `field` names it as the reader knows it.
    OutOfRange { field: &'static str, message: String },
    /// The run was cancelled through its [`crate::control::Control`].
    Cancelled,
    /// The strategy exists but this engine or build cannot run it.
    Unsupported(String),
    /// A worker died (a panic or a trap) before the run could finish.
    WorkerFailed(String),
}

impl fmt::Display for LabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabError::BadSpec(m) => write!(f, "Could not read the run settings: {m}"),
            LabError::OutOfRange { message, .. } => f.write_str(message),
            LabError::Cancelled => f.write_str("Cancelled."),
            LabError::Unsupported(m) => f.write_str(m),
            LabError::WorkerFailed(m) => write!(f, "A worker failed ({m}); run again to start fresh workers."),
        }
    }
}

impl std::error::Error for LabError {}
