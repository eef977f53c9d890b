//! The four strategies, named the same way everywhere (Rust, JS, UI labels, tests).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the tasks of a run are spread over workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// A plain loop on one worker: the baseline every other strategy is checked against.
    Sequential,
    /// A fresh worker per task, spawn cost included (Python's `Process` lesson).
    SpawnPerTask,
    /// `k` long-lived workers take tasks, or chunks of `chunksize` tasks, from a FIFO queue
    /// (Python's `Pool.map` lesson).
    PoolMap,
    /// rayon's `par_iter`: what a Rust programmer would write.
    WorkStealing,
}

impl Strategy {
    /// Every strategy, in the order the lessons introduce them.
    pub const ALL: [Strategy; 4] =
        [Strategy::Sequential, Strategy::SpawnPerTask, Strategy::PoolMap, Strategy::WorkStealing];

    /// The kebab-case name used in JSON, URLs, attributes and labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Sequential => "sequential",
            Strategy::SpawnPerTask => "spawn-per-task",
            Strategy::PoolMap => "pool-map",
            Strategy::WorkStealing => "work-stealing",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Strategy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Strategy::ALL.into_iter().find(|st| st.as_str() == s).ok_or_else(|| {
            format!("Unknown strategy \"{s}\": use one of sequential, spawn-per-task, pool-map, work-stealing.")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(s.as_str().parse::<Strategy>().unwrap(), s);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        assert!("pool".parse::<Strategy>().is_err());
    }
}
