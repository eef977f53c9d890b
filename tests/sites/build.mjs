/**
 * Builds the small test sites of tests/sites/ with the real generators, from the documented
 * recipes: each `{{EMBED [recipe] <settings>}}` in a page becomes the page block of that recipe
 * (default: the tool's own) for those settings, and MkDocs' configuration block is appended to
 * mkdocs.yml — the very text of www/share/recipes.js, which the Embed dialog shows.
 *
 * Generators: MkDocs Material from PyPI in a virtualenv at tests/sites/.venv (scripts/setup-sites.sh
 * makes it), and MyST from the npm `mystmd` (a devDependency). MyST's book theme is fetched by
 * `myst` itself from api.mystmd.org / GitHub; on a machine that cannot reach them, point
 * MYST_THEME_DIR at a built copy of the theme (scripts/setup-sites.sh says how). A missing
 * generator fails with the command that installs it.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/site.mjs";
import { recipes } from "../../www/share/recipes.js";

export const SITES = join(ROOT, "tests", "sites");
export const VENV = process.env.SITES_VENV ?? join(SITES, ".venv");
const MKDOCS = join(VENV, "bin", "mkdocs");
const MYST = join(ROOT, "node_modules", ".bin", "myst");
export const SETUP = "bash scripts/setup-sites.sh";

/** Every attribute the element reads: the settings' names suffice for these pages' recipes. */
function blocksFor(lab, recipeId, query) {
  const settings = [...new URLSearchParams(query)];
  const recipe = recipes(lab, settings).find((r) => r.id === recipeId);
  if (!recipe) throw new Error(`no recipe "${recipeId}"`);
  return recipe.blocks.map((b) => b.text);
}

/** Replace each {{EMBED [recipe] settings}} in the Markdown files below `dir`; the last block of a recipe is its page block. */
function fillPages(dir, lab, tool) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) fillPages(file, lab, tool);
    else if (name.endsWith(".md")) {
      const text = readFileSync(file, "utf8").replace(/\{\{EMBED (?:([a-z]+) )?([^}]+)\}\}/g, (_, recipe, query) =>
        blocksFor(lab, recipe ?? tool, query.trim()).at(-1),
      );
      writeFileSync(file, text);
    }
  }
}

function run(command, args, cwd, missing) {
  if (!existsSync(command)) throw new Error(missing);
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

/**
 * Build the MkDocs Material site against the lab at `lab` (ends with "/") into `out`, for serving
 * at `siteUrl` (Material's instant navigation needs `site_url`); returns `out`.
 */
export function buildMkdocs(lab, out = mkdtempSync(join(tmpdir(), "speedup-mkdocs-site-")), siteUrl = "") {
  const work = mkdtempSync(join(tmpdir(), "speedup-mkdocs-"));
  cpSync(join(SITES, "mkdocs"), work, { recursive: true });
  const [config] = blocksFor(lab, "mkdocs", "experiment=perfect");
  const site = siteUrl ? `site_url: ${siteUrl}\n` : "";
  writeFileSync(join(work, "mkdocs.yml"), `${readFileSync(join(work, "mkdocs.yml"), "utf8")}${site}\n${config}\n`);
  fillPages(join(work, "docs"), lab, "mkdocs");
  run(
    MKDOCS,
    ["build", "--strict", "-q", "-d", out],
    work,
    `MkDocs Material is not installed (${MKDOCS}): run \`${SETUP}\` (a virtualenv with mkdocs-material from PyPI).`,
  );
  return out;
}

/** Build the MyST site (`myst build --html`) against the lab at `lab`; returns the site's folder. */
export function buildMyst(lab, _out, _siteUrl) {
  const work = mkdtempSync(join(tmpdir(), "speedup-myst-"));
  cpSync(join(SITES, "myst"), work, { recursive: true });
  fillPages(work, lab, "myst");
  if (process.env.MYST_THEME_DIR) {
    const yml = readFileSync(join(work, "myst.yml"), "utf8");
    writeFileSync(
      join(work, "myst.yml"),
      yml.replace("template: book-theme", `template: ${process.env.MYST_THEME_DIR}`),
    );
  }
  try {
    run(
      MYST,
      ["build", "--html"],
      work,
      `MyST is not installed (${MYST}): run \`npm ci\` (mystmd is a devDependency).`,
    );
  } catch (error) {
    if (/api\.mystmd\.org|ENOTFOUND|template/i.test(error.message)) {
      throw new Error(
        `${error.message}\nmyst could not fetch its book theme: give it network access, or build the theme and set MYST_THEME_DIR (${SETUP} --myst-theme).`,
      );
    }
    throw error;
  }
  return join(work, "_build", "html");
}
