/**
 * Chart.js, loaded when a card first has a result to draw, not with the page: it is the
 * largest file a card needs (about 62 kB gzipped, more than everything else a page of cards
 * loads before its first Run together), and a reader who never presses Run never sees a chart.
 * The card starts loading it with the run (`loadChartJs`), so it is there when the result is.
 */
import { onceUntilRejected } from "../engine/once.js";

let Chart = null;

/** Load Chart.js once (a failed load is tried again next time); resolves with its `Chart`. */
export const loadChartJs = onceUntilRejected(() =>
  import("../vendor/chart.js").then((m) => {
    Chart = m.Chart;
    return Chart;
  }),
);

/** Chart.js's `Chart`, once `loadChartJs` has resolved (the card awaits it before drawing). */
export function chartClass() {
  if (!Chart) throw new Error("Chart.js is not loaded yet: the card loads it before drawing a result.");
  return Chart;
}

/** The chart drawn on `canvas`, if Chart.js is loaded and there is one. */
export function chartOn(canvas) {
  return Chart?.getChart(canvas);
}
