// A small Docusaurus site (the classic preset) that embeds lessons with the documented recipe
// (EMBEDDING.md, "Docusaurus"): tests/sites/build-docusaurus.mjs copies this folder, replaces the
// {{EMBED docusaurus}} comment below with the recipe's configuration line and each {{EMBED …}} in
// docs/ with the recipe's page block, taken from www/share/recipes.js (the Embed dialog's own
// text).
export default {
  title: "Parallelism, a tutorial (Docusaurus)",
  url: "https://docs.example", // only for the sitemap and meta tags: the tests serve it elsewhere
  baseUrl: "/",
  favicon: "data:,", // none: a browser would ask for /favicon.ico, and the tests count a 404 as a problem
  onBrokenLinks: "throw",
  // {{EMBED docusaurus}}
  presets: [
    [
      "classic",
      {
        docs: { routeBasePath: "/" },
        blog: false,
      },
    ],
  ],
};
