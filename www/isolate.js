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
 *    most once until a load comes back isolated (session storage). The library reloads as soon
 *    as the worker is *found*; a navigation that starts before the worker is active is not
 *    controlled, so the reloaded page could stay unisolated. And where the worker cannot help,
 *    one reload is all it costs.
 *  - `quiet`: no console output; the page itself says which engine runs and why.
 *  - `shouldRegister`: top-level pages only. A frame is cross-origin isolated only when the page
 *    around it is, which a worker in the frame cannot change; in WebKitGTK such a worker even
 *    broke the frame's own loads ("Load failed" for the lab's wasm). A same-origin frame in a
 *    page the worker already isolated is controlled by that worker anyway.
 *  - A page the worker already controls that still came back without isolation (a reload in
 *    Chromium and in Firefox ESR sometimes does) is reloaded once more here: the library only
 *    reloads an uncontrolled page. An isolated load forgets the reload, so a later one may too.
 */
(() => {
  const key = "speedup-lab:coi-reloaded";
  if (window.crossOriginIsolated) {
    // Isolated: forget the reload, so that a later load that comes back without isolation
    // (a reload in Chromium sometimes does, though the worker still controls the page) may
    // reload once more instead of staying on the processes engine for the whole session.
    try {
      sessionStorage.removeItem(key);
    } catch {
      // storage blocked: nothing to forget
    }
  }
  const reloadedBefore = () => {
    try {
      return sessionStorage.getItem(key) !== null;
    } catch {
      return true; // no session storage (a sandboxed frame): never risk a reload loop
    }
  };
  let asked = false; // the library may ask twice (worker found, then active): reload once
  const reload = () => {
    sessionStorage.setItem(key, "1");
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
  if (topLevel && !window.crossOriginIsolated && navigator.serviceWorker?.controller && !reloadedBefore()) {
    asked = true;
    reload();
  }
  window.coi = {
    quiet: true,
    shouldRegister: () => topLevel,
    coepCredentialless: () => false,
    doReload: () => {
      if (asked || reloadedBefore()) return;
      asked = true;
      // Once the worker is active, every navigation goes through it. Not "on controllerchange":
      // a page loaded past an already active worker (Firefox ESR's reload under WebDriver) is
      // never claimed, so that event would never come.
      navigator.serviceWorker.ready.then(reload);
    },
  };
})();
