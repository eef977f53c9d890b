/**
 * Builds the Docusaurus site of tests/sites/docusaurus/ (the classic preset) from the documented
 * recipe: the recipe's configuration line goes into docusaurus.config.js where it says
 * {{EMBED docusaurus}}, and each {{EMBED …}} in docs/ becomes the recipe's page block — the text of
 * www/share/recipes.js, which the Embed dialog shows. The generator is the npm @docusaurus/core
 * of tests/sites/docusaurus/package.json (scripts/setup-sites.sh runs `npm ci` there).
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blocksFor, fillPages, run, SETUP, SITES, Unavailable, unavailable } from "./build.mjs";

const DIR = join(SITES, "docusaurus");
const DOCUSAURUS = join(DIR, "node_modules", ".bin", "docusaurus");

/**
 * Where the site is put together and built: always the same folder for this checkout, because
 * webpack's persistent cache (in node_modules/.cache/webpack) holds only for the same paths and
 * the same docusaurus.config.js — with the lab at the same URL too (sites.test.mjs asks for a
 * fixed port), a rebuild takes ~4 s instead of ~23 s. Outside the repository, where the linter
 * would take Docusaurus's generated modules for the project's.
 */
const WORK = join(tmpdir(), `speedup-docusaurus-${createHash("sha256").update(DIR).digest("hex").slice(0, 12)}`);

/** Build the site against the lab at `lab` (ends with "/") into `out`; returns `out`. */
export async function buildDocusaurus(lab, out = mkdtempSync(join(tmpdir(), "speedup-docusaurus-site-"))) {
  const why = unavailable("docusaurus");
  if (why && !existsSync(DOCUSAURUS)) throw new Unavailable(why);
  rmSync(WORK, { recursive: true, force: true });
  for (const name of ["docusaurus.config.js", "docs", "package.json"]) {
    cpSync(join(DIR, name), join(WORK, name), { recursive: true });
  }
  // The installed packages, linked rather than copied (280 MB).
  if (existsSync(join(DIR, "node_modules"))) symlinkSync(join(DIR, "node_modules"), join(WORK, "node_modules"), "dir");
  const [config] = blocksFor(lab, "docusaurus", "experiment=perfect");
  const file = join(WORK, "docusaurus.config.js");
  writeFileSync(file, readFileSync(file, "utf8").replace(/^ {2}\/\/ \{\{EMBED docusaurus\}\}$/m, `  ${config}`));
  fillPages(join(WORK, "docs"), lab, "docusaurus");
  // Unminified: minifying doubles the build's time and changes nothing the tests look at.
  await run(
    DOCUSAURUS,
    ["build", "--no-minify", "--out-dir", out],
    WORK,
    `Docusaurus is not installed (${DOCUSAURUS}): run \`${SETUP}\` (npm ci in tests/sites/docusaurus).`,
    { NO_UPDATE_NOTIFIER: "1", BROWSERSLIST_IGNORE_OLD_DATA: "1" },
  );
  return out;
}
