/**
 * embed.html: one lesson in an iframe. URL parameters become the card's attributes (as strings,
 * through setAttribute: nothing reaches markup), and the frame talks to its parent with typed
 * messages:
 *   out: {type: "speedup-lab:resize", frame, height}, {type: "speedup-lab:done", frame, trace},
 *        {type: "speedup-lab:error", frame, message}, {type: "speedup-lab:progress", frame, ...}
 *   in:  {type: "speedup-lab:run"} and {type: "speedup-lab:cancel"}, accepted only from the
 *        parent window itself.
 * Outgoing messages carry no secret (sizes, traces), so they go to any parent origin ("*"),
 * unless `parent-origin` is given; the parent's snippet checks `event.source` (EMBEDDING.md).
 */
import { coreLoaded, PARAMS } from "./widget/core-loader.js";
import { clipSetting, setSetting } from "./widget/set-setting.js";
import "./widget/speedup-lab.js";

// The core's table comes the one way the widget gets it (core-loader.js): a second, static import
// of the same modules let WebKit resolve the widget's import before they had evaluated.
await coreLoaded;

// The card's own attribute list: its parameters come from the core's table (src/limits.rs).
const ATTRS = await customElements.get("speedup-lab").attributeNames();
const params = new URLSearchParams(location.search);
const frame = clipSetting(params.get("frame") ?? "");
/** The parent's origin, normalised (`https://Blog.example:443/` → `https://blog.example`); "*" if
 * not given. A value that is no origin posts nothing (see tell) and obeys no one. */
const parentOrigin = normalOrigin(params.get("parent-origin"));

function normalOrigin(value) {
  if (value === null) return "*";
  try {
    const origin = new URL(value).origin;
    return origin === "null" ? "invalid:" : origin;
  } catch {
    return "invalid:";
  }
}

const card = document.createElement("speedup-lab");
for (const name of ATTRS) {
  const value = params.get(name);
  if (value !== null) setSetting(card, name, value);
}
if (!params.has("experiment")) card.setAttribute("experiment", "");

const inFrame = window.parent !== window;

/**
 * A link opened on its own (not framed by an article) may start a run by itself only when it asks
 * for no more work than the lesson's own sizes: otherwise anyone could send a link that starts
 * minutes of work in the reader's browser. Each size the link sets is compared with the
 * core's initial value (src/limits.rs); `workers` and `chunksize` change how, not how much.
 */
function linkAsksForMoreThanDefaults() {
  return Object.values(PARAMS).some((p) => {
    if (p.key === "workers" || p.key === "chunksize" || typeof p.initial !== "number") return false;
    const value = params.get(p.attr);
    return value !== null && !(Number(value) <= p.initial);
  });
}
let autorunRefused = false;
if (!inFrame && card.hasAttribute("autorun") && linkAsksForMoreThanDefaults()) {
  card.removeAttribute("autorun");
  autorunRefused = true;
}
function tell(message) {
  if (!inFrame) return;
  try {
    window.parent.postMessage({ ...message, frame }, parentOrigin);
  } catch {
    // A bad parent-origin value: nothing can be told, and nothing breaks.
  }
}

let lastHeight = 0;
function sendHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== lastHeight) {
    lastHeight = height;
    tell({ type: "speedup-lab:resize", height });
  }
}
// Chromium does not run ResizeObserver (or any rendering step) in a cross-origin iframe that is
// off screen, so the height is also sent on load and whenever a run ends.
new ResizeObserver(sendHeight).observe(document.documentElement);
window.addEventListener("load", sendHeight);

card.addEventListener("speedup-lab:done", (e) => {
  sendHeight();
  tell({ type: "speedup-lab:done", trace: e.detail });
});
card.addEventListener("speedup-lab:error", (e) => {
  sendHeight();
  tell({ type: "speedup-lab:error", message: e.detail });
});
card.addEventListener("speedup-lab:progress", (e) =>
  tell({ type: "speedup-lab:progress", done: e.detail.done, total: e.detail.total }),
);

// Listeners first, then the card: a bad experiment is reported while the card connects.
// (replacing embed.html's static line, which is only for a frame where no script of ours runs)
document.getElementById("lesson").replaceChildren(card);
if (autorunRefused) {
  const note = document.createElement("p");
  note.className = "autorun-refused";
  note.textContent =
    "This link asked the lesson to start by itself with sizes larger than its own, so it waits for you: press Run to start it.";
  card.before(note);
}

window.addEventListener("message", (event) => {
  if (!inFrame || event.source !== window.parent) return;
  if (parentOrigin !== "*" && event.origin !== parentOrigin) return;
  const type = event.data?.type;
  if (type === "speedup-lab:run") card.run().catch(() => {});
  else if (type === "speedup-lab:cancel") card.cancel();
});
