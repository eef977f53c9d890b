/** Starts the lab's own server (scripts/serve.mjs) on a free port for a test file. */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `{ url, close }` for the repo served like `npm start` does (or dist/ with `root`). */
export async function serve({
  isolation = true,
  root = ROOT,
  dev = root === ROOT,
  host = "127.0.0.1",
  extraHeaders,
} = {}) {
  const server = await startServer({ root, port: 0, isolation, dev, quiet: true, host, extraHeaders });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * An ordinary article on its own origin (another port), sending no special header: serves
 * `fixture` (a file in tests/browser/fixtures) with `{{LAB}}` replaced by the lab's URL.
 */
export async function articleServer(labUrl, fixture = "article.html") {
  const html = readFileSync(join(ROOT, "tests/browser/fixtures", fixture), "utf8").replaceAll("{{LAB}}", labUrl);
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url === `/${fixture}`) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    } else if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}
