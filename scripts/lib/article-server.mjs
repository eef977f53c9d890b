/**
 * An ordinary article on its own origin (another port of 127.0.0.1) that sends no special
 * header: what an author's blog looks like to the widget. Serves one HTML file with `{{LAB}}`
 * replaced by the lab's URL. The default is docs/example-article.html, which embeds two custom
 * elements and an iframe the way EMBEDDING.md says to (the embed tests and the screenshots use it).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { ROOT } from "./site.mjs";

export const EXAMPLE_ARTICLE = join(ROOT, "docs", "example-article.html");

/** `{ url, close }`; the article answers at `/` and at `/article.html` (and its own file name). */
export async function articleServer(labUrl, htmlFile = EXAMPLE_ARTICLE) {
  const html = readFileSync(htmlFile, "utf8").replaceAll("{{LAB}}", labUrl);
  const paths = new Set(["/", "/article.html", `/${basename(htmlFile)}`]);
  const server = createServer((req, res) => {
    if (paths.has(req.url)) {
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
