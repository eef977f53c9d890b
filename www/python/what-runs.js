/**
 * The python card's "What runs here, and how close to CPython": the API the lab's multiprocessing
 * has, what differs from CPython, and the conformance table's summary (`npm run conformance`
 * writes www/python/conformance.json beside this module). The summary is fetched when the reader
 * opens the disclosure, never before (a card costs nothing until asked).
 */
import { disclosure } from "../ui/details.js";
import { h } from "../ui/dom.js";

const SUMMARY_URL = new URL("./conformance.json", import.meta.url);

const API =
  "multiprocessing: Process (start, join with timeout, is_alive, exitcode, terminate, kill, interrupt, sentinel, subclasses, names, pids), signals between processes (os.kill), Pool (map, starmap, imap, imap_unordered, the _async forms with callbacks, apply, initializer, maxtasksperchild), Queue, SimpleQueue, JoinableQueue, Pipe, Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Value, Array (any ctypes type, Structures too), Manager (dict, list, Namespace), connection.wait, get_context('spawn'); concurrent.futures: ProcessPoolExecutor, wait, as_completed.";
const DIFFERS = [
  "Every process is a Web Worker with its own interpreter, started as under CPython's spawn. A program without an if __name__ == \"__main__\": guard still runs, as the guide's author ran it under Linux's fork; under spawn (macOS, Windows, and Linux since 3.14's forkserver default) CPython stops it with a RuntimeError.",
  '"fork" and "forkserver" raise CPython\'s ValueError for a method the platform lacks.',
  "Queues, locks, events and pipes live on the page: correct across processes, slower than CPython's. Value and Array are real shared memory on the lab's page (SharedArrayBuffer), page objects in an article.",
  "A signal (os.kill, Process.interrupt) reaches a process where it next waits or sleeps, not in the middle of a computation.",
  "Each process has its own file system: files travel to a child at start() and back to the parent when the child ends.",
  "ThreadPoolExecutor runs each call in submit(): the interpreter here has no threads.",
  "No sockets (Listener, Client), no shared_memory module.",
];

function table(summary) {
  const rows = [];
  for (const { place, groups } of summary.places) {
    for (const g of groups) {
      const counted = g.pass + g.fail + g.error + g.hang;
      rows.push(
        h(
          "tr",
          {},
          h("td", { text: g.group }),
          h("td", { text: place }),
          h("td", { text: counted ? `${g.pass} of ${counted} (${Math.round((100 * g.pass) / counted)} %)` : "—" }),
          h("td", { text: String(g.excluded) }),
        ),
      );
    }
  }
  return h(
    "table",
    { class: "py-conformance" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { text: "group" }),
        h("th", { text: "where" }),
        h("th", { text: "passed" }),
        h("th", { text: "excluded" }),
      ),
    ),
    h("tbody", {}, rows),
  );
}

/** The disclosure; `state` keeps its open state across the card's renders. */
export function whatRunsHere(state) {
  const results = h("div", { class: "py-conformance-box" });
  const el = disclosure(
    "What runs here, and how close to CPython",
    [
      h("p", { class: "py-note", text: API }),
      h(
        "ul",
        { class: "py-note" },
        DIFFERS.map((text) => h("li", { text })),
      ),
      results,
    ],
    { state, className: "py-what-runs" },
  );
  let loaded = false;
  el.addEventListener("toggle", () => {
    if (!el.open || loaded) return;
    loaded = true;
    results.replaceChildren(h("p", { class: "py-note", text: "Loading the conformance table…" }));
    fetch(SUMMARY_URL)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((summary) =>
        results.replaceChildren(
          h("p", {
            class: "py-note",
            text: `CPython's own tests (${summary.tests}), run on this multiprocessing in real browsers on ${summary.generated} (npm run conformance; excluded: tests that need threads in the test's own process, sockets, fork or a subprocess):`,
          }),
          table(summary),
        ),
      )
      .catch((error) => {
        loaded = false;
        results.replaceChildren(
          h("p", { class: "py-note", text: `The conformance table could not load (${error.message}).` }),
        );
      });
  });
  return el;
}
