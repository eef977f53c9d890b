/**
 * When a parallel run gains far less than its cores allow, the likeliest cause on a reader's
 * machine is not the lesson but other work (another tab, a build, a video call) holding the
 * cores. Say so next to the figures, so a disappointing run is not read as the lesson's result.
 */
import { times } from "../ui/format.js";

/**
 * A note when `speedup` with `k` workers on at least `k` cores (k ≥ 2) is below half of the ideal's gain
 * (1 + (k − 1)/2: 1.5× on 2 cores), else null. Generous on purpose: chunking and the tail cost a
 * pool up to ~20 % on 2 cores, never half its gain.
 */
export function busyMachineNote(speedup, k) {
  if (k < 2 || speedup >= 1 + (k - 1) / 2) return null;
  return `Only ${times(speedup)} with ${k} workers on ${k} cores: far below what the lesson gives (close to ${k}×). Other programs were probably using the cores during this run (the lab cannot see them); close them and run again to see the lesson itself.`;
}
