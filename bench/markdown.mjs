#!/usr/bin/env node
/**
 * Print a result's tables as Markdown, for BENCHMARKS.md: `node bench/markdown.mjs [file.json]`
 * (default: the newest non-quick result in bench/results). The tables come from tables.mjs, the
 * same source as the terminal and the HTML report, so BENCHMARKS.md cannot drift from its JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  beforeRunTable,
  limitTable,
  markdownTable,
  overheadTable,
  perfectTable,
  ratioTable,
  targetTable,
} from "./tables.mjs";

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), "results");

function newest() {
  const files = readdirSync(RESULTS)
    .filter((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.json$/.test(f))
    .sort();
  if (!files.length) throw new Error("no result in bench/results yet: run `npm run bench` first.");
  return join(RESULTS, files.at(-1));
}

const file = process.argv[2] ?? newest();
const result = JSON.parse(readFileSync(file, "utf8"));
const m = result.machine;
const sections = [
  `Source: \`bench/results/${file.split(/[\\/]/).at(-1)}\` — ${m.cores} cores (${m.cpu}), ${m.chromium}, ${m.rustc}, Node ${m.node}, ${m.python ?? "no python3"}; perfect numbers below ${result.n.toLocaleString("en-US").replace(/,/g, " ")}, median of ${result.reps} runs (CPython: ${result.pythonReps}); load average before the run ${m.loadAverage.before.map((x) => x.toFixed(2)).join(" / ")}.`,
  markdownTable(perfectTable(result)),
  markdownTable(ratioTable(result)),
  markdownTable(limitTable(result)),
  markdownTable(overheadTable(result)),
  markdownTable(beforeRunTable(result)),
  markdownTable(targetTable(result)),
];
console.log(sections.join("\n\n"));
