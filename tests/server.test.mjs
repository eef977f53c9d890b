// The dev/preview server: bound to 127.0.0.1, the right headers and MIME types, and nothing
// outside its root — no `..` in any encoding, no directory listing, no repository files in dev.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { resolveSafe, startServer } from "../scripts/serve.mjs";
import { ROOT } from "./browser/server.mjs";

let server;
let port;

before(async () => {
  server = await startServer({ root: ROOT, port: 0, dev: true, quiet: true });
  port = server.address().port;
});

after(() => new Promise((r) => server.close(r)));

/** A raw GET: the path goes on the wire as written (no client-side normalisation of `..`). */
function get(path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("listens on 127.0.0.1 only", () => {
  assert.equal(server.address().address, "127.0.0.1");
});

test("pages come with the isolation headers and the right MIME types", async () => {
  const page = await get("/");
  assert.equal(page.status, 200);
  assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
  assert.equal(page.headers["cross-origin-opener-policy"], "same-origin");
  assert.equal(page.headers["cross-origin-embedder-policy"], "require-corp");
  const embed = await get("/embed.html");
  assert.equal(embed.headers["document-isolation-policy"], "isolate-and-require-corp");
  const wasm = await get("/www/pkg/threads/speedup_lab_bg.wasm");
  assert.equal(wasm.headers["content-type"], "application/wasm");
  assert.equal(wasm.headers["cross-origin-resource-policy"], "cross-origin");
  assert.equal(wasm.headers["access-control-allow-origin"], "*");
  const js = await get("/www/app.js");
  assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
});

test("path traversal is refused in every spelling", async () => {
  const attempts = [
    "/../Cargo.toml",
    "/www/../Cargo.toml",
    "/www/%2e%2e/Cargo.toml",
    "/www/%2E%2E/%2E%2E/etc/passwd",
    "/www/..%2fCargo.toml",
    "/www/..%2FCargo.toml",
    "/www/%252e%252e/Cargo.toml",
    "/www/..%5cCargo.toml",
    "/www/.%2e/Cargo.toml",
    "/www/app.js%00.html",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/www/%c0%ae%c0%ae/Cargo.toml",
    "//etc/passwd",
  ];
  for (const path of attempts) {
    const r = await get(path);
    assert.equal(r.status, 404, `${path} → ${r.status}`);
    assert.ok(!r.body.includes("[package]") && !r.body.includes("root:"), `${path} leaked a file`);
  }
});

test("no directory listing, and the repository itself is not served in dev", async () => {
  for (const path of [
    "/www/",
    "/www/engine/",
    "/src/lib.rs",
    "/Cargo.toml",
    "/node_modules/comlink/package.json",
    "/.git/config",
  ]) {
    assert.equal((await get(path)).status, 404, path);
  }
});

test("only GET and HEAD", async () => {
  const status = await new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", method: "POST" }, (res) => resolve(res.statusCode));
    req.end();
  });
  assert.equal(status, 405);
});

test("resolveSafe keeps every path under the root", () => {
  assert.equal(resolveSafe("/srv/lab", "/a/../../b", null), null);
  assert.equal(resolveSafe("/srv/lab", "/%zz", null), null);
  assert.equal(resolveSafe("/srv/lab", "/www/app.js", null), "/srv/lab/www/app.js");
  assert.equal(resolveSafe("/srv/lab", "/x.html", ["/www/"]), null);
});
