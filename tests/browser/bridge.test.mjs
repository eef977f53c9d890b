// The process bridge (www/engine/bridge.js + bridge-worker.js) on its own, with a handler file
// made for the test: replies matched by id whatever order they come back in, progress before
// the reply, a handler's error with its name, an unknown request, abort = terminate (every
// pending request rejects, the process is ended), and a process that dies mid-request.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launch, openPage } from "../../scripts/lib/chromium.mjs";
import { serve } from "../../scripts/lib/static-server.mjs";

let browser;
let server;
let tab;
before(async () => {
  browser = await launch();
  server = await serve();
  const context = await browser.newContext();
  await context.addInitScript(defineSpawn);
  // a page of the lab's origin without the hosted page's CSP (the handler file is a blob)
  await context.route(`${server.url}/bridge-test.html`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>bridge</title>" }),
  );
  tab = await openPage(context, `${server.url}/bridge-test.html`);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * In the page (an init script): `spawnTestProcess(handlers, options)` starts a process whose
 * handler file is `serve(handlers)` (`handlers`: source text of an object literal).
 */
function defineSpawn() {
  globalThis.spawnTestProcess = async (handlers, options = {}) => {
    const bridge = await import("/www/engine/bridge.js");
    const source = `import { serve } from "${location.origin}/www/engine/bridge-worker.js";\nserve(${handlers});`;
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    return bridge.spawnProcess(url, { what: "test process", ...options });
  };
}

test("replies are matched by id, progress comes before its reply, init ran first", async () => {
  const r = await tab.page.evaluate(async () => {
    const p = await spawnTestProcess(
      `{
        init(payload) { self.greeting = payload.hello; return {}; },
        async wait({ ms, tag }, { progress }) {
          progress({ tag, half: true });
          await new Promise((r) => setTimeout(r, ms));
          return { tag, greeting: self.greeting };
        },
      }`,
      { init: { hello: 1 } },
    );
    const log = [];
    const ask = (ms, tag) =>
      p.request("wait", { ms, tag }, { onProgress: (x) => log.push(`progress ${x.tag}`) }).then((v) => {
        log.push(`reply ${v.tag}`);
        return v;
      });
    const answers = await Promise.all([ask(300, "slow"), ask(10, "fast")]);
    p.terminate();
    return { answers, log };
  });
  assert.deepEqual(
    r.answers.map((a) => a.tag),
    ["slow", "fast"],
  );
  assert.ok(
    r.answers.every((a) => a.greeting === 1),
    "init ran before the requests",
  );
  assert.ok(r.log.indexOf("progress fast") < r.log.indexOf("reply fast"), r.log.join(", "));
  assert.ok(r.log.indexOf("reply fast") < r.log.indexOf("reply slow"), r.log.join(", "));
});

test("a handler's error keeps its name; an unknown request says so; the process goes on", async () => {
  const r = await tab.page.evaluate(async () => {
    const p = await spawnTestProcess(`{
      init() { return {}; },
      quota() { const e = new Error("no room"); e.name = "QuotaExceededError"; throw e; },
      ok() { return 42; },
    }`);
    const err = (x) =>
      x.then(
        () => null,
        (e) => ({ name: e.name, message: e.message }),
      );
    const out = {
      quota: await err(p.request("quota")),
      unknown: await err(p.request("nope")),
      ok: await p.request("ok"),
    };
    p.terminate();
    return out;
  });
  assert.deepEqual(r.quota, { name: "QuotaExceededError", message: "no room" });
  assert.match(r.unknown.message, /no "nope" handler/);
  assert.equal(r.ok, 42);
});

test("abort = terminate: every pending request rejects with an AbortError and the process is ended", async () => {
  const r = await tab.page.evaluate(async () => {
    const p = await spawnTestProcess(`{
      init() { return {}; },
      spin() { const t = Date.now(); while (Date.now() - t < 60000) {} return "never"; },
    }`);
    const controller = new AbortController();
    const a = p.request("spin", null, { signal: controller.signal }).catch((e) => e.name);
    const b = p.request("spin").catch((e) => e.name); // pending on the same process
    setTimeout(() => controller.abort(), 100);
    const names = await Promise.all([a, b]);
    const after = await p.request("spin").catch((e) => e.name);
    return { names, ended: p.ended, after };
  });
  assert.deepEqual(r.names, ["AbortError", "AbortError"]);
  assert.equal(r.ended, true);
  assert.equal(r.after, "AbortError", "a request to an ended process fails at once, with why it ended");
});

test("a process that dies mid-request fails what is pending with what happened and what to do", async () => {
  const r = await tab.page.evaluate(async () => {
    const p = await spawnTestProcess(`{
      init() { return {}; },
      die() { setTimeout(() => { throw new Error("boom"); }); return new Promise(() => {}); },
    }`);
    return p.request("die").then(
      () => "replied",
      (e) => e.message,
    );
  });
  assert.match(r, /A test process failed \(.*boom.*\); run again to start fresh ones\./);
});

test("a process whose init never answers: past the deadline, SpawnTimeoutError", async () => {
  const r = await tab.page.evaluate(async () => {
    return spawnTestProcess("{ init: () => new Promise(() => {}) }", { deadlineMs: 500 }).then(
      () => "started",
      (e) => ({ name: e.name, message: e.message }),
    );
  });
  assert.equal(r.name, "SpawnTimeoutError");
  assert.match(r.message, /A new test process did not start within 500 ms/);
  assert.deepEqual(tab.problems, []);
});
