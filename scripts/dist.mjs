// Assembles dist/: a static site any host can serve, from any sub-path (every URL in the lab is
// relative). Run by `npm run build` after the wasm and vendor builds.
//  - exactly the site's files (scripts/lib/site.mjs, the list the server answers for too): the
//    pages, the service-worker fallback at the top (so its scope is the whole site), and www/
//    without what only the build reads;
//  - the pages' modules bundled and minified (scripts/lib/bundle.mjs: why a bundle, what it keeps),
//    written over their copies so that every URL stays as documented, with a modulepreload hint
//    in each page for the chunks its entry imports; `--no-bundle` ships the modules as they are
//    (what `npm start` serves), to compare or to debug;
//  - _headers, for hosts that read it (Netlify, Cloudflare Pages): the isolation headers that
//    give the threads engine, CORS/CORP on the embeddable widget's folders only (so articles on
//    other origins may load the widget, and nothing else), and Document-Isolation-Policy on
//    embed.html. Hosts that read no header file get the service-worker fallback (www/isolate.js);
//    where neither works, the processes engine runs.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { PYODIDE_VERSION } from "../www/python/pyodide-version.js";
import { bundle, minifyInPlace, modulepreloadLinks } from "./lib/bundle.mjs";
import { EMBED_FOLDERS, FRAME_FILES, FRAME_MODULES, isSiteFile, isSiteFolder, ROOT, SITE_FILES } from "./lib/site.mjs";

const { values } = parseArgs({
  options: { out: { type: "string", default: join(ROOT, "dist") }, "no-bundle": { type: "boolean", default: false } },
});
const out = values.out;

for (const need of [
  "www/pkg/threads/speedup_lab_bg.wasm",
  "www/pkg/plain/speedup_lab_bg.wasm",
  "www/pkg/plain-forest/speedup_lab_bg.wasm",
  "www/vendor/chart.js",
  "www/vendor/codemirror.js",
  `www/vendor/pyodide/${PYODIDE_VERSION}/pyodide.asm.wasm`,
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

/** The pages and the entry module each loads (the entry's chunks are preloaded from the page). */
const PAGES = { "index.html": ["app.js"], "embed.html": ["embed.js"] };

if (!values["no-bundle"]) {
  const { outputs, rebased, preloads } = await bundle(join(ROOT, "www"), join(out, "www"));
  const missing = rebased.filter((path) => !existsSync(join(out, "www", path)));
  if (missing.length > 0) {
    console.error(`dist: the bundle points at files that dist/ does not carry: ${missing.join(", ")}`);
    process.exit(1);
  }
  for (const [page, entries] of Object.entries(PAGES)) {
    const file = join(out, page);
    let html = readFileSync(file, "utf8");
    const hinted = new Set(); // a chunk two entries share is hinted once
    for (const entry of entries) {
      const tag = `<script type="module" src="www/${entry}"></script>`;
      if (!html.includes(tag)) {
        console.error(`dist: ${page} no longer loads ${tag}; update PAGES in scripts/dist.mjs`);
        process.exit(1);
      }
      const chunks = (preloads[entry] ?? []).filter((chunk) => !hinted.has(chunk));
      for (const chunk of chunks) hinted.add(chunk);
      const links = modulepreloadLinks({ [entry]: chunks }, entry);
      if (links) html = html.replace(tag, `${tag}\n    ${links}`);
    }
    writeFileSync(file, html);
  }
  const rest = await minifyInPlace(join(out, "www"), outputs);
  console.log(
    `dist: bundled ${outputs.length} files (${outputs.filter((o) => o.includes("/chunks/")).length} chunks); the rest minified in place, ${rest.before} → ${rest.after} bytes`,
  );
}

const embedRules = EMBED_FOLDERS.map(
  (folder) => `${folder}*\n  Access-Control-Allow-Origin: *\n  Cross-Origin-Resource-Policy: cross-origin\n`,
).join("\n");
// embed.html's own files, for a frame sandboxed to an opaque origin (site.mjs, FRAME_FILES).
const frameRules = FRAME_FILES.filter((f) => f !== "/embed.html")
  .flatMap((f) => [f, `/*${f}`])
  .map((f) =>
    FRAME_MODULES.some((m) => f.endsWith(m))
      ? `${f}\n  Access-Control-Allow-Origin: *\n  Cross-Origin-Resource-Policy: cross-origin\n`
      : `${f}\n  Cross-Origin-Resource-Policy: cross-origin\n`,
  )
  .join("\n");
const headers = `# Headers for static hosts that read a _headers file (Netlify, Cloudflare Pages).
# Cross-origin isolation gives the threads engine. Only the widget's folders may be read by other
# origins (CORS + CORP), so articles elsewhere can load the widget; embed.html may be framed by
# them and isolates itself inside any parent page.
/*
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
  X-Content-Type-Options: nosniff

${embedRules}
${frameRules}
/embed.html
  Cross-Origin-Resource-Policy: cross-origin
  Document-Isolation-Policy: isolate-and-require-corp

/*/embed.html
  Cross-Origin-Resource-Policy: cross-origin
  Document-Isolation-Policy: isolate-and-require-corp

# A vendored Pyodide version's files never change (www/python/pyodide-version.js): a year's caching.
/www/vendor/pyodide/*
  Cache-Control: public, max-age=31536000, immutable
`;
writeFileSync(join(out, "_headers"), headers);
console.log(`dist: ${out}`);
