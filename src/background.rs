//! A run going on in the rayon pool while the JS coordinator keeps its own event loop free.
//!
//! Both threaded entry points (`startRun` for the lessons, `startForest` for the random forest)
//! start work with [`Background::spawn`] and hand JS a handle that it polls (`done`, `finished`),
//! cancels, and finally takes the outcome from. The shared part lives here once; each handle
//! only says what its outcome becomes in JS.

use crate::control::Control;
use std::sync::{Arc, Mutex};

/// The shared state of one background run: its cancel flag and progress counter, and the slot
/// its outcome lands in (`None` while it is going).
pub struct Background<T> {
    control: Arc<Control>,
    outcome: Arc<Mutex<Option<Result<T, String>>>>,
}

impl<T: Send + 'static> Background<T> {
    /// Start `work` on the pool and return at once. Plain data crosses threads; JS objects are
    /// built later, from [`Background::take`], on the caller's thread.
    pub fn spawn(work: impl FnOnce(&Control) -> Result<T, String> + Send + 'static) -> Self {
        let control = Arc::new(Control::new());
        let outcome = Arc::new(Mutex::new(None));
        let (c, o) = (Arc::clone(&control), Arc::clone(&outcome));
        rayon::spawn(move || {
            let r = work(&c);
            if let Ok(mut slot) = o.lock() {
                *slot = Some(r);
            }
        });
        Background { control, outcome }
    }
}

impl<T> Background<T> {
    /// Tasks (or trees) finished so far.
    pub fn done(&self) -> u32 {
        self.control.done()
    }

    /// Whether the run has ended (finished, failed or cancelled); a poisoned slot counts as ended.
    pub fn finished(&self) -> bool {
        self.outcome.lock().map(|o| o.is_some()).unwrap_or(true)
    }

    /// Ask the run to stop; work checks the flag between tasks and during sleeps.
    pub fn cancel(&self) {
        self.control.cancel();
    }

    /// The outcome, once [`Background::finished`]; `None` while the run is still going.
    pub fn take(&self) -> Option<Result<T, String>> {
        self.outcome.lock().ok().and_then(|mut o| o.take())
    }
}

/// The polling half of a wasm handle around a [`Background`] (`done`, `finished`, `cancel`),
/// written once for `RunHandle` and `ForestHandle`; each handle adds its own `take…` method.
/// The handle must be a tuple struct whose field 0 is the `Background`.
#[cfg(all(target_arch = "wasm32", feature = "threads"))]
#[macro_export]
macro_rules! background_handle {
    ($handle:ident) => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $handle {
            /// Tasks (or trees) finished so far.
            pub fn done(&self) -> u32 {
                self.0.done()
            }

            /// Whether the run has ended (finished, failed or cancelled).
            pub fn finished(&self) -> bool {
                self.0.finished()
            }

            /// Ask the run to stop; work checks the flag between tasks (trees) and during sleeps.
            pub fn cancel(&self) {
                self.0.cancel();
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_lands_once_and_cancel_reaches_the_work() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let bg = Background::spawn(move |c: &Control| {
            // Wait until the test has cancelled, then report what the work saw.
            rx.recv().ok();
            Ok(c.is_cancelled())
        });
        bg.cancel();
        tx.send(()).unwrap();
        while !bg.finished() {
            std::thread::yield_now();
        }
        assert_eq!(bg.take(), Some(Ok(true)));
        assert_eq!(bg.take(), None, "taken once");
    }
}
