/**
 * Builds the small test sites of tests/sites/ with the real generators, from the documented
 * recipes: each `{{EMBED [recipe] <settings>}}` in a page becomes the page block of that recipe
 * (default: the tool's own) for those settings, and MkDocs' configuration block is appended to
 * mkdocs.yml — the very text of www/share/recipes.js, which the Embed dialog shows.
 *
 * Generators: MkDocs Material from PyPI in a virtualenv at tests/sites/.venv (scripts/setup-sites.sh
 * makes it), and MyST from the npm `mystmd` (a devDependency). MyST's book theme is fetched by
 * `myst build --html` itself from api.mystmd.org and GitHub (buildMystTheme); where they cannot be
 * reached, point MYST_THEME_DIR at a built copy. buildMyst needs no network: mystmd's own AST of the
 * page, shown with myst-theme's own anywidget renderer (npm @myst-theme/anywidget). A missing
 * generator fails with the command that installs it.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/site.mjs";
import * as core from "../../www/pkg/plain/speedup_lab.js";
import { recipes } from "../../www/share/recipes.js";

export const SITES = join(ROOT, "tests", "sites");
export const VENV = process.env.SITES_VENV ?? join(SITES, ".venv");
const MKDOCS = join(VENV, "bin", "mkdocs");
const MYST = join(ROOT, "node_modules", ".bin", "myst");
export const SETUP = "bash scripts/setup-sites.sh";

/**
 * Why scripts/setup-sites.sh could not install a host's generator on this machine (its packages
 * could not be had: no apt-get, no registry), as it wrote it in tests/sites/.unavailable/<tool>;
 * null if it did not say. The tests skip that host with this sentence rather than fail.
 */
export function unavailable(tool) {
  const file = join(SITES, ".unavailable", tool);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

/** A build that cannot run here because its packages could not be had: the test skips with `reason`. */
export class Unavailable extends Error {
  constructor(reason) {
    super(reason);
    this.skip = reason;
  }
}

/**
 * Every attribute the element reads, as the Embed dialog has them (`SpeedupLab.attributeNames()`:
 * the core's table, core-loader.js), so that Hugo's shortcode file is the dialog's very text.
 */
let names = null;
function attributeNames() {
  if (!names) {
    core.initSync({ module: readFileSync(join(ROOT, "www", "pkg", "plain", "speedup_lab_bg.wasm")) });
    names = ["experiment", ...core.limits(10, 2).params.map((p) => p.attr), "engine", "autorun", "theme"];
  }
  return names;
}

/** The blocks of recipe `recipeId` for the settings in `query` (a URL query string). */
export function blocksFor(lab, recipeId, query) {
  const settings = [...new URLSearchParams(query)];
  const recipe = recipes(lab, settings, attributeNames()).find((r) => r.id === recipeId);
  if (!recipe) throw new Error(`no recipe "${recipeId}"`);
  return recipe.blocks.map((b) => b.text);
}

/** Replace each {{EMBED [recipe] settings}} in the Markdown (and MDX) files below `dir`; the last block of a recipe is its page block. */
export function fillPages(dir, lab, tool) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) fillPages(file, lab, tool);
    else if (/\.mdx?$/.test(name)) {
      const text = readFileSync(file, "utf8").replace(/\{\{EMBED (?:([a-z]+) )?([^}]+)\}\}/g, (_, recipe, query) =>
        blocksFor(lab, recipe ?? tool, query.trim()).at(-1),
      );
      writeFileSync(file, text);
    }
  }
}

/**
 * Run a generator. Asynchronously: myst fetches the anywidget module from the lab while it builds,
 * and the lab's test server may live in this very process.
 */
export function run(command, args, cwd, missing, env = {}) {
  if (!existsSync(command)) return Promise.reject(new Error(missing));
  return new Promise((resolve, reject) => {
    const options = { cwd, encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, ...env } };
    execFile(command, args, options, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed:\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/**
 * Build the MkDocs Material site against the lab at `lab` (ends with "/") into `out`, for serving
 * at `siteUrl` (Material's instant navigation needs `site_url`); returns `out`.
 */
export async function buildMkdocs(lab, out = mkdtempSync(join(tmpdir(), "speedup-mkdocs-site-")), siteUrl = "") {
  const work = mkdtempSync(join(tmpdir(), "speedup-mkdocs-"));
  cpSync(join(SITES, "mkdocs"), work, { recursive: true });
  const [config] = blocksFor(lab, "mkdocs", "experiment=perfect");
  const site = siteUrl ? `site_url: ${siteUrl}\n` : "";
  writeFileSync(join(work, "mkdocs.yml"), `${readFileSync(join(work, "mkdocs.yml"), "utf8")}${site}\n${config}\n`);
  fillPages(join(work, "docs"), lab, "mkdocs");
  await run(
    MKDOCS,
    ["build", "--strict", "-q", "-d", out],
    work,
    `MkDocs Material is not installed (${MKDOCS}): run \`${SETUP}\` (a virtualenv with mkdocs-material from PyPI).`,
  );
  return out;
}

function mystWork(lab) {
  const work = mkdtempSync(join(tmpdir(), "speedup-myst-"));
  cpSync(join(SITES, "myst"), work, { recursive: true });
  fillPages(work, lab, "myst");
  return work;
}

const NO_MYST = `MyST is not installed (${MYST}): run \`npm ci\` (mystmd is a devDependency).`;

/**
 * The MyST page without the book theme, which `myst` fetches from the network: mystmd builds the
 * page's AST (`myst build --site`, offline), and tests/sites/myst-page.mjs shows it with
 * myst-theme's own anywidget renderer. Written into `out`; returns `out`.
 */
export async function buildMyst(lab, out = mkdtempSync(join(tmpdir(), "speedup-myst-site-"))) {
  const work = mystWork(lab);
  const yml = readFileSync(join(work, "myst.yml"), "utf8");
  writeFileSync(join(work, "myst.yml"), yml.replace("template: book-theme", "template: ./offline-theme"));
  const log = await run(MYST, ["build", "--site"], work, NO_MYST);
  if (log.includes("⛔️")) throw new Error(`myst build --site reported errors:\n${log}`);
  // The page's AST, and the assets myst saved for it (it copies a remote anywidget module here).
  cpSync(join(work, "_build", "site", "content"), join(out, "content"), { recursive: true });
  cpSync(join(work, "_build", "site", "public"), out, { recursive: true });
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(SITES, "myst-page.mjs")],
    bundle: true,
    format: "esm",
    target: "es2022",
    outfile: join(out, "app.js"),
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MyST page</title><link rel="icon" href="data:,">
<style>body{font:17px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}</style>
<script type="module" src="app.js"></script></head><body><main id="article"></main></body></html>\n`,
  );
  return out;
}

/**
 * The MyST site with its book theme (`myst build --html`), into `out`. `myst` fetches the theme from
 * api.mystmd.org and GitHub; MYST_THEME_DIR points it at a built copy instead.
 */
export async function buildMystTheme(lab, out = mkdtempSync(join(tmpdir(), "speedup-myst-html-"))) {
  const work = mystWork(lab);
  if (process.env.MYST_THEME_DIR) {
    const yml = readFileSync(join(work, "myst.yml"), "utf8");
    writeFileSync(
      join(work, "myst.yml"),
      yml.replace("template: book-theme", `template: ${process.env.MYST_THEME_DIR}`),
    );
  }
  try {
    await run(MYST, ["build", "--html"], work, NO_MYST);
  } catch (error) {
    if (/api\.mystmd\.org|ENOTFOUND|template/i.test(error.message)) {
      throw new Error(
        `${error.message}\nmyst could not fetch its book theme: give it network access (api.mystmd.org, github.com), or point MYST_THEME_DIR at a built theme; SKIP_MYST_THEME=1 skips this test.`,
      );
    }
    throw error;
  }
  cpSync(join(work, "_build", "html"), out, { recursive: true });
  return out;
}
