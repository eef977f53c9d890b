// Builds www/vendor/: the runtime libraries as plain ES modules the browser loads directly.
// - chart.js: bundled and tree-shaken by esbuild from www/vendor-src/chart.mjs (Chart.js imports
//   `@kurkle/color` by bare name, which a browser cannot resolve without a bundler).
// - codemirror.js: CodeMirror 6, the python card's editor (www/python/code-editor.js), bundled
//   and tree-shaken from www/vendor-src/codemirror.mjs (its packages import each other by bare
//   name); fetched only when a reader opens the editor or runs a program. Its size is printed here
//   and by the bench (bench/overheads.mjs).
// - comlink: already a dependency-free ES module; copied as is.
// - coi-serviceworker (the service-worker fallback, configured by www/isolate.js): copied unchanged
//   to the site's top, beside index.html, behind the lab's fetch filter (www/vendor-src/coi-scope.js,
//   with the site's paths from scripts/lib/site.mjs), so that it touches only the lab's own files.
//   It registers its own URL as the service worker, and a worker controls only the pages at or
//   below its folder; a host that cannot send isolation headers cannot send
//   `Service-Worker-Allowed` either, so www/vendor/ would not do.
// - pyodide (CPython compiled to wasm, for the python lesson): its core files only, copied as is
//   to www/vendor/pyodide/ and fetched by a Worker only when a Python card runs (www/python/),
//   with the memory snapshot its interpreters restore (scripts/pyodide-snapshot.mjs).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { PYODIDE_URL, PYODIDE_VERSION } from "../www/python/pyodide-version.js";
import { PYODIDE_FILES, SITE_FILES, SITE_FOLDER } from "./lib/site.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "www", "vendor");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "www", "vendor-src", "chart.mjs")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outfile: join(out, "chart.js"),
  legalComments: "eof",
  logLevel: "warning",
});
await build({
  entryPoints: [join(root, "www", "vendor-src", "codemirror.mjs")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outfile: join(out, "codemirror.js"),
  legalComments: "eof",
  logLevel: "warning",
});
const editor = readFileSync(join(out, "codemirror.js"));
const editorSize = `${(editor.length / 1000).toFixed(1)} kB, ${(gzipSync(editor, { level: 9 }).length / 1000).toFixed(1)} kB gzipped`;
copyFileSync(join(root, "node_modules", "comlink", "dist", "esm", "comlink.min.mjs"), join(out, "comlink.mjs"));
// Into a folder named after its version, served as immutable (www/python/pyodide-version.js);
// the folder is made afresh, so no older version's files stay behind.
const installed = JSON.parse(readFileSync(join(root, "node_modules", "pyodide", "package.json"), "utf8")).version;
if (installed !== PYODIDE_VERSION) {
  console.error(
    `vendor: node_modules has pyodide ${installed}, www/python/pyodide-version.js says ${PYODIDE_VERSION}: make them agree (package.json pins it).`,
  );
  process.exit(1);
}
if (!PYODIDE_URL.href.endsWith(`/vendor/pyodide/${PYODIDE_VERSION}/`)) {
  console.error(
    `vendor: www/python/pyodide-version.js: PYODIDE_URL (${PYODIDE_URL.href}) does not name version ${PYODIDE_VERSION}.`,
  );
  process.exit(1);
}
rmSync(join(out, "pyodide"), { recursive: true, force: true });
mkdirSync(join(out, "pyodide", PYODIDE_VERSION), { recursive: true });
for (const f of PYODIDE_FILES) {
  copyFileSync(join(root, "node_modules", "pyodide", f), join(out, "pyodide", PYODIDE_VERSION, f));
}
// The memory snapshot every python card restores (www/python/pyodide-version.js), in its own
// process: it hides stack switching from its WebAssembly object.
execFileSync(process.execPath, [join(root, "scripts", "pyodide-snapshot.mjs")], { stdio: "inherit" });
const coi = "coi-serviceworker.min.js";
// The lab's files, as paths below the worker's folder ("" is the folder's own URL, index.html).
// The lessons' own pages (link cards) are the lab's too: without them a header-less host reloaded
// them for nothing and never isolated them, and `?service-worker=remove` there removed nothing.
const labPaths = ["", ...SITE_FILES.map((f) => f.slice(1)), SITE_FOLDER.slice(1), "lessons/"];
// Minified: the page loads this file too (as a classic script), so the filter's comments stay in
// its source. `LAB_PATHS` is a free name, which minifying keeps.
const source = readFileSync(join(root, "www", "vendor-src", "coi-scope.js"), "utf8");
const filter = (await transform(source, { minify: true, target: "es2022" })).code.trimEnd();
const placeholder = "(LAB_PATHS);";
if (!filter.endsWith(placeholder)) throw new Error(`www/vendor-src/coi-scope.js must end with ${placeholder}`);
const library = readFileSync(join(root, "node_modules", "coi-serviceworker", coi), "utf8");
// The python card's service-worker channel goes first: it answers its own requests and stops them.
const channelSource = readFileSync(join(root, "www", "vendor-src", "python-channel.js"), "utf8");
const channel = (await transform(channelSource, { minify: true, target: "es2022" })).code.trimEnd();
const banner =
  "/* Speedup Lab's python channel (www/vendor-src/python-channel.js) and fetch filter (www/vendor-src/coi-scope.js), then coi-serviceworker unchanged */\n";
writeFileSync(
  join(root, coi),
  `${banner}${channel}\n${filter.slice(0, -placeholder.length)}(${JSON.stringify(labPaths)});\n${library}`,
);
console.log(
  `vendor: www/vendor/chart.js, www/vendor/codemirror.js (${editorSize}), www/vendor/comlink.mjs, www/vendor/pyodide/${PYODIDE_VERSION}/, ${coi}`,
);
