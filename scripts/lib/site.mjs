/**
 * What the site is, as URL paths below the site's root: the one list the server (what it answers),
 * dist.mjs (what it copies) and `_headers` (what gets CORS) all read, so that they cannot disagree.
 *
 * It is an allow-list on purpose. The repository root is also the site's root in development, and
 * everything else in it — `.git/`, `Cargo.toml`, `src/`, `target/`, `node_modules/` — must not be
 * readable by any page that happens to be open in the same browser while the server runs.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root (where the site's sources live). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The files at the site's top. `coi-serviceworker.min.js` is the service-worker fallback
 * (npm `coi-serviceworker`, copied there by scripts/vendor.mjs behind the lab's fetch filter,
 * www/vendor-src/coi-scope.js, which reads this list): it registers its own URL as the
 * worker, and a worker controls only pages at or below its own folder, so it must sit beside
 * index.html (a host that cannot send isolation headers cannot send `Service-Worker-Allowed`
 * either).
 */
export const SITE_FILES = ["/index.html", "/embed.html", "/coi-serviceworker.min.js"];

/**
 * Pyodide's core files (npm `pyodide`, pinned), vendored by scripts/vendor.mjs into
 * www/vendor/pyodide/<version>/ (www/python/pyodide-version.js) and fetched only when a Python card runs (www/python/): the loader, the
 * Emscripten glue, CPython as wasm, its standard library and the package lock it reads at boot.
 * No other package of Pyodide's is vendored, so nothing may be fetched from its CDN.
 */
export const PYODIDE_FILES = [
  "pyodide.mjs",
  "pyodide.asm.mjs",
  "pyodide.asm.wasm",
  "python_stdlib.zip",
  "pyodide-lock.json",
];

/**
 * What scripts/link-cards.mjs writes into dist/ (nothing of it is in the repository): a page per
 * lesson with its link-card meta and chart image (`/lessons/<id>.html`, `.png`), and its oEmbed
 * JSON (`/oembed/<id>.json`).
 */
export const LINK_CARD_FOLDERS = ["/lessons/", "/oembed/"];

/** Everything below www/ is the site (modules, styles, wasm, vendored libraries, data) … */
export const SITE_FOLDER = "/www/";
/** … except what only the build reads. */
const BUILD_ONLY = ["/www/vendor-src/"];

/**
 * What an article on *another* origin fetches when it embeds the custom element: the widget's
 * module graph (widget, its lessons, the core, engine and ui modules, the vendored libraries they import),
 * the Workers it starts from a `blob:` module that imports the real one cross-origin
 * (www/engine/start-worker.js), and the wasm and data those Workers fetch. Only these folders get
 * CORS (`Access-Control-Allow-Origin: *`) and `Cross-Origin-Resource-Policy: cross-origin`; the
 * pages and the page-only scripts (www/app.js, www/embed.js, www/isolate.js, the service worker)
 * do not, so another origin cannot read them. embed.html itself is framed, never read: it gets
 * CORP (an isolated article may frame it) but no CORS. A new folder that the widget imports from
 * belongs here: without it, the cross-origin article in tests/browser/embed.test.mjs fails to load
 * the widget.
 */
export const EMBED_FOLDERS = [
  "/www/widget/",
  "/www/lessons/",
  "/www/core/", // the Rust core on the page (the plain wasm's table and schedule), which the lessons read
  "/www/engine/",
  "/www/workloads/", // the two coordinators as composed: an engine and the workloads plugged in
  "/www/ui/",
  "/www/writes/",
  "/www/vendor/",
  "/www/pkg/",
  "/www/data/",
  "/www/forest/", // the random-forest lesson's coordinator module and its process Worker
  "/www/python/", // the python lesson's runtime: its Worker and the multiprocessing it installs
  "/oembed/", // oEmbed JSON: public, and some consumers read it from a browser
];

/**
 * embed.html and the files it loads itself, for a frame whose origin is opaque: WordPress frames
 * an oEmbed from a provider it has not sanctioned in `sandbox="allow-scripts"`, and every load of
 * such a frame is cross-origin, even from the lab's own host. So these get CORP `cross-origin`
 * (embed.html already did: an isolated article may frame it), and `FRAME_MODULES`, which the
 * frame loads in CORS mode as module scripts, CORS `*` too. Pages elsewhere may then load them,
 * which shows nothing they could not see by framing embed.html.
 */
export const FRAME_FILES = [
  "/embed.html",
  "/www/embed.js",
  "/www/embed.css",
  "/www/isolate.js",
  "/coi-serviceworker.min.js",
  "/www/favicon.svg",
];
export const FRAME_MODULES = ["/www/embed.js"];

/** True when no segment of `path` is hidden (`.git`, `.gitignore`, an editor's `.swp`). */
export function hasNoHiddenSegment(path) {
  return !path.split("/").some((segment) => segment.startsWith("."));
}

/** Is `path` (a decoded URL path below the site's root, starting with "/") part of the site? */
export function isSiteFile(path) {
  if (!hasNoHiddenSegment(path) || path.endsWith(".map")) return false;
  if (BUILD_ONLY.some((folder) => path.startsWith(folder))) return false;
  return SITE_FILES.includes(path) || path.startsWith(SITE_FOLDER) || LINK_CARD_FOLDERS.some((f) => path.startsWith(f));
}

/** May files below `folder` (a path ending in "/") be part of the site? (dist.mjs walks www/ with it.) */
export function isSiteFolder(folder) {
  if (!hasNoHiddenSegment(folder) || BUILD_ONLY.some((f) => folder.startsWith(f))) return false;
  return folder.startsWith(SITE_FOLDER) || SITE_FOLDER.startsWith(folder);
}

/** May a page on another origin read `path` (it is part of the embeddable widget)? */
export function isEmbedFile(path) {
  return isSiteFile(path) && EMBED_FOLDERS.some((folder) => path.startsWith(folder));
}
