/**
 * Start a module Worker from `url`, even when `url` is on another origin.
 *
 * Browsers start Workers only from same-origin URLs. When the lab's widget is loaded by an
 * article on another origin (or runs in a document whose origin is opaque), its files live on
 * another origin: we then start the Worker from a tiny blob that imports the real module (which
 * the lab's server sends with CORS headers). Same-origin URLs are used directly, so a strict
 * CSP without `blob:` still works for self-hosted pages.
 */
export function startWorker(url, name) {
  const target = new URL(url, import.meta.url);
  // `self.origin`, not `location.origin`: a sandboxed frame's origin is opaque ("null") while its
  // location still names the lab's host, and an opaque origin may start Workers only from blobs.
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
