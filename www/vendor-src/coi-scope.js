/*
 * The lab's part of `coi-serviceworker.min.js`: a fetch filter that scripts/vendor.mjs puts in
 * front of the npm `coi-serviceworker` (0.1.7, unchanged), so that the worker adds COOP/COEP/CORP
 * to the lab's own files and to nothing else of the origin.
 *
 * Why: a service worker controls every page at or below its folder, and the library must sit
 * beside index.html (the pages are at the site's top, and a host that cannot send isolation
 * headers cannot send `Service-Worker-Allowed` either). With dist/ at an origin's root, that is
 * every page of the origin: after one visit to the lab, the author's /blog/post.html would come
 * back cross-origin isolated, and its cross-origin images, embeds and sign-in pop-ups would break.
 *
 * Why a filter, and not the alternatives:
 *  - a narrower registration scope cannot work: scopes are URL prefixes, and the lab is reached
 *    at its folder's own URL (`/`), whose prefix is everything below it; the library registers
 *    with no scope anyway;
 *  - the worker in a folder (www/) could not control index.html and embed.html above it;
 *  - so the worker keeps its URL and scope, and this listener, registered before the library's,
 *    stops the fetch event (`stopImmediatePropagation`) for every URL that is not one of the
 *    lab's files: the library's listener never sees it, nobody calls `respondWith`, and the
 *    browser fetches it exactly as if there were no worker (no header added, nothing changed).
 *    The lab's files (its pages, the worker itself, www/) go on to the library, which does the
 *    header work as before. An author's page in scope is still a client of the worker, but
 *    every one of its requests passes through untouched (tested in
 *    tests/browser/service-worker.test.mjs).
 *  - the URL stays `coi-serviceworker.min.js`, so a browser that registered the unfiltered worker
 *    on an earlier visit gets this one at its next update check (a byte change at the same URL).
 *
 * `LAB_PATHS` is filled in by scripts/vendor.mjs from scripts/lib/site.mjs (the site's files,
 * the one list the server and dist/ follow too): paths below the worker's scope; one ending in
 * "/" is a folder, "" is the folder's own URL (index.html). The page side (registration, reload,
 * removal with `?service-worker=remove`) is the library's and www/isolate.js's.
 */
((labPaths) => {
  if (typeof window !== "undefined") return; // loaded by a page: nothing to do here
  const scope = new URL(self.registration.scope);
  /** Is `url` one of the lab's own files, below this worker's scope? */
  const forTheLab = (url) => {
    const u = new URL(url);
    if (u.origin !== scope.origin || !u.pathname.startsWith(scope.pathname)) return false;
    const path = u.pathname.slice(scope.pathname.length);
    return labPaths.some((p) => (p.endsWith("/") ? path.startsWith(p) : path === p));
  };
  self.addEventListener("fetch", (event) => {
    if (!forTheLab(event.request.url)) event.stopImmediatePropagation();
  });
})(LAB_PATHS);
