/**
 * When a parallel run gains far less than its cores allow, the likeliest cause on a reader's
 * machine is not the lesson but other work (another tab, a build, a video call) holding the
 * cores. Say so next to the figures, so a disappointing run is not read as the lesson's result.
 */
import { ms, times } from "../ui/format.js";

/** Below this, one worker's run is short enough that starting k workers and passing them
 * messages is a visible share of it (a process costs milliseconds to start): then a poor
 * speedup says "too little work", not "busy machine". */
const SHORT_RUN_MS = 100;

/**
 * A note when `speedup` with `k` workers on at least `k` cores (k ≥ 2) is below half of the ideal's gain
 * (1 + (k − 1)/2: 1.5× on 2 cores), else null. Generous on purpose: chunking and the tail cost a
 * pool up to ~20 % on 2 cores, never half its gain. `seqMs` (the one-worker run) tells a run too
 * short to gain from one the machine's other work slowed down.
 */
export function busyMachineNote(speedup, k, seqMs) {
  if (k < 2 || speedup >= 1 + (k - 1) / 2) return null;
  if (seqMs < SHORT_RUN_MS) {
    return `Only ${times(speedup)} with ${k} workers: this run is short (${ms(seqMs)} on one worker), so handing the work to ${k} workers and collecting it costs a visible share of it. A larger N shows the lesson.`;
  }
  return `Only ${times(speedup)} with ${k} workers on ${k} cores: far below what the lesson gives (close to ${k}×). Other programs were probably using the cores during this run (the lab cannot see them); close them and run again to see the lesson itself.`;
}
