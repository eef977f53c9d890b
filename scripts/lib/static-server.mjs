/**
 * The lab's static server: what `npm start`, `npm run serve` and `npm run preview` run
 * (scripts/serve.mjs), and what tests, the benchmark and the screenshot script start on a free
 * port. Small on purpose, with no dependency. It binds 127.0.0.1, answers only for the site's own
 * files (scripts/lib/site.mjs: an allow-list; no directory listing, `..` and its encoded forms
 * refused) and sends the headers the lab needs:
 *  - COOP `same-origin` + COEP `require-corp` on every response: cross-origin isolation, hence
 *    threads (a Worker of an isolated page must itself come with COEP, or Chromium refuses it);
 *  - `Document-Isolation-Policy: isolate-and-require-corp` on embed.html: isolates that frame
 *    alone (Chromium >= 137), so an iframe embed gets threads inside a plain article;
 *  - CORS `*` + CORP `cross-origin` only on the embeddable widget's files, so an article on another
 *    origin can load the widget and nothing else; every other file is CORP `same-origin`.
 */
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { FRAME_FILES, FRAME_MODULES, hasNoHiddenSegment, isEmbedFile, isSiteFile, ROOT } from "./site.mjs";

export { ROOT };

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
};

/** Decode and check a request path: the path below the root (starting with "/"), or null. */
export function sitePath(rawPath) {
  let path;
  try {
    path = decodeURIComponent(rawPath.split("?")[0].split("#")[0]);
  } catch {
    return null; // malformed percent-encoding
  }
  if (!path.startsWith("/") || path.includes("\0") || path.includes("\\")) return null;
  if (path.split("/").some((seg) => seg === ".." || seg === ".")) return null;
  return path.endsWith("/") ? `${path}index.html` : path;
}

/**
 * Resolve a request path to a file below `root`, or null when it must not be served: a bad path,
 * one that `allow` (a predicate on the path below the root; omitted: the site's allow-list)
 * refuses, or one that would leave the root.
 */
export function resolveSafe(root, rawPath, allow = isSiteFile) {
  const path = sitePath(rawPath);
  return path !== null && allow(path) ? fileBelow(root, path) : null;
}

/** The file for a checked `path` below `root`, or null if it would leave the root. */
function fileBelow(root, path) {
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/** The response headers for `path` (below the site's root). */
export function headersFor(path, { isolation, dev = false, embeddable = isEmbedFile(path) }) {
  const headers = {
    "Content-Type": MIME[extname(path)] ?? "application/octet-stream",
    "Cross-Origin-Resource-Policy": embeddable || FRAME_FILES.includes(path) ? "cross-origin" : "same-origin",
    "X-Content-Type-Options": "nosniff",
    // dev: never reuse a copy (a module just edited must load); preview: revalidate every time.
    "Cache-Control": dev ? "no-store" : "no-cache",
  };
  if (embeddable || FRAME_MODULES.includes(path)) headers["Access-Control-Allow-Origin"] = "*";
  if (isolation) {
    headers["Cross-Origin-Opener-Policy"] = "same-origin";
    headers["Cross-Origin-Embedder-Policy"] = "require-corp";
  }
  if (isolation && path === "/embed.html") {
    // The iframe embed: isolated on its own, whatever its parent sends. COOP/COEP stay too, for
    // browsers that open embed.html as a top-level page.
    headers["Document-Isolation-Policy"] = "isolate-and-require-corp";
  }
  return headers;
}

/**
 * Start the server. `base` mounts the site below a sub-path ("/lab/"), as a host would that serves
 * it from a folder. `files` is the allow-list predicate (default: the site's). `dev` turns caching
 * off and says on stderr why a request got 404 (a new top-level file is not served until
 * scripts/lib/site.mjs lists it).
 */
export function startServer({
  root,
  port,
  host = "127.0.0.1",
  base = "/",
  isolation = true,
  dev = false,
  quiet = false,
  files = isSiteFile,
  extraHeaders = {},
}) {
  const rootDir = resolve(root);
  const prefix = base.endsWith("/") ? base : `${base}/`;
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const below = req.url.startsWith(prefix) ? req.url.slice(prefix.length - 1) : null;
    const path = below === null ? null : sitePath(below);
    const allowed = path !== null && files(path);
    const file = allowed ? fileBelow(rootDir, path) : null;
    const info = file && (await stat(file).catch(() => null));
    if (!info?.isFile()) {
      if (dev && !quiet)
        console.error(`404 ${req.url}: ${allowed ? "no such file (built yet?)" : "not part of the site"}`);
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    const embeddable = files === isSiteFile && isEmbedFile(path);
    res.writeHead(200, {
      ...headersFor(path, { isolation, dev, embeddable }),
      ...extraHeaders,
      "Content-Length": info.size,
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      if (!quiet) {
        console.log(
          `Speedup Lab: http://${host}:${actual}${prefix}  (${isolation ? "cross-origin isolated" : "no isolation headers"})`,
        );
      }
      resolvePromise(server);
    });
  });
}

/**
 * `{ url, port, close }`: `root` served on a free port of 127.0.0.1, as `npm start` serves it
 * (tests, the benchmark, the screenshots). A root that holds the site (a `www/` folder: the
 * repository, dist/) is served by the site's allow-list; any other folder (a test's or the
 * benchmark's own fixture page, bench/web/) is served whole, hidden files excepted.
 */
export async function serve({ root = ROOT, files, ...options } = {}) {
  const allow = files ?? (existsSync(join(root, "www")) ? isSiteFile : hasNoHiddenSegment);
  const host = options.host ?? "127.0.0.1";
  const server = await startServer({ root, port: 0, quiet: true, ...options, host, files: allow });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
