/**
 * In-page functions for tests/browser/notebooks.test.mjs. inPage sends a function's source, so
 * none closes over anything; those that find a card get deepFind sent beside them, as a card may
 * sit in a shadow root (marimo renders each anywidget in one).
 */
import { runCard } from "./python-checks.mjs";

/**
 * JupyterLab (its application exposed as `window.jupyterapp`): once notebook `path` is open and
 * its kernel idle, run every cell; wait for `count` cards. Returns the kernel's name, each code
 * cell's execution count (a number only if a kernel ran it) and the cards' experiments.
 */
export async function jupyterRunAll(path, count) {
  const until = Date.now() + 150_000;
  const wait = async (ok, what) => {
    while (!ok()) {
      if (Date.now() > until) throw new Error(`JupyterLab: ${what} after 150 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await wait(() => window.jupyterapp, "no application");
  const app = window.jupyterapp;
  await app.restored;
  const find = () => [...app.shell.widgets("main")].find((w) => w.context?.path === path && w.sessionContext);
  await wait(find, `${path} is not open`);
  const panel = find();
  app.shell.activateById(panel.id); // run-all-cells runs the active notebook
  await panel.context.ready;
  await panel.sessionContext.ready;
  await wait(() => panel.sessionContext.session?.kernel?.status === "idle", "the kernel is not idle");
  await app.commands.execute("notebook:run-all-cells");
  const cards = () => panel.node.querySelectorAll("speedup-lab");
  await wait(() => cards().length >= count, `not ${count} cards`);
  await wait(() => panel.content.widgets.every((c) => c.model.executionCount), "cells not run");
  return {
    kernel: panel.sessionContext.session.kernel.name,
    executionCounts: panel.content.widgets.map((c) => c.model.executionCount),
    experiments: [...cards()].map((el) => el.getAttribute("experiment")),
    otherCards: document.querySelectorAll("speedup-lab").length - cards().length,
  };
}

/** JupyterLab: runs `code` in the kernel of notebook `path`; "ok", or the Python error. */
export async function jupyterExecute(path, code) {
  const panel = [...window.jupyterapp.shell.widgets("main")].find((w) => w.context?.path === path);
  const kernel = panel.sessionContext.session.kernel;
  const reply = await kernel.requestExecute({ code, store_history: false }).done;
  return reply.content.status === "ok" ? "ok" : `${reply.content.ename}: ${reply.content.evalue}`;
}

/** Waits for `count` cards anywhere (through shadow roots); their experiments. */
export async function mountedCards(count) {
  const find = () => {
    const out = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.localName === "speedup-lab") out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  };
  const start = Date.now();
  while (find().length < count && Date.now() - start < 150_000) await new Promise((r) => setTimeout(r, 100));
  return find().map((el) => el.getAttribute("experiment"));
}

/**
 * The first element matching `selector` in the document or any shadow root below it (by
 * querySelectorAll and matches only: runCardDeep puts this behind document.querySelector).
 */
function deepFind(selector) {
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.matches(selector)) return el;
      const found = el.shadowRoot && walk(el.shadowRoot);
      if (found) return found;
    }
    return null;
  };
  return walk(document);
}

/**
 * `fn` as inPage sends it, with deepFind defined beside it in the page (inPage sends a function's
 * source, so `fn` cannot close over deepFind here).
 */
function withDeepFind(fn) {
  return { toString: () => `async (...args) => { const deepFind = ${deepFind}; return (${fn})(...args); }` };
}

/**
 * python-checks.mjs's runCard where the card may sit in a shadow root: while it runs,
 * document.querySelector also looks through shadow roots.
 */
export const runCardDeep = {
  toString: () => `async (options) => {
    const deepFind = ${deepFind};
    const own = document.querySelector;
    document.querySelector = function (s) { return own.call(this, s) ?? deepFind(s); };
    try { return await (${runCard})(options); } finally { delete document.querySelector; }
  }`,
};

/**
 * Starts a run of the `experiment` card and resolves once it has reported progress (so it is in
 * progress), leaving its outcome on the element for runOutcome(). Returns the card's `n`.
 */
export const startRun = withDeepFind(async (experiment) => {
  const el = deepFind(`speedup-lab[experiment="${experiment}"]`);
  el.scrollIntoView();
  const progressed = new Promise((resolve) => el.addEventListener("speedup-lab:progress", resolve, { once: true }));
  el.notebookRun = el.run().then(
    (t) => ({ outcome: "done", tasks: t.tasks }),
    (e) => ({ outcome: e.name === "AbortError" ? "cancelled" : `error: ${e.message}` }),
  );
  const early = await Promise.race([progressed.then(() => null), el.notebookRun]);
  if (early) throw new Error(`the run ended before it reported progress: ${JSON.stringify(early)}`);
  return { n: el.getAttribute("n") };
});

/**
 * The outcome of the run startRun() began (waiting up to 60 s), and what the card shows now: its
 * `n` attribute and the value in its N field.
 */
export const runOutcome = withDeepFind(async (experiment) => {
  const el = deepFind(`speedup-lab[experiment="${experiment}"]`);
  const late = new Promise((resolve) => setTimeout(() => resolve({ outcome: "still running after 60 s" }), 60_000));
  const out = await Promise.race([el.notebookRun, late]);
  return { ...out, attribute: el.getAttribute("n"), field: el.shadowRoot.querySelector('input[name="n"]')?.value };
});

/** Runs the `experiment` card to its end: the trace's engine, tasks and results. */
export const runToEnd = withDeepFind(async (experiment) => {
  const el = deepFind(`speedup-lab[experiment="${experiment}"]`);
  el.scrollIntoView();
  const t = await el.run();
  return { engine: t.engine, tasks: t.tasks, results: t.results };
});

/**
 * The element `selector` matches, through shadow roots, as a WebDriver element (for typing into);
 * waits up to 60 s for it to appear.
 */
export async function findDeep(driver, selector) {
  const until = Date.now() + 60_000;
  for (;;) {
    const el = await driver.executeScript(`return (${deepFind})(arguments[0]);`, selector);
    if (el) return el;
    if (Date.now() > until) throw new Error(`no ${selector} in the page after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
