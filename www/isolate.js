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
 *  - `doReload`: reload only once the worker controls this page (its `activate` claims it), and at
 *    most once per tab session. The library reloads as soon as the worker is *found*; a navigation
 *    that starts before the worker is active is not controlled, so the reloaded page could stay
 *    unisolated. And where the worker cannot help (a third-party frame in a browser that cannot
 *    isolate frames), one reload is all it costs.
 *  - `quiet`: no console output; the page itself says which engine runs and why.
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
  window.coi = {
    quiet: true,
    coepCredentialless: () => false,
    doReload: () => {
      if (asked || reloadedBefore()) return;
      asked = true;
      if (navigator.serviceWorker.controller) reload();
      else navigator.serviceWorker.addEventListener("controllerchange", reload, { once: true });
    },
  };
})();
