/**
 * The python card's "Where the time went": one stacked bar per process (time-spent.js's parts,
 * measured) and one plain sentence with this run's numbers, in a disclosure after the timeline.
 */
import { stackedBars } from "../ui/charts.js";
import { PARTS, timeSpent } from "./time-spent.js";

const LOOK = {
  "start-up": { label: "starting Python", color: "#9ca3af" },
  waiting: { label: "waiting for work", color: "#e5e7eb" },
  receiving: { label: "receiving its arguments", color: "#f59e0b" },
  working: { label: "working", color: "#3b82c4" },
  sending: { label: "sending results back", color: "#10b981" },
  idle: { label: "idle at the end", color: "#f3d4d4" },
};
const s = (x) => `${x.toFixed(1)} s`;
const share = (x, of) => `${Math.round((100 * x) / of)} %`;

/**
 * The sentence, over the processes the program started (the main program's own bar counts its
 * waits for them as running): how much of their time went into starting Python, and into the work.
 */
export function timeSpentSentence({ processes }) {
  const kids = processes.filter((p) => p.kind !== "main");
  if (kids.length === 0) return "The program started no process: all its time is the main program's own.";
  const total = (k) => kids.reduce((sum, p) => sum + p.parts[k], 0);
  const wall = kids.reduce((sum, p) => sum + p.wall, 0);
  const n = kids.length;
  return `The ${n === 1 ? "process the program started lived" : `${n} processes the program started lived`} ${s(wall)} in all: ${s(total("start-up"))} (${share(total("start-up"), wall)}) went into starting Python, ${s(total("working"))} (${share(total("working"), wall)}) into the work itself, ${s(total("receiving") + total("sending"))} into moving arguments and results, and ${s(total("waiting") + total("idle"))} into waiting for work or for the others to finish.`;
}

/** Draw it in `out` (the card's result view) for `python`, a run's summary. */
export function timeSpentView(out, python) {
  const spent = timeSpent(python);
  if (spent.wall <= 0) return;
  const label = "Where the time went, process by process";
  const box = out.more(label);
  stackedBars(box, {
    title: "Each process's life, from its start to its end",
    rows: spent.processes.map((p) => ({ label: p.name, values: p.parts })),
    parts: PARTS.map((key) => ({ key, ...LOOK[key] })),
  });
  out.note(timeSpentSentence(spent), label);
}
