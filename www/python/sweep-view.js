/**
 * The python card's sweep on screen: the button that asks for one (after a run whose program
 * started a pool), and a sweep's result — the speedup chart with the ideal line, the whiskers and
 * the Amdahl fit when it means something, its sentence, and a table with Karp–Flatt per point.
 */
import { speedupChart } from "../ui/charts.js";
import { h } from "../ui/dom.js";
import { ms, times } from "../ui/format.js";
import { REPEATS, sweepResult } from "./sweep.js";

/** After an ordinary run: "Sweep 1–K processes" (one click: the card runs the sweep). */
export function sweepButton(out, sizes, request) {
  const k = sizes.at(-1);
  out.charts.append(
    h(
      "p",
      { class: "py-sweep" },
      h("button", {
        type: "button",
        class: "py-sweep-button",
        text: `Sweep: rerun with 1–${k} processes`,
        onclick: () => request(sizes),
      }),
      ` ${REPEATS} runs each (${REPEATS * sizes.length} in all), every Pool and executor set to that size: the speedup your own program gets from more processes here.`,
    ),
  );
}

/** A sweep's result in `out`: the chart first (the card's answer is sweep.js's sentence), then the table. */
export function sweepView(out, sweep) {
  const result = sweepResult(sweep.runs, sweep.cores);
  const { points, cores, fit, why } = result;
  speedupChart(out.charts, {
    points,
    cores,
    fit,
    title: "Your program's speedup against its pool's size (every Pool and executor set to k; cpu_count() = k)",
    range: (p) => [p.min, p.max],
  });
  const label = "The sweep, point by point";
  out.table(
    ["processes", "median time", "min–max", "speedup (median)", "speedup min–max", "Karp–Flatt e"],
    points.map((p) => [
      String(p.k),
      ms(p.ms),
      `${ms(Math.min(...p.runs))}–${ms(Math.max(...p.runs))}`,
      times(p.speedup),
      `${times(p.min)}–${times(p.max)}`,
      p.e === null ? "–" : `${(p.e * 100).toFixed(1)} %`,
    ]),
    `${REPEATS} runs per size; a run's time is the main program's, from its start to its end`,
    label,
  );
  out.note(
    fit
      ? `Amdahl's law S(k) = 1 / (s + (1 − s)/k), fitted on 1–${cores} processes: s = ${(fit.serial * 100).toFixed(1)} %.`
      : `No Amdahl fit: ${why}.`,
    label,
  );
  out.note(
    "Karp–Flatt's e = (1/S − 1/p) / (1 − 1/p) is the serial fraction each point implies. If it stays level as the pool grows, a serial part of the program limits it (Amdahl); if it grows, the pool's own costs do — starting processes and moving data to them.",
    label,
  );
}
