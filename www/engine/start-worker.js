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
 * Worker from the lab's URL is refused there. Chromium refuses a *module* Worker from a blob
 * there too, so such a frame starts a classic one that imports the module dynamically
 * (`classicBootstrap`).
 */
export function startWorker(url, name) {
  const target = new URL(url); // absolute: each caller makes it from its own module URL
  if (target.origin === self.origin) {
    return new Worker(target, { type: "module", name });
  }
  const opaque = self.origin === "null";
  const source = opaque ? classicBootstrap(target.href) : `import ${JSON.stringify(target.href)};`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(blobUrl, { type: opaque ? "classic" : "module", name });
  // The worker has fetched its source once it posts anything; revoke a little later.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 30_000);
  return worker;
}

/**
 * A classic Worker's source that loads module `href` with a dynamic import, for an opaque-origin
 * document. Unlike a static import, the worker starts taking messages before the module has run,
 * so they are held and handed on, in order, once it has (its listeners are set by then).
 */
function classicBootstrap(href) {
  return `const held = [];
const hold = (event) => held.push(event);
addEventListener("message", hold);
import(${JSON.stringify(href)}).then(() => {
  removeEventListener("message", hold);
  for (const e of held) dispatchEvent(new MessageEvent("message", { data: e.data, ports: [...e.ports] }));
}, (error) => {
  setTimeout(() => { throw error; });
});`;
}
