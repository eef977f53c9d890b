/**
 * The runtime's clock: `performance.timeOrigin + performance.now()`, in ms. Each Worker has
 * its own time origin; adding it makes readings from the coordinator and every process
 * comparable (the core's browser clock does the same, see src/bindings.rs).
 */
export const now = () => performance.timeOrigin + performance.now();

/** A promise that resolves in a fresh message task (after what is already queued for this realm). */
export const nextMessageTask = () =>
  new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });

/**
 * Wait `ms` on a timer. A timer set from a timer's callback is clamped to ≥ 4 ms after five levels
 * of nesting (HTML's timer rules), which would stretch the homework's 3 ms waits and a Python
 * program's short sleeps; setting each timer from a fresh message task keeps the nesting level at
 * zero (the timer is set in a microtask of that task).
 */
export const sleep = (ms) => nextMessageTask().then(() => new Promise((resolve) => setTimeout(resolve, ms)));
