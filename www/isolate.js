/*
 * Service-worker fallback for static hosts that cannot send COOP/COEP headers (the approach of
 * the npm `coi-serviceworker`, written out here): when the page is not cross-origin isolated,
 * register coi-sw.js (beside index.html, so its scope is the whole site without a
 * Service-Worker-Allowed header — which such a host could not send either), which re-serves this site's own responses with the isolation headers,
 * and reload once. Where service workers are unavailable (or blocked), nothing happens and the
 * lab runs the processes engine. A classic script, loaded before the modules; no inline code.
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
    return;
  }
  if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
  const swUrl = new URL("../coi-sw.js", document.currentScript.src);
  navigator.serviceWorker
    .register(swUrl)
    .then((registration) => {
      // Reload once the worker controls the page; a second failure means it cannot help.
      if (sessionStorage.getItem(key)) return;
      const reload = () => {
        sessionStorage.setItem(key, "1");
        location.reload();
      };
      if (navigator.serviceWorker.controller) reload();
      else navigator.serviceWorker.addEventListener("controllerchange", reload, { once: true });
      registration.active?.postMessage?.("claim");
    })
    .catch(() => {
      // Blocked or failed: the processes engine runs instead, and the page says so.
    });
})();
