// Assembles dist/: a static site any host can serve, from any sub-path (every URL in the lab is
// relative). Run by `npm run build` after the wasm and vendor builds.
//  - exactly the site's files (scripts/lib/site.mjs, the list the server answers for too): the
//    pages, the service-worker fallback at the top (so its scope is the whole site), and www/
//    without what only the build reads;
//  - _headers, for hosts that read it (Netlify, Cloudflare Pages): the isolation headers that
//    give the threads engine, CORS/CORP on the embeddable widget's folders only (so articles on
//    other origins may load the widget, and nothing else), and Document-Isolation-Policy on
//    embed.html. Hosts that read no header file get the service-worker fallback (www/isolate.js);
//    where neither works, the processes engine runs.
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { EMBED_FOLDERS, isSiteFile, isSiteFolder, ROOT, SITE_FILES } from "./lib/site.mjs";

const { values } = parseArgs({ options: { out: { type: "string", default: join(ROOT, "dist") } } });
const out = values.out;

for (const need of [
  "www/pkg/threads/speedup_lab_bg.wasm",
  "www/pkg/plain/speedup_lab_bg.wasm",
  "www/pkg/plain-forest/speedup_lab_bg.wasm",
  "www/vendor/chart.js",
  "coi-serviceworker.min.js",
]) {
  if (!existsSync(join(ROOT, need))) {
    console.error(`dist: ${need} is missing; run \`npm run build\` (it builds the wasm and vendor files first).`);
    process.exit(1);
  }
}

/** Is `src` (a file or folder of the repository) part of the site, or a folder that may hold some? */
function inSite(src) {
  const path = `/${relative(ROOT, src).split(sep).join("/")}`;
  return statSync(src).isDirectory() ? isSiteFolder(`${path}/`) : isSiteFile(path);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of SITE_FILES) cpSync(join(ROOT, file), join(out, file));
cpSync(join(ROOT, "www"), join(out, "www"), {
  recursive: true,
  filter: inSite,
});

const embedRules = EMBED_FOLDERS.map(
  (folder) => `${folder}*\n  Access-Control-Allow-Origin: *\n  Cross-Origin-Resource-Policy: cross-origin\n`,
).join("\n");
const headers = `# Headers for static hosts that read a _headers file (Netlify, Cloudflare Pages).
# Cross-origin isolation gives the threads engine. Only the widget's folders may be read by other
# origins (CORS + CORP), so articles elsewhere can load the widget; embed.html may be framed by
# them and isolates itself inside any parent page.
/*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  X-Content-Type-Options: nosniff

${embedRules}
/embed.html
  Cross-Origin-Resource-Policy: cross-origin
  Document-Isolation-Policy: isolate-and-require-corp

/*/embed.html
  Cross-Origin-Resource-Policy: cross-origin
  Document-Isolation-Policy: isolate-and-require-corp
`;
writeFileSync(join(out, "_headers"), headers);
console.log(`dist: ${out}`);
