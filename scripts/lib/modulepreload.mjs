/**
 * `<link rel="modulepreload">` for every module a page imports statically, written into dist/'s
 * pages by scripts/dist.mjs. Why: a browser discovers a module's imports only once it has
 * fetched and parsed it, so a page of some 30 small modules loads in as many round trips as its
 * import graph is deep (about 6 here); with the whole list in the page's head they are fetched
 * at once. Dynamic `import()`s and Worker scripts are left out on purpose: they load on a Run
 * (nothing starts before Run), and a preloaded Worker script would be fetched for nothing.
 * The page's plain wasm (its small core, loaded before any card is drawn) is preloaded too.
 */
import { readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";

/** Static import specifiers of an ES module's source (`import … from`, `import "…"`, `export … from`). */
export function staticImports(source) {
  const found = [];
  const re = /(?:^|[;\n])\s*(?:import|export)\s+(?:[^'"();]*?\s+from\s+)?["']([^"']+)["']/g;
  for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

/** Every module reachable from `entry` (a path under `root`) by static imports, entry first. */
export function moduleGraph(root, entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue; // bare or absolute: none in the lab
      walk(join(dirname(file), spec));
    }
  };
  walk(join(root, entry));
  return [...seen].map((f) => relative(root, f).split(sep).join(posix.sep));
}

/**
 * `html` with a modulepreload link for each module of `entry`'s graph (but the entry, which the
 * page's own script tag loads), and a preload of `wasm`, inserted before the entry's script tag.
 */
export function withPreloads(html, root, entry, wasm) {
  const tag = `<script type="module" src="${entry}"></script>`;
  if (!html.includes(tag)) throw new Error(`modulepreload: no ${tag} in the page`);
  const modules = moduleGraph(root, entry).slice(1);
  const links = [
    ...modules.map((m) => `<link rel="modulepreload" href="${m}" />`),
    `<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin />`,
  ];
  return html.replace(tag, `${links.join("\n    ")}\n    ${tag}`);
}
