// Builds www/vendor/: the two runtime libraries as plain ES modules the browser loads directly.
// - chart.js: bundled and tree-shaken by esbuild from www/vendor-src/chart.mjs (Chart.js imports
//   `@kurkle/color` by bare name, which a browser cannot resolve without a bundler).
// - comlink: already a dependency-free ES module; copied as is.
// - coi-serviceworker (the service-worker fallback, configured by www/isolate.js): copied as is to
//   the site's top, beside index.html. It registers its own URL as the service worker, and a worker
//   controls only the pages at or below its folder; a host that cannot send isolation headers
//   cannot send `Service-Worker-Allowed` either, so www/vendor/ would not do.
// - pyodide (CPython compiled to wasm, for the python lesson): its core files only, copied as is
//   to www/vendor/pyodide/ and fetched by a Worker only when a Python card runs (www/python/).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { PYODIDE_FILES } from "./lib/site.mjs";

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
copyFileSync(join(root, "node_modules", "comlink", "dist", "esm", "comlink.min.mjs"), join(out, "comlink.mjs"));
mkdirSync(join(out, "pyodide"), { recursive: true });
for (const f of PYODIDE_FILES) copyFileSync(join(root, "node_modules", "pyodide", f), join(out, "pyodide", f));
const coi = "coi-serviceworker.min.js";
copyFileSync(join(root, "node_modules", "coi-serviceworker", coi), join(root, coi));
console.log(`vendor: www/vendor/chart.js, www/vendor/comlink.mjs, www/vendor/pyodide/, ${coi}`);
