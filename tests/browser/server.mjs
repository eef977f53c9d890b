/**
 * Kept for the test files that import it from here: the servers live in scripts/lib/
 * (static-server.mjs, article-server.mjs). `articleServer(labUrl, fixture)` also takes the name
 * of a file in tests/browser/fixtures/; the default is the example article in docs/.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { articleServer as serveArticle } from "../../scripts/lib/article-server.mjs";
import { ROOT } from "../../scripts/lib/site.mjs";

export { serve } from "../../scripts/lib/static-server.mjs";
export { ROOT };

export function articleServer(labUrl, fixture) {
  const file = fixture && join(ROOT, "tests", "browser", "fixtures", fixture);
  return serveArticle(labUrl, file && existsSync(file) ? file : undefined);
}
