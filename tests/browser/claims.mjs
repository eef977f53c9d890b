/**
 * The lessons' timed claims as the tests hold them: each bound once, here, with why it is that
 * wide. What a schedule proves is asserted from a trace's structure (how many workers, who took
 * which task after whom); a bound on the total only rules out a wrong kind of run, and stays far
 * from the figure a loaded 2-core machine shows (timers fire late: 16.1 units was seen for 15).
 */

/**
 * `pool-map-sleep`: a pool of 5 mapping sleep over 1..10 units, first in, first out, cannot end
 * before 15 units (the schedule on paper, src/schedule.rs); two workers would take 30, one 55.
 * Below 25 is far from both.
 */
export const POOL_MAP_SLEEP_UNITS = { floor: 15, ceiling: 25 };

/** `many-sleepers`: ten sleepers at once take 2 units on any number of cores; one after another
 * would take 20. Below 10 is far from that. */
export const MANY_SLEEPERS_UNITS = { floor: 2, ceiling: 10 };

/** Is `units` within `bound` (floor included, ceiling not)? */
export const within = (units, { floor, ceiling }) => units >= floor && units < ceiling;
