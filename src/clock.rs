//! Time, abstracted: `std::time::Instant` panics on wasm32-unknown-unknown, so the browser build
//! supplies a clock backed by `performance` (see `bindings`), and native code uses [`NativeClock`].

use std::sync::OnceLock;
use std::time::Instant;

/// A monotonic clock in milliseconds. Readings from different threads must be comparable, which
/// is why the browser clock adds `performance.timeOrigin` (each Worker has its own origin).
pub trait Clock: Sync + Send {
    /// Milliseconds since some fixed point shared by every thread of the process.
    fn now_ms(&self) -> f64;
}

/// Native clock: milliseconds since the first reading in this process.
#[derive(Debug, Default, Clone, Copy)]
pub struct NativeClock;

impl Clock for NativeClock {
    fn now_ms(&self) -> f64 {
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        EPOCH.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}
