/**
 * What a reader's program must not reach from a python Worker: taken from the Worker's scope
 * once its interpreter is up and before the program runs (python.worker.js calls `lockdown`).
 */
/** Kept before `lockdown` removes it from the scope: the service-worker rung's channel needs it. */
export const XHR = self.XMLHttpRequest;

/**
 * What a reader's program must not reach from this Worker, which runs with the page's origin
 * (an author's article, once the card is embedded): requests that carry the origin's cookies,
 * its storage, channels its pages listen on, more Workers. Removed from the Worker's scope (and
 * its prototypes) once the interpreter is up and before the program runs, so that `js.fetch`,
 * `js.indexedDB`… are simply not there (an AttributeError in Python). Code from a string is
 * refused too — `eval`, the Function constructors, a string given to setTimeout — because a
 * dynamic `import()` in such code would be a credentialed request to the origin (no CSP applies
 * to a Worker the author's static host serves). What stays: `postMessage` to the page, whose every
 * message the page checks (messages.js), and computing.
 */
const REMOVED = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebTransport",
  "EventSource",
  "indexedDB",
  "caches",
  "BroadcastChannel",
  "importScripts",
  "Worker",
  "SharedWorker",
  "cookieStore",
  "eval",
];
const REMOVED_FROM_NAVIGATOR = ["storage", "serviceWorker", "locks", "sendBeacon"];

function remove(target, name) {
  for (let o = target; o; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) delete o[name];
  }
  if (name in target) Object.defineProperty(target, name, { value: undefined, configurable: false });
}

/** A Function constructor that makes nothing: `Function("…")`, `new Function`, and the same from
 * a function's `.constructor` (async and generator kinds too). `instanceof Function` still works. */
function refuseCodeFromStrings() {
  const refuse = () => {
    throw new EvalError("the lab's Python Workers run no JavaScript made from a string");
  };
  const kinds = [() => {}, async () => {}, function* () {}, async function* () {}];
  for (const kind of kinds) {
    const proto = Object.getPrototypeOf(kind);
    const refusing = new Proxy(proto.constructor, { apply: refuse, construct: refuse });
    Object.defineProperty(proto, "constructor", { value: refusing, writable: false, configurable: false });
    if (proto === Function.prototype) {
      Object.defineProperty(self, "Function", { value: refusing, writable: false, configurable: false });
    }
  }
  for (const name of ["setTimeout", "setInterval"]) {
    const schedule = self[name].bind(self);
    const onlyFunctions = (handler, ...rest) => (typeof handler === "function" ? schedule(handler, ...rest) : refuse());
    Object.defineProperty(self, name, { value: onlyFunctions, writable: false, configurable: false });
  }
}

export function lockdown() {
  for (const name of REMOVED) remove(self, name);
  refuseCodeFromStrings();
  // On the navigator object itself (its prototype's accessors stay, unreachable behind it).
  const nav = self.navigator;
  for (const name of REMOVED_FROM_NAVIGATOR) {
    if (name in nav) Object.defineProperty(nav, name, { value: undefined, configurable: false });
  }
}
