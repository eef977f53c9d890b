//! The tasks a worker runs: the guide's two (the naive perfect-number test and a sleep), the
//! same test in SIMD lanes (beyond the guide, labelled so), a fixed amount of CPU work (the
//! homework's busy student), and a fault (for the tests).
//!
//! The perfect-number test is deliberately the guide's naive one: sum every divisor `d` in
//! `1..n` with `n % d == 0` and compare with `n`. Its cost grows with `n`, which is exactly what
//! makes load balance a lesson, so it must stay naive (faster kernels would be separate,
//! separately labelled strategies, never a substitute).

use crate::clock::Clock;
use crate::control::Control;
use crate::error::LabError;
use std::time::Duration;

pub mod lanes;

/// The perfect numbers known to exist below any `N` this lab accepts (OEIS A000396).
pub const KNOWN_PERFECT: [u64; 5] = [6, 28, 496, 8_128, 33_550_336];

/// The guide's test, verbatim: is `n` the sum of its proper divisors?
///
/// ```
/// assert!(speedup_lab::workload::is_perfect(28));
/// assert!(!speedup_lab::workload::is_perfect(12));
/// ```
///
/// Never inlined, on purpose: V8 replaces a wasm function by its optimised tier only on its next
/// call (there is no on-stack replacement), so a loop that had this test inlined would run a
/// whole first run in the baseline tier. Called per number, it tiers up within the first run.
#[inline(never)]
#[allow(clippy::manual_is_multiple_of, reason = "the guide's test, written the way the guide writes it")]
pub fn is_perfect(n: u64) -> bool {
    // The same loop in 32-bit arithmetic whenever n fits (every N the lab accepts does): V8
    // compiles wasm's `i64.rem_u` to a full 64-bit division, ~1.7× slower than `i32.rem_u`,
    // while native LLVM narrows the division itself. Same algorithm, same divisions.
    match u32::try_from(n) {
        Ok(n) => {
            let mut sum = 0u64;
            for d in 1..n {
                if n % d == 0 {
                    sum += u64::from(d);
                }
            }
            sum == u64::from(n) && n > 0
        }
        Err(_) => {
            let mut sum = 0u64;
            for d in 1..n {
                if n % d == 0 {
                    sum += d;
                }
            }
            sum == n
        }
    }
}

/// The same naive test several divisors at a time in SIMD lanes — data parallelism, a lesson of
/// its own (lanes × threads), offered beside the guide's loop and never instead of it.
///
/// Every divisor `d` in `1..n` is still tried: `q = trunc(n / d)`, and `d` divides `n` exactly
/// when `q · d == n`. Four divisors per instruction in `f32x4` lanes while `n ≤ 2^24` (where
/// `f32` is exact, proved in [`lanes`]), two in `f64x2` lanes up to 2^53, the plain loop above.
#[inline(never)]
pub fn is_perfect_lanes(n: u64) -> bool {
    match n {
        0 | 1 => false,
        2..=lanes::F32_EXACT_MAX => lanes::divisor_sum_f32(n as u32) == n,
        _ if n < lanes::F64_EXACT_MAX => lanes::divisor_sum_f64(n) == n as f64,
        _ => is_perfect(n),
    }
}

/// Which lanes kernel [`is_perfect_lanes`] uses for `n`, for labels ("f32x4", "f64x2", "scalar").
pub fn lanes_kernel(n: u64) -> &'static str {
    match n {
        0..=lanes::F32_EXACT_MAX => "f32x4",
        _ if n < lanes::F64_EXACT_MAX => "f64x2",
        _ => "scalar",
    }
}

/// One unit of work handed to a worker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Task {
    /// Test one number for perfection; the output is the number if it is perfect.
    Perfect(u64),
    /// The same test with the lanes kernel ([`is_perfect_lanes`]).
    PerfectLanes(u64),
    /// Block the worker for this many milliseconds; the output is the task's 1-based index.
    Sleep { ms: f64, index: u64 },
    /// A fixed amount of CPU work ([`busy_work`]); the output is the 1-based index.
    Busy { iterations: u64, index: u64 },
    /// Panic on the worker. Not a lesson: it lets tests prove that a worker failing (a panic, a
    /// wasm trap) becomes an error message and that the engine recovers.
    Fault,
}

/// Numbers per task on the wire to a process ([`Task::to_wire`]).
pub const WIRE_LEN: usize = 3;

/// Longest single block while sleeping: the latency of a cancel during a sleep task.
const SLEEP_SLICE_MS: f64 = 20.0;

impl Task {
    /// Run the task on the current thread.
    ///
    /// Sleeping blocks the thread (`std::thread::sleep`, which is `memory.atomic.wait32` with a
    /// timeout on wasm threads), in slices, so a cancel is seen within [`SLEEP_SLICE_MS`]; it
    /// never busy-waits, because "waiting needs no core" is the lesson.
    ///
    /// # Errors
    /// [`LabError::Cancelled`] when the control was cancelled before or during the task.
    pub fn execute(&self, control: &Control, clock: &dyn Clock) -> Result<Option<u64>, LabError> {
        if control.is_cancelled() {
            return Err(LabError::Cancelled);
        }
        match *self {
            Task::Perfect(n) => Ok(is_perfect(n).then_some(n)),
            Task::PerfectLanes(n) => Ok(is_perfect_lanes(n).then_some(n)),
            Task::Busy { iterations, index } => {
                busy_work(iterations, index);
                Ok(Some(index))
            }
            Task::Fault => panic!("a deliberate fault (workload \"fault\"), to test recovery"),
            Task::Sleep { ms, index } => {
                let deadline = clock.now_ms() + ms;
                loop {
                    if control.is_cancelled() {
                        return Err(LabError::Cancelled);
                    }
                    let left = deadline - clock.now_ms();
                    if left <= 0.0 {
                        return Ok(Some(index));
                    }
                    std::thread::sleep(Duration::from_secs_f64(left.min(SLEEP_SLICE_MS) / 1000.0));
                }
            }
        }
    }

    /// Whether this is a perfect-number test (of either kernel): such tasks merge into spans.
    pub fn is_perfect_test(&self) -> bool {
        matches!(self, Task::Perfect(_) | Task::PerfectLanes(_))
    }

    /// The task as [`WIRE_LEN`] numbers, for a process of the processes engine (a Worker with
    /// its own wasm instance): its kind, then its fields. A process receives the tasks of the
    /// run's validated plan this way, never the spec, so it has nothing to validate. Every
    /// field of a validated task is a whole number far below 2^53 or a sleep's milliseconds,
    /// so the numbers carry it exactly.
    pub fn to_wire(&self) -> [f64; WIRE_LEN] {
        match *self {
            Task::Perfect(n) => [0.0, n as f64, 0.0],
            Task::PerfectLanes(n) => [1.0, n as f64, 0.0],
            Task::Sleep { ms, index } => [2.0, ms, index as f64],
            Task::Busy { iterations, index } => [3.0, iterations as f64, index as f64],
            Task::Fault => [4.0, 0.0, 0.0],
        }
    }

    /// The task [`Task::to_wire`] wrote, or `None` for numbers it cannot have written (a
    /// decoding check, not a validation: the ranges were checked once, when the plan was made).
    pub fn from_wire(w: &[f64]) -> Option<Task> {
        let whole = |x: f64| {
            (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < 9.007_199_254_740_992e15).then_some(x as u64)
        };
        let (kind, a, b) = match w {
            [kind, a, b] => (*kind, *a, *b),
            _ => return None,
        };
        match whole(kind)? {
            0 => whole(a).map(Task::Perfect),
            1 => whole(a).map(Task::PerfectLanes),
            2 if a.is_finite() && a >= 0.0 => whole(b).map(|index| Task::Sleep { ms: a, index }),
            3 => Some(Task::Busy { iterations: whole(a)?, index: whole(b)? }),
            4 => Some(Task::Fault),
            _ => None,
        }
    }

    /// A rough relative cost, used by the UI to predict load imbalance (perfect: n divisions).
    pub fn cost(&self) -> f64 {
        match *self {
            Task::Perfect(n) | Task::PerfectLanes(n) => n as f64,
            Task::Sleep { ms, .. } => ms,
            Task::Busy { iterations, .. } => iterations as f64,
            Task::Fault => 0.0,
        }
    }
}

/// A fixed amount of CPU work standing for one multiplication done by hand: `iterations` rounds
/// of a 64-bit multiply–xorshift mix (the mixer of SplitMix64, which no compiler can fold into
/// a closed form). The same count costs the same on every thread, so with more busy students
/// than cores the tasks take turns on the cores and the total stops shrinking.
#[inline(never)]
pub fn busy_work(iterations: u64, seed: u64) -> u64 {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for _ in 0..iterations {
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
    }
    std::hint::black_box(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::NativeClock;

    #[test]
    fn finds_the_known_perfect_numbers_below_10_000() {
        let found: Vec<u64> = (1..10_000).filter(|&n| is_perfect(n)).collect();
        assert_eq!(found, vec![6, 28, 496, 8_128]);
    }

    #[test]
    fn the_lanes_kernel_agrees_with_the_guides_loop() {
        for n in 0..6_000 {
            assert_eq!(is_perfect_lanes(n), is_perfect(n), "n = {n}");
        }
        assert!(is_perfect_lanes(8_128));
        // Past the f32 edge the f64 kernel takes over, and still finds nothing false.
        assert_eq!(lanes_kernel(1 << 24), "f32x4");
        assert_eq!(lanes_kernel((1 << 24) + 1), "f64x2");
        assert!(!is_perfect_lanes((1 << 24) + 1));
    }

    #[test]
    fn tasks_cross_the_wire_unchanged() {
        let tasks = [
            Task::Perfect(199_999),
            Task::PerfectLanes(8_128),
            Task::Sleep { ms: 2.5, index: 100 },
            Task::Busy { iterations: 200_000_000, index: 1_200 },
            Task::Fault,
        ];
        for t in tasks {
            assert_eq!(Task::from_wire(&t.to_wire()), Some(t));
        }
        for bad in
            [&[9.0, 0.0, 0.0][..], &[0.0, -1.0, 0.0], &[0.0, 2.5, 0.0], &[2.0, f64::NAN, 1.0], &[0.5, 1.0, 0.0], &[0.0]]
        {
            assert_eq!(Task::from_wire(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn zero_and_one_are_not_perfect() {
        assert!(!is_perfect(0));
        assert!(!is_perfect(1));
    }

    #[test]
    fn sleep_blocks_about_as_long_as_asked() {
        let clock = NativeClock;
        let t0 = clock.now_ms();
        let out = Task::Sleep { ms: 30.0, index: 3 }.execute(&Control::new(), &clock).unwrap();
        let took = clock.now_ms() - t0;
        assert_eq!(out, Some(3));
        assert!((30.0..80.0).contains(&took), "slept {took} ms");
    }

    #[test]
    fn a_cancelled_sleep_stops_early() {
        let control = Control::new();
        control.cancel();
        let r = Task::Sleep { ms: 10_000.0, index: 1 }.execute(&control, &NativeClock);
        assert_eq!(r, Err(LabError::Cancelled));
    }
}
