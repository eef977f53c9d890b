//! A FIFO pool on paper: given task durations, `k` workers and a chunk size, when does each task
//! start and end? This is the theory the `pool-map-sleep` lesson checks its real run against
//! (a pool of 5 over 1..10 units ends at 15 units), and what the UI shows as "what to expect".

use serde::Serialize;

/// One task's predicted placement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Slot {
    /// 1-based task index.
    pub task: usize,
    pub worker: usize,
    pub start: f64,
    pub end: f64,
}

/// Predict a FIFO pool: chunks leave the queue in order, each to the worker that becomes free
/// first (the lowest-numbered one on a tie, as all start free at 0).
pub fn fifo(durations: &[f64], workers: usize, chunksize: usize) -> Vec<Slot> {
    let workers = workers.max(1);
    let chunksize = chunksize.max(1);
    let mut free_at = vec![0.0f64; workers];
    let mut slots = Vec::with_capacity(durations.len());
    for (c, chunk) in durations.chunks(chunksize).enumerate() {
        let (w, _) = free_at
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(&b.0)))
            // `workers >= 1`, so there is always a minimum.
            .expect("at least one worker");
        let mut t = free_at[w];
        for (i, d) in chunk.iter().enumerate() {
            slots.push(Slot { task: c * chunksize + i + 1, worker: w, start: t, end: t + d });
            t += d;
        }
        free_at[w] = t;
    }
    slots
}

/// The predicted total: when the last task ends.
pub fn makespan(slots: &[Slot]) -> f64 {
    slots.iter().map(|s| s.end).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_pool_of_5_over_1_to_10_takes_15_units() {
        let d: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = fifo(&d, 5, 1);
        assert_eq!(makespan(&s), 15.0);
        let starts: Vec<f64> = s.iter().map(|x| x.start).collect();
        assert_eq!(starts, vec![0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s[9].end, 15.0);
        // task 6 goes to the worker that ran task 1, the first to be free
        assert_eq!(s[5].worker, s[0].worker);
    }

    #[test]
    fn ten_sleepers_on_ten_workers_take_one_length() {
        assert_eq!(makespan(&fifo(&[2.0; 10], 10, 1)), 2.0);
    }

    #[test]
    fn one_worker_is_the_sum() {
        assert_eq!(makespan(&fifo(&[1.0, 2.0, 3.0], 1, 1)), 6.0);
    }

    #[test]
    fn chunks_stay_together() {
        let s = fifo(&[1.0; 6], 2, 3);
        assert!(s[..3].iter().all(|x| x.worker == 0));
        assert!(s[3..].iter().all(|x| x.worker == 1));
        assert_eq!(makespan(&s), 3.0);
    }
}
