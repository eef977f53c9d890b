/**
 * Builds the Hugo site of tests/sites/hugo/ from the documented recipe: the recipe's shortcode
 * file becomes layouts/shortcodes/speedup-lab.html, and each {{EMBED …}} in content/ the recipe's
 * shortcode call — the text of www/share/recipes.js, which the Embed dialog shows. The generator
 * is the `hugo` on PATH (scripts/setup-sites.sh installs Debian's package).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { blocksFor, fillPages, run, SETUP, SITES, Unavailable, unavailable } from "./build.mjs";

/** The `hugo` on PATH, or plain "hugo" (not found: run() then fails with how to install it). */
export function hugoBinary() {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  return dirs.map((d) => join(d, "hugo")).find((f) => existsSync(f)) ?? "hugo";
}

/** Build the site against the lab at `lab` (ends with "/") into `out`, served at `siteUrl`; returns `out`. */
export async function buildHugo(lab, out = mkdtempSync(join(tmpdir(), "speedup-hugo-site-")), siteUrl = "/") {
  const hugo = hugoBinary();
  const why = unavailable("hugo");
  if (why && !existsSync(hugo)) throw new Unavailable(why);
  const work = mkdtempSync(join(tmpdir(), "speedup-hugo-"));
  cpSync(join(SITES, "hugo"), work, { recursive: true });
  const [shortcode] = blocksFor(lab, "hugo", "experiment=perfect");
  mkdirSync(join(work, "layouts", "shortcodes"), { recursive: true });
  writeFileSync(join(work, "layouts", "shortcodes", "speedup-lab.html"), `${shortcode}\n`);
  fillPages(join(work, "content"), lab, "hugo");
  try {
    await run(
      hugo,
      ["--quiet", "--baseURL", siteUrl, "--destination", out, "--cacheDir", join(work, ".cache")],
      work,
      `Hugo is not installed (no hugo on PATH): run \`${SETUP}\` (Debian's hugo package).`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
