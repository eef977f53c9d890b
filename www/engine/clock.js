/**
 * The runtime's clock: `performance.timeOrigin + performance.now()`, in ms. Each Worker has
 * its own time origin; adding it makes readings from the coordinator and every process
 * comparable (the core's browser clock does the same, see src/bindings.rs).
 */
export const now = () => performance.timeOrigin + performance.now();
