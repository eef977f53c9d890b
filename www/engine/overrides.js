/**
 * The lab's overrides, for tests (and a curious reader, from the console): one object, every hook
 * documented here, read where it applies. A page sets them before the lab's modules start what
 * they govern, on `globalThis.speedupLab`:
 *
 *   bootDeadlineMs        an engine's boot deadline (engine/boot-deadline.js; 20 s)
 *   spawnDeadlineMs       a process's spawn deadline (engine/bridge.js; told to the coordinators)
 *   pythonBlocking        a lower rung of the python card's blocking ladder ("jspi",
 *                         "one-at-a-time": python/blocking.js); a rung the page lacks is never used
 *   pythonBootDeadlineMs  a python interpreter's boot deadline (python/interpreter-boot.js; 120 s)
 *   pythonMemoryBudgetMb  the python card's memory budget (python/memory.js; from deviceMemory)
 *
 * or as `data-speedup-lab-<name in kebab case>` on `<html>` (`data-speedup-lab-python-boot-deadline-ms`):
 * what a WebDriver script can set in Firefox, whose scripts' globals the page does not see.
 * Nothing else in the runtime reads a global of its own for a test.
 */

/** The override `name`, or undefined: the object's, else `<html>`'s data attribute. */
export function override(name, scope = globalThis) {
  const value = scope.speedupLab?.[name];
  if (value !== undefined) return value;
  return scope.document?.documentElement.dataset[`speedupLab${name[0].toUpperCase()}${name.slice(1)}`];
}
