/*
 * Settings for the service-worker fallback, loaded just before it. The fallback is the npm
 * package `coi-serviceworker` (pinned in package.json, copied beside index.html by
 * scripts/vendor.mjs): on a host that cannot send COOP/COEP, it registers itself as a service worker
 * that re-serves this site's responses with those headers, so that after one reload the page is
 * cross-origin isolated and the threads engine runs. Where service workers are unavailable or
 * blocked, nothing happens and the processes engine runs. A classic script (no inline code: the
 * pages' CSP allows none).
 *
 * What we change from its defaults, and why:
 *  - `coepCredentialless: false`: always COEP `require-corp`, in every browser. The lab loads
 *    nothing from other origins, so `credentialless` gains nothing, and WebKit does not support it.
 *  - `doReload`: reload only once the worker is active (`navigator.serviceWorker.ready`), and at
 *    most twice in 30 s until a load comes back isolated (session storage, see `key` below). The
 *    library reloads as soon as the worker is *found*; a navigation that starts before the worker
 *    is active is not controlled, so the reloaded page could stay unisolated. And where the
 *    worker cannot help, two reloads (then none for 30 s) are all it costs.
 *  - `quiet`: no console output; the page itself says which engine runs and why.
 *  - `shouldRegister`: top-level pages only. A frame is cross-origin isolated only when the page
 *    around it is, which a worker in the frame cannot change; in WebKitGTK such a worker even
 *    broke the frame's own loads ("Load failed" for the lab's wasm). A same-origin frame in a
 *    page the worker already isolated is controlled by that worker anyway.
 *  - A page the worker already controls that still came back without isolation (a reload in
 *    Chromium and in Firefox ESR sometimes does) is reloaded once more here, a second after it
 *    loaded or after the worker claimed it: the library only reloads an uncontrolled page. An
 *    isolated load forgets the reloads, so a later one may reload too.
 *  - `?service-worker=remove` in the page's URL unregisters the lab's worker from this browser
 *    (only the lab's: the registration of this folder whose script is the lab's worker, never an
 *    author's own worker of the same origin) and registers nothing on that load; the page says
 *    so. EMBEDDING.md says how an author removes it for every reader (a self-removing worker at
 *    the same URL). The worker itself touches only the lab's files (www/vendor-src/coi-scope.js).
 */
(() => {
  // The reloads this tab made for isolation, as times. Not one "reloaded" flag: session storage
  // is not one place across an isolated page and an unisolated one (Chromium swaps the browsing
  // context group on COOP, with a copy of the storage), so an isolated load's "forget it" did not
  // reach the unisolated page after it, which then never reloaded (seen under WebDriver). At most
  // MAX_RELOADS in RELOAD_WINDOW_MS, whatever each copy says: no loop where the worker cannot help.
  const key = "speedup-lab:coi-reloads";
  const MAX_RELOADS = 2;
  const RELOAD_WINDOW_MS = 30_000;
  /** How long a page that came back unisolated waits before its reload (see below). */
  const RETRY_AFTER_MS = 1000;
  if (window.crossOriginIsolated) {
    // Isolated: forget the reloads, so that a later load that comes back without isolation
    // (a reload in Chromium sometimes does, though the worker still controls the page) may
    // reload again instead of staying on the processes engine for the whole session.
    try {
      sessionStorage.removeItem(key);
    } catch {
      // storage blocked: nothing to forget
    }
  }
  /** This tab's recent reloads for isolation, or null without session storage. */
  const recentReloads = () => {
    try {
      const times = JSON.parse(sessionStorage.getItem(key) ?? "[]");
      return Array.isArray(times) ? times.filter((t) => Date.now() - t < RELOAD_WINDOW_MS) : [];
    } catch {
      return null;
    }
  };
  // no session storage (a sandboxed frame): never risk a reload loop
  const reloadedBefore = () => (recentReloads() ?? [0, 0]).length >= MAX_RELOADS;
  let asked = false; // the library may ask twice (worker found, then active): reload once
  const reload = () => {
    sessionStorage.setItem(key, JSON.stringify([...(recentReloads() ?? []), Date.now()]));
    location.reload();
  };
  const topLevel = window === window.top;
  if (self.origin === "null") {
    // A frame sandboxed without allow-same-origin (WordPress's oEmbed frames): there is no
    // service worker to have, and merely reading navigator.serviceWorker throws, which the
    // fallback does at once. Hide the property, so the fallback sees none and does nothing.
    Object.defineProperty(navigator, "serviceWorker", { value: undefined });
    return;
  }
  const removing = new URLSearchParams(location.search).get("service-worker") === "remove";
  if (removing) removeWorker();
  if (topLevel && !removing && !window.crossOriginIsolated && navigator.serviceWorker) {
    // A page the worker controls that came back without isolation: reloaded, a second later.
    // Decided then, not now: Chromium let a reload past the worker (no workerStart, no headers)
    // and the worker claimed the page only after it had loaded, so at this point nothing said
    // "controlled", and the library, which reloads only an uncontrolled page, saw a controlled one
    // by the time it looked (seen under WebDriver, a reload 1–4 s after an isolated load). A
    // second later the navigation goes through the worker.
    const retry = () => {
      if (asked || window.crossOriginIsolated || !navigator.serviceWorker.controller || reloadedBefore()) return;
      asked = true;
      reload();
    };
    setTimeout(retry, RETRY_AFTER_MS);
    // claimed later than that: a second after the claim
    navigator.serviceWorker.addEventListener("controllerchange", () => setTimeout(retry, RETRY_AFTER_MS));
  }
  window.coi = {
    quiet: true,
    shouldRegister: () => topLevel && !removing,
    coepCredentialless: () => false,
    doReload: () => {
      if (asked || removing || reloadedBefore()) return;
      asked = true;
      // Once the worker is active, every navigation goes through it. Not "on controllerchange":
      // a page loaded past an already active worker (Firefox ESR's reload under WebDriver) is
      // never claimed, so that event would never come.
      navigator.serviceWorker.ready.then(reload);
    },
  };

  /** Unregister the lab's worker (this folder's, with the lab's script), then say what happened. */
  async function removeWorker() {
    const scope = new URL("./", location.href).href;
    const script = new URL("coi-serviceworker.min.js", scope).href;
    let said;
    try {
      const found = (await navigator.serviceWorker?.getRegistrations()) ?? [];
      const ours = found.filter(
        (r) => r.scope === scope && [r.active, r.waiting, r.installing].some((w) => w?.scriptURL === script),
      );
      await Promise.all(ours.map((r) => r.unregister()));
      said = ours.length
        ? "The lab's service worker is removed from this browser. Pages of this site load without it from now on; opening the lab again without ?service-worker=remove registers it again."
        : "No service worker of the lab is registered in this browser.";
    } catch (error) {
      said = `The lab's service worker could not be removed: ${error.message}`;
    }
    const line = document.createElement("p");
    line.className = "status-line";
    line.id = "service-worker-removal";
    line.setAttribute("role", "status");
    line.textContent = said;
    const show = () => (document.querySelector("header.page") ?? document.body).append(line);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show, { once: true });
    else show();
  }
})();
