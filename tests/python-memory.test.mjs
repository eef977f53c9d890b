// The python card's memory budget (www/python/memory.js): what the device says becomes a run's
// budget and an interpreter's, and a budget always leaves an interpreter room to boot.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesText, GiB, MiB, memoryBudget } from "../www/python/memory.js";

test("half of the device's memory, at most 4 GB; an interpreter gets half of the run's", () => {
  assert.deepEqual(
    [4, 8, 16, 32].map((gb) => memoryBudget({ deviceMemoryGB: gb }).totalBytes / GiB),
    [2, 4, 4, 4],
  );
  assert.equal(memoryBudget({ deviceMemoryGB: 8 }).perInterpreterBytes, 2 * GiB);
  assert.match(memoryBudget({ deviceMemoryGB: 8 }).why, /half of the 8 GB this browser reports/);
});

test("a browser that does not say (Firefox, Safari) gets 2 GB; a tiny device or a test, never under the floor", () => {
  const unknown = memoryBudget({});
  assert.equal(unknown.totalBytes, 2 * GiB);
  assert.match(unknown.why, /does not say/);
  assert.equal(memoryBudget({ deviceMemoryGB: 0.25 }).totalBytes, 512 * MiB);
  assert.equal(memoryBudget({ overrideMB: 1 }).perInterpreterBytes, 256 * MiB);
  assert.equal(memoryBudget({ overrideMB: 1024, deviceMemoryGB: 8 }).totalBytes, GiB, "a test's figure wins");
});

test("bytes as a reader reads them", () => {
  assert.equal(bytesText(512 * MiB), "512 MB");
  assert.equal(bytesText(4 * GiB), "4 GB");
  assert.equal(bytesText(1.5 * GiB), "1.5 GB");
});
