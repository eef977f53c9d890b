// Patches wasm-bindgen-rayon 1.3.0's no-bundler worker helper, as copied by wasm-bindgen into
// www/pkg/threads/snippets/. Exact-text replacements; the build fails loudly if either text
// is not found (e.g. after a version bump), rather than shipping an unpatched helper.
//  1. The helper always starts the pool's Workers from a `blob:` copy of itself, which a page
//     with a strict CSP (`script-src 'self'`, no `worker-src blob:`) refuses. Same-origin, we
//     start them from the helper's own URL; the blob stays for cross-origin embedding.
//  2. A trap in a pool thread (a Rust panic) ends as an unhandled promise rejection inside the
//     helper, invisible to everyone, and the run waits forever. Catch it, post
//     `speedup-lab:thread-failed` to the coordinator, which forwards it to the page.
//  3. It initialises each thread with the deprecated positional `init(module, memory)` form,
//     which logs a warning per thread with wasm-bindgen 0.2.130; use the object form.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const snippets = process.argv[2] ?? "www/pkg/threads/snippets";
const dir = readdirSync(snippets).find((d) => d.startsWith("wasm-bindgen-rayon-"));
if (!dir) throw new Error(`no wasm-bindgen-rayon snippet under ${snippets}`);
const file = join(snippets, dir, "src", "workerHelpers.no-bundler.js");
// The crate ships this file with CRLF line endings; normalise before matching.
let text = readFileSync(file, "utf8").replaceAll("\r\n", "\n");

const replacements = [
  [
    `      let scriptBlob = await fetch(import.meta.url).then(r => r.blob());
      let url = URL.createObjectURL(scriptBlob);`,
    `      // Patched (scripts/patch-rayon-helper.mjs): same-origin needs no blob: URL.
      const sameOrigin = new URL(import.meta.url).origin === self.location.origin;
      let url = sameOrigin ? import.meta.url : URL.createObjectURL(await fetch(import.meta.url).then(r => r.blob()));`,
  ],
  [
    "  pkg.wbg_rayon_start_worker(data.receiver);\n",
    `  try {
    pkg.wbg_rayon_start_worker(data.receiver);
  } catch (error) {
    // Patched: a trap in a pool thread (a panic) would vanish as an unhandled rejection and
    // leave the run waiting forever; report it so the page can restart the engine.
    postMessage({ type: "speedup-lab:thread-failed", message: String(error?.message ?? error) });
  }
`,
  ],
  [
    `      const worker = new Worker(url, {
        type: 'module'
      });`,
    `      const worker = new Worker(url, {
        type: 'module'
      });
      // Patched: forward a pool thread's failure to whoever owns this module's Worker.
      worker.addEventListener('message', ({ data }) => {
        if (data?.type === 'speedup-lab:thread-failed') self.postMessage(data);
      });`,
  ],
  [
    "await pkg.default(data.module, data.memory);",
    "await pkg.default({ module_or_path: data.module, memory: data.memory }); // patched: object form",
  ],
];
for (const [from, to] of replacements) {
  if (text.includes(to)) continue;
  if (!text.includes(from)) throw new Error(`patch-rayon-helper: expected text not found in ${file}:\n${from}`);
  text = text.replace(from, to);
}
writeFileSync(file, text);
console.log(`patched ${file}`);
