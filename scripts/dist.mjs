// Assembles dist/: a static site any host can serve, from any sub-path (every URL in the lab is
// relative). Run by `npm run build` after the wasm and vendor builds.
//  - the pages (index.html, embed.html), coi-sw.js at the top so its scope is the whole site;
//  - www/ without the sources only the build needs (vendor-src);
//  - _headers, for hosts that read it (Netlify, Cloudflare Pages): the isolation headers that
//    give the threads engine, CORS/CORP so articles on other origins may load the widget, and
//    Document-Isolation-Policy on embed.html. Hosts that read no header file get the
//    service-worker fallback (www/isolate.js); where neither works, the processes engine runs.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { out: { type: "string", default: join(root, "dist") } } });
const out = values.out;

for (const need of [
  "www/pkg/threads/speedup_lab_bg.wasm",
  "www/pkg/plain/speedup_lab_bg.wasm",
  "www/vendor/chart.js",
]) {
  if (!existsSync(join(root, need))) {
    console.error(`dist: ${need} is missing; run \`npm run build\` (it builds the wasm and vendor files first).`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ["index.html", "embed.html", "coi-sw.js"]) cpSync(join(root, file), join(out, file));
cpSync(join(root, "www"), join(out, "www"), {
  recursive: true,
  filter: (src) => !src.includes(`${sep}vendor-src`) && !src.endsWith(".map"),
});

const headers = `# Headers for static hosts that read a _headers file (Netlify, Cloudflare Pages).
# Cross-origin isolation gives the threads engine; CORS + CORP let articles on other origins load
# the widget's modules and wasm. embed.html also isolates itself inside any parent page.
/*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  Cross-Origin-Resource-Policy: cross-origin
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff

/embed.html
  Document-Isolation-Policy: isolate-and-require-corp

/*/embed.html
  Document-Isolation-Policy: isolate-and-require-corp
`;
writeFileSync(join(out, "_headers"), headers);
console.log(`dist: ${out}`);
