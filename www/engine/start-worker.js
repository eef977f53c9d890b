/**
 * Start a module Worker from `url`, even when `url` is on another origin.
 *
 * Browsers start Workers only from same-origin URLs. When the lab's widget is loaded by an
 * article on another origin, its files live on the lab's host: we then start the Worker from a
 * tiny same-origin blob that imports the real module (which the lab's server sends with CORS
 * headers). Same-origin URLs are used directly, so a strict CSP without `blob:` still works
 * for self-hosted pages.
 *
 * "Same origin" is the document's real origin, `self.origin`, not `location.origin`: in a frame
 * sandboxed with `allow-scripts` only (how WordPress frames an oEmbed from a provider it does not
 * know) the document's origin is opaque ("null") while its location still names the lab, and a
 * Worker from the lab's URL is refused there; the blob (created by the frame, so its own) works.
 */
export function startWorker(url, name) {
  const target = new URL(url, import.meta.url);
  if (target.origin === self.origin) {
    return new Worker(target, { type: "module", name });
  }
  const source = `import ${JSON.stringify(target.href)};`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(blobUrl, { type: "module", name });
  // The worker has fetched its source once it posts anything; revoke a little later.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 30_000);
  return worker;
}
