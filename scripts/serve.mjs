#!/usr/bin/env node
// The lab's static server, for development (`npm start`) and for previewing dist/ (`npm run
// preview`). Small on purpose, with no dependency: it binds 127.0.0.1 only, serves files below
// its root and nothing else (no directory listing, `..` and its encoded forms refused), and
// sends the headers the lab needs:
//  - COOP `same-origin` + COEP `require-corp` on pages: cross-origin isolation, hence threads;
//  - `Document-Isolation-Policy: isolate-and-require-corp` on embed.html: isolates that frame
//    alone (Chromium >= 137), so an iframe embed gets threads inside a plain article;
//  - CORP `cross-origin` + CORS `*` on every file: an article on another origin may load the
//    widget's modules and wasm, even when that article is itself isolated.
// `--no-isolation` leaves the isolation headers out (to see the processes engine at work).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

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
  ".md": "text/markdown; charset=utf-8",
};

/** In the repository (dev), only these are public; dist/ is public as a whole. */
const DEV_PUBLIC = ["/index.html", "/embed.html", "/coi-sw.js", "/www/"];

/** Resolve a request path to a file below `root`, or null when it must not be served. */
export function resolveSafe(root, rawPath, publicPrefixes) {
  let path;
  try {
    path = decodeURIComponent(rawPath.split("?")[0].split("#")[0]);
  } catch {
    return null; // malformed percent-encoding
  }
  if (path.includes("\0") || path.includes("\\")) return null;
  if (path.split("/").some((seg) => seg === ".." || seg === ".")) return null;
  if (path.endsWith("/")) path += "index.html";
  if (publicPrefixes && !publicPrefixes.some((p) => path === p || (p.endsWith("/") && path.startsWith(p)))) {
    return null;
  }
  const file = resolve(root, `.${path}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

export function headersFor(file, { isolation }) {
  const headers = {
    "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  };
  if (isolation) {
    // On every response, not only pages: a Worker started by an isolated page must itself be
    // served with COEP, or Chromium refuses to load it (the Worker just fires a bare "error").
    headers["Cross-Origin-Opener-Policy"] = "same-origin";
    headers["Cross-Origin-Embedder-Policy"] = "require-corp";
  }
  if (isolation && file.endsWith("embed.html")) {
    // The iframe embed: isolated on its own, whatever its parent sends. COOP/COEP stay too, for
    // browsers that open embed.html as a top-level page.
    headers["Document-Isolation-Policy"] = "isolate-and-require-corp";
  }
  return headers;
}

export function startServer({
  root,
  port,
  host = "127.0.0.1",
  isolation = true,
  dev = false,
  quiet = false,
  extraHeaders = {},
}) {
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const url = req.url === "/" ? "/index.html" : req.url;
    const file = resolveSafe(rootDir, url, dev ? DEV_PUBLIC : null);
    const info = file && (await stat(file).catch(() => null));
    if (!info?.isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    res.writeHead(200, { ...headersFor(file, { isolation }), ...extraHeaders, "Content-Length": info.size });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      if (!quiet) {
        console.log(
          `Speedup Lab: http://${host}:${actual}/  (${isolation ? "cross-origin isolated" : "no isolation headers"})`,
        );
      }
      resolvePromise(server);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      root: { type: "string", default: "." },
      port: { type: "string", default: process.env.PORT ?? "8080" },
      "no-isolation": { type: "boolean", default: false },
      dev: { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number from 0 to 65535, got "${values.port}".`);
    process.exit(2);
  }
  const root = join(values.root);
  await startServer({ root, port, isolation: !values["no-isolation"], dev: values.dev });
}
