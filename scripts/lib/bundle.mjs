/**
 * The production bundle of dist/ (scripts/dist.mjs): the page's entry modules, bundled and minified
 * by esbuild, written over their own copies in dist/www so that every documented URL keeps working.
 *
 * Why a bundle, and not `<link rel="modulepreload">` over the unbundled files: both were measured
 * in Chromium, cold (BENCHMARKS.md, "dist/: bundle or modulepreload"). The preload hints only start
 * the same fetches earlier: index.html still fetched 44 files (251.6 kB gzipped) before a Run, and
 * an article, which cannot carry the lab's hints, gained nothing. The bundle: 25 files, 221.6 kB
 * (an article with 11 widgets: 19 files and 141.3 kB instead of 36 and 165.2 kB), first result and
 * first chart no slower; and it keeps a preload hint for its own chunks (`modulepreloadLinks`),
 * which removes the one waterfall level it has left.
 *
 * What must survive bundling, and how it does:
 *  - **URLs made from `import.meta.url`** (`new URL("./x.worker.js", import.meta.url)`: the
 *    Workers, the wasm-bindgen glue's `.wasm`, the widget's stylesheet, the forest's dataset).
 *    esbuild leaves them as written, but the code moves to another file (an entry in www/, a chunk
 *    in www/widget/chunks/), where the same relative URL names nothing. `rebaseUrls` rewrites each
 *    such literal, as it is loaded, to its target's path below www/ behind a marker; once esbuild
 *    has written each output, the marker becomes the way from that output's folder back to www/.
 *    The targets themselves are not bundled: Worker scripts, their module graphs, the glue and the
 *    wasm stay in dist/www as copied, so a Worker (and the rayon helper, which starts Workers from
 *    its own module URL, scripts/patch-rayon-helper.mjs) loads exactly what it loads in development.
 *  - **Lazy imports** (`import("../writes/session.js")`, the forest's runner): esbuild's code
 *    splitting keeps them lazy, as chunks fetched on first use.
 *  - **One instance per module**: `ENTRIES` are bundled together (code splitting), so the code
 *    they share is one chunk, evaluated once per page — one `<speedup-lab>` definition, one engine
 *    cache, whichever entry loaded first. www/engine/client.js is an entry for that reason: code
 *    that imports the engine by its URL (the benchmark, a test on dist/) gets the page's engines,
 *    not a second set.
 *  - **Cross-origin articles** import the widget's bundle and its chunks: the chunks live in
 *    www/widget/chunks/, inside a folder that the server and `_headers` already open to other
 *    origins (scripts/lib/site.mjs `EMBED_FOLDERS`).
 *  - **Names**: `keepNames`, so an error's class name reads the same as in development.
 *
 * The files left unbundled (the Workers' module graphs, the wasm-bindgen glue, the rayon helper,
 * isolate.js) are minified one by one where they are (`minifyInPlace`): same modules, same URLs,
 * same imports, fewer bytes for the Run that fetches them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { build, transform } from "esbuild";

/**
 * The modules bundled: the two pages' entries, the widget (authors import its URL directly,
 * EMBEDDING.md), and the engine client (see "One instance per module" above). Paths below www/.
 */
export const ENTRIES = ["app.js", "embed.js", "widget/speedup-lab.js", "engine/client.js"];

/** Where the shared and lazy chunks go, below www/ (a CORS folder: see above). */
export const CHUNK_DIR = "widget/chunks";

/** Stands for "the way back to www/" in a rebased URL until the output's place is known. */
const MARKER = "__SPEEDUP_LAB_WWW__";

/** `new URL("<relative path>", import.meta.url)`, the only form rebased (any quotes, any spacing). */
const URL_FROM_MODULE = /new URL\(\s*(["'])([^"'`:]+?)\1\s*,\s*import\.meta\.url\s*\)/g;

const toPosix = (path) => path.split(sep).join("/");

/** esbuild plugin: rewrite each module-relative URL of a www/ module to `MARKER/<path below www>`. */
function rebaseUrls(www, rebased) {
  return {
    name: "rebase-import-meta-urls",
    setup(b) {
      b.onLoad({ filter: /\.m?js$/ }, ({ path }) => {
        const source = readFileSync(path, "utf8");
        const contents = source.replace(URL_FROM_MODULE, (_, quote, target) => {
          const below = toPosix(relative(www, resolve(dirname(path), target)));
          // www/ and the site's top (the folder above it: the pages and the service worker), nothing else.
          const siteTop = below === ".." || /^\.\.\/[^/]+$/.test(below);
          if (below.startsWith("../") && !siteTop)
            throw new Error(`bundle: ${path} makes a URL outside the site: ${target}`);
          rebased.add(below);
          return `new URL(${quote}${MARKER}/${below}${quote}, import.meta.url)`;
        });
        // Any other use of import.meta.url (a template literal, a variable path) would still name
        // a place relative to the module's old home, wrong once it lands in a chunk: refuse it.
        const left = contents.replace(/new URL\([^)]*__SPEEDUP_LAB_WWW__[^)]*\)/g, "");
        if (left.includes("import.meta.url")) {
          throw new Error(
            `bundle: ${path} uses import.meta.url other than as new URL("<relative path>", import.meta.url), which cannot be rebased`,
          );
        }
        return { contents, loader: "js" };
      });
    },
  };
}

/**
 * Bundle `ENTRIES` from `www` into `outWww` (dist/www), over the copies already there. Returns
 * `{ outputs, rebased, preloads }`: the files written (paths below www/), the targets of the
 * rebased URLs (each must exist in dist/), and for each entry the chunks it imports statically
 * (what `modulepreloadLinks` hints).
 */
export async function bundle(www, outWww) {
  const rebased = new Set();
  const result = await build({
    entryPoints: ENTRIES.map((e) => join(www, e)),
    outbase: www,
    outdir: outWww,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    keepNames: true,
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    entryNames: "[dir]/[name]",
    legalComments: "eof", // Chart.js's and Comlink's licence headers stay in what is shipped
    metafile: true,
    write: false,
    logLevel: "warning",
    plugins: [rebaseUrls(www, rebased)],
  });
  const outputs = [];
  for (const file of result.outputFiles) {
    const below = toPosix(relative(outWww, file.path));
    const back = posix.relative(posix.dirname(below), ".") || ".";
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text.replaceAll(MARKER, back));
    outputs.push(below);
  }
  const preloads = {};
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const below = toPosix(relative(outWww, resolve(out)));
    preloads[below] = meta.imports
      .filter((i) => i.kind === "import-statement")
      .map((i) => toPosix(relative(outWww, resolve(i.path))));
  }
  return { outputs, rebased: [...rebased].sort(), preloads };
}

/**
 * The `<link rel="modulepreload">` tags for an entry's static chunks, for a page at the site's
 * root that loads `www/<entry>`: the browser fetches them with the entry instead of after parsing it.
 */
export function modulepreloadLinks(preloads, entry) {
  return (preloads[entry] ?? []).map((chunk) => `<link rel="modulepreload" href="www/${chunk}" />`).join("\n    ");
}

/**
 * Minify every `.js`/`.mjs` file below `dir` except `skip` (paths below `dir`, the bundle's own
 * outputs) and vendor/ (built minified already: `keepNames` would only make it longer), one file at a time: no file is merged, renamed or moved, and top-level names stay
 * (esbuild renames top-level names only when told the format), so classic scripts keep their globals.
 */
export async function minifyInPlace(dir, skip = []) {
  const skipped = new Set(skip);
  let before = 0;
  let after = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.m?js$/.test(entry.name)) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name); // `path` before Node 20.12
    const below = toPosix(relative(dir, file));
    if (skipped.has(below) || below.startsWith("vendor/")) continue;
    const source = readFileSync(file, "utf8");
    const { code } = await transform(source, { minify: true, keepNames: true, legalComments: "inline", loader: "js" });
    before += source.length;
    after += code.length;
    writeFileSync(file, code);
  }
  return { before, after };
}
