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
 *    origin can load the widget and nothing else; every other file is CORP `same-origin`;
 *  - `X-Content-Type-Options: nosniff` on every response, errors included.
 * It outlives whatever happens to the files under it: a file deleted, replaced or unreadable while
 * a request runs gets an error response (404, 500, or a cut connection once the body has started)
 * and the next request is served as usual; no symlink leads out of the root or the allow-list.
 */
import { constants, existsSync } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream";
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

/** On every response, errors included: no browser may guess a type the server did not send. */
const ALWAYS = { "X-Content-Type-Options": "nosniff" };
const TEXT = { "Content-Type": "text/plain; charset=utf-8" };

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

/**
 * Open `file` (below `root`, checked against the allow-list `files` by its request path) for
 * reading: `{ fd, size }`, or `{ why, unreadable }` saying why not (`unreadable`: answer 500, not
 * 404). Symlinks are followed only while they stay inside the root and land on a file the
 * allow-list allows: `realRoot` is the root with its symlinks resolved, and the file's real path
 * is checked against both before anything is opened. Opened with O_NONBLOCK, because opening a
 * FIFO would otherwise wait forever for a writer (a regular file is unaffected), and with
 * O_NOFOLLOW, so the checked path is the one opened. Once open, the descriptor keeps the file
 * readable if it is deleted or replaced meanwhile (as a rebuild does under a loading page).
 */
async function openInside(realRoot, file, files) {
  let real;
  try {
    real = await realpath(file);
  } catch (error) {
    const missing = error.code === "ENOENT" || error.code === "ENOTDIR";
    return { why: missing ? "no such file (built yet?)" : error.code, unreadable: !missing };
  }
  if (!real.startsWith(realRoot + sep) || !files(`/${relative(realRoot, real).split(sep).join("/")}`)) {
    return { why: "a link that leaves the site" };
  }
  let fd;
  try {
    fd = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if (error.code === "ENOENT") return { why: "deleted meanwhile" };
    return { why: error.code, unreadable: true };
  }
  const info = await fd.stat().catch(() => null);
  if (info?.isFile()) return { fd, size: info.size };
  await fd.close();
  return info?.isDirectory() ? { why: "a folder" } : { why: "not a regular file", unreadable: true };
}

/** A request that failed after all: 500 if nothing was sent yet, else cut the connection. */
function fail(res, error, log) {
  if (res.headersSent) res.destroy();
  else res.writeHead(500, { ...ALWAYS, ...TEXT }).end("Server error\n");
  if (log) console.error(`500: ${error?.message ?? error}`);
}

/** A vendored Pyodide version's files (www/python/pyodide-version.js): the same URL, the same bytes. */
export const IMMUTABLE = /^\/www\/vendor\/pyodide\/\d+\.\d+\.\d+[^/]*\/[^/]+$/;

/** The response headers for `path` (below the site's root). */
export function headersFor(path, { isolation, dev = false, embeddable = isEmbedFile(path) }) {
  const headers = {
    "Content-Type": MIME[extname(path)] ?? "application/octet-stream",
    "Cross-Origin-Resource-Policy": embeddable || FRAME_FILES.includes(path) ? "cross-origin" : "same-origin",
    ...ALWAYS,
    // dev: never reuse a copy (a module just edited must load); preview: revalidate every time —
    // except a vendored Pyodide version's folder, whose files never change (pyodide-version.js).
    "Cache-Control": IMMUTABLE.test(path) ? "public, max-age=31536000, immutable" : dev ? "no-store" : "no-cache",
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
/** The names of this machine: a server bound to one of them answers only requests naming one. */
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The host name of a Host header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
function hostnameOf(header = "") {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(header.trim().toLowerCase());
  return m ? m[1] : "";
}

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
  const loopback = LOOPBACK_NAMES.has(host);
  let realRoot = null; // the root with its own symlinks resolved, found on the first request
  const prefix = base.endsWith("/") ? base : `${base}/`;
  const server = createServer((req, res) => {
    answer(req, res).catch((error) => fail(res, error, !quiet)); // nothing a request does may end the server
  });
  /** Serve one request: the file's headers, then its bytes, or 404/405/500 with a one-line reason. */
  async function answer(req, res) {
    if (loopback && !LOOPBACK_NAMES.has(hostnameOf(req.headers.host))) {
      // A name that is not this machine's: a DNS-rebinding page trying to read the lab as its own.
      res.writeHead(421, { ...ALWAYS, ...TEXT }).end("This server answers only for 127.0.0.1 and localhost\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...ALWAYS, Allow: "GET, HEAD" }).end();
      return;
    }
    const below = req.url.startsWith(prefix) ? req.url.slice(prefix.length - 1) : null;
    const path = below === null ? null : sitePath(below);
    const allowed = path !== null && files(path);
    const file = allowed ? fileBelow(rootDir, path) : null;
    realRoot ??= await realpath(rootDir);
    const opened = file && (await openInside(realRoot, file, files));
    if (!opened?.fd) {
      const status = opened?.unreadable ? 500 : 404;
      if (dev && !quiet) console.error(`${status} ${req.url}: ${allowed ? opened?.why : "not part of the site"}`);
      res.writeHead(status, { ...ALWAYS, ...TEXT }).end(status === 500 ? "Cannot read this file\n" : "Not found\n");
      return;
    }
    const { fd, size } = opened;
    const embeddable = files === isSiteFile && isEmbedFile(path);
    res.writeHead(200, {
      ...headersFor(path, { isolation, dev, embeddable }),
      ...extraHeaders,
      "Content-Length": size,
    });
    if (req.method === "HEAD" || size === 0) {
      await fd.close();
      res.end();
      return;
    }
    // The size sent is the size when opened: read no more than that (a file rewritten in place
    // may grow), and if it shrank, cut the connection so the client sees a short body as an error
    // rather than a complete one. The open descriptor keeps a deleted or replaced file readable.
    const stream = fd.createReadStream({ start: 0, end: size - 1 });
    pipeline(stream, res, (error) => {
      if (error || stream.bytesRead < size) res.destroy();
    });
  }
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
 * `{ url, port, server, close }`: `root` served on a free port of 127.0.0.1, as `npm start` serves it
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
    server, // the node:http server, for a caller that counts what it answers (bench/page-cost.mjs)
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
