// Makes the memory snapshot every python card restores instead of booting CPython
// (www/python/pyodide-version.js SNAPSHOT_URL): Pyodide booted in Node from the vendored files,
// PRELOAD imported, the memory written beside them. Run by scripts/vendor.mjs (~3 s).
//
// And, with the same interpreter, the lab's multiprocessing package compiled to bytecode
// (www/vendor/multiprocessing-bytecode.json): every interpreter would otherwise compile its 18
// files at its start (~0.1–0.2 s, on the first line's path). "Checked hash" pycs: Python reads one
// only if its source's hash still matches, so an edited file is compiled afresh, never stale.
//
// Without stack switching, always: a snapshot remembers whether its runtime could stack switch
// (JSPI), and one made with it breaks `run_sync` in a browser without it, one made with the old
// API breaks it in a browser with the new one. So the snapshot is the no-JSPI kind, and a page
// that blocks on JSPI (session.js) makes its own in the browser instead, as before.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PRELOAD, PYODIDE_URL, SNAPSHOT_URL } from "../www/python/pyodide-version.js";

for (const name of ["Suspending", "Suspender", "promising"]) delete WebAssembly[name];
const folder = fileURLToPath(PYODIDE_URL);
const { loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_URL).href);
const t0 = performance.now();
const pyodide = await loadPyodide({ indexURL: folder, _makeSnapshot: true });
pyodide.runPython(`import ${PRELOAD}`);
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(fileURLToPath(SNAPSHOT_URL), snapshot);
const name = fileURLToPath(SNAPSHOT_URL).slice(folder.length);
console.log(
  `pyodide-snapshot: ${name}, ${(snapshot.length / 2 ** 20).toFixed(1)} MiB in ${Math.round(performance.now() - t0)} ms`,
);

const sourceDir = fileURLToPath(new URL("../www/python/multiprocessing/", import.meta.url));
const built = "/tmp/lab-bytecode/multiprocessing";
pyodide.FS.mkdirTree(built);
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith(".py"))) {
  pyodide.FS.writeFile(`${built}/${file}`, readFileSync(`${sourceDir}/${file}`));
}
pyodide.runPython(
  `import compileall, py_compile; compileall.compile_dir(${JSON.stringify(built)}, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)`,
);
const bytecode = {};
for (const file of pyodide.FS.readdir(`${built}/__pycache__`)) {
  if (file.endsWith(".pyc")) {
    bytecode[`__pycache__/${file}`] = Buffer.from(pyodide.FS.readFile(`${built}/__pycache__/${file}`)).toString(
      "base64",
    );
  }
}
writeFileSync(
  fileURLToPath(new URL("../www/vendor/multiprocessing-bytecode.json", import.meta.url)),
  JSON.stringify(bytecode),
);
console.log(`pyodide-snapshot: www/vendor/multiprocessing-bytecode.json, ${Object.keys(bytecode).length} modules`);
