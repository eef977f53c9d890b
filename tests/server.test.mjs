// The lab's server: bound to 127.0.0.1, answers only for the site's own files (an allow-list, the
// same for the repository and for dist/), CORS only on what an article on another origin embeds,
// the right headers and MIME types, and nothing outside its root — no `..` in any encoding, no
// directory listing, no repository files.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { after, before, test } from "node:test";
import { isSiteFile, ROOT } from "../scripts/lib/site.mjs";
import { resolveSafe, startServer } from "../scripts/lib/static-server.mjs";

/** A site laid out like the repository: the site's files among everything a repository holds. */
const FIXTURE = {
  "index.html": "<!doctype html><title>lab</title>",
  "embed.html": "<!doctype html><title>embed</title>",
  "coi-serviceworker.min.js": "/* sw */",
  "www/app.js": "// page",
  "www/isolate.js": "// page",
  "www/favicon.svg": "<svg/>",
  "www/embed.js": "// embed.html's module",
  "www/embed.css": "main{}",
  "www/share/hosted.js": "// page",
  "lessons/perfect.html": "<!doctype html><title>perfect</title>",
  "oembed/perfect.json": "{}",
  "www/widget/speedup-lab.js": "// widget",
  "www/widget/card.css": ":host{}",
  "www/engine/client.js": "// engine",
  "www/pkg/threads/speedup_lab_bg.wasm": "\0asm",
  "www/data/digits.csv": "0,1",
  "www/vendor-src/chart.mjs": "// build input",
  "www/ui/charts.js.map": "{}",
  "www/pkg/.gitignore": "*",
  ".git/HEAD": "ref: refs/heads/main",
  ".git/config": "[core]",
  "Cargo.toml": "[package]",
  "src/lib.rs": "// core",
  "target/release/secret": "x",
  "node_modules/comlink/package.json": "{}",
  _headers: "/*",
};
const SECRETS = [
  "/.git/HEAD",
  "/.git/config",
  "/Cargo.toml",
  "/src/lib.rs",
  "/target/",
  "/target/release/secret",
  "/node_modules/comlink/package.json",
  "/_headers",
  "/www/vendor-src/chart.mjs",
  "/www/ui/charts.js.map",
  "/www/pkg/.gitignore",
];

let fixtureDir;
const servers = [];

before(() => {
  fixtureDir = mkdtempSync(join(tmpdir(), "lab-site-"));
  for (const [path, body] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(fixtureDir, path)), { recursive: true });
    writeFileSync(join(fixtureDir, path), body);
  }
});

after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(fixtureDir, { recursive: true, force: true });
});

async function start(options) {
  const server = await startServer({ root: fixtureDir, port: 0, quiet: true, ...options });
  servers.push(server);
  return server.address().port;
}

/** A raw request: the path goes on the wire as written (no client-side normalisation of `..`). */
function get(port, path, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
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

test("listens on 127.0.0.1 only", async () => {
  const server = await startServer({ root: fixtureDir, port: 0, quiet: true });
  servers.push(server);
  assert.equal(server.address().address, "127.0.0.1");
});

test("serves the site's files and nothing else of the repository", async () => {
  const port = await start({});
  for (const path of ["/", "/index.html", "/embed.html", "/coi-serviceworker.min.js", "/www/app.js"]) {
    assert.equal((await get(port, path)).status, 200, path);
  }
  for (const path of ["/www/widget/speedup-lab.js", "/www/pkg/threads/speedup_lab_bg.wasm", "/www/data/digits.csv"]) {
    assert.equal((await get(port, path)).status, 200, path);
  }
  for (const path of SECRETS) {
    const r = await get(port, path);
    assert.equal(r.status, 404, `${path} → ${r.status}`);
    assert.equal(r.body, "Not found\n");
  }
});

test("`npm run serve` (the CLI, repository root, no --dev) answers 404 for the repository's files", async () => {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.mjs"), "--port", "0"], { cwd: ROOT });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) resolve(Number(m[1]));
      });
      child.once("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
    });
    assert.equal((await get(url, "/index.html")).status, 200);
    for (const path of [
      "/.git/HEAD",
      "/.git/config",
      "/Cargo.toml",
      "/target/",
      "/node_modules/comlink/package.json",
    ]) {
      assert.equal((await get(url, path)).status, 404, path);
    }
  } finally {
    child.kill();
  }
});

test("CORS and CORP cross-origin only on what an article on another origin embeds", async () => {
  const port = await start({});
  for (const path of ["/www/widget/speedup-lab.js", "/www/widget/card.css", "/www/engine/client.js"]) {
    const r = await get(port, path);
    assert.equal(r.headers["access-control-allow-origin"], "*", path);
    assert.equal(r.headers["cross-origin-resource-policy"], "cross-origin", path);
  }
  const wasm = await get(port, "/www/pkg/threads/speedup_lab_bg.wasm");
  assert.equal(wasm.headers["content-type"], "application/wasm");
  assert.equal(wasm.headers["access-control-allow-origin"], "*");
  for (const path of ["/", "/www/app.js", "/www/share/hosted.js", "/lessons/perfect.html"]) {
    const r = await get(port, path);
    assert.equal(r.headers["access-control-allow-origin"], undefined, path);
    assert.equal(r.headers["cross-origin-resource-policy"], "same-origin", path);
  }
  // embed.html's own files, for a frame sandboxed to an opaque origin (every load cross-origin):
  // CORP cross-origin, and CORS only on its module script
  for (const path of ["/www/isolate.js", "/coi-serviceworker.min.js", "/www/favicon.svg", "/www/embed.css"]) {
    const r = await get(port, path);
    assert.equal(r.headers["access-control-allow-origin"], undefined, path);
    assert.equal(r.headers["cross-origin-resource-policy"], "cross-origin", path);
  }
  const oembed = await get(port, "/oembed/perfect.json");
  assert.equal(oembed.headers["access-control-allow-origin"], "*");
  assert.equal(oembed.headers["content-type"], "application/json; charset=utf-8");
  const embedModule = await get(port, "/www/embed.js");
  assert.equal(embedModule.headers["access-control-allow-origin"], "*");
  assert.equal(embedModule.headers["cross-origin-resource-policy"], "cross-origin");
  // embed.html is framed by articles (CORP), never read by them (no CORS)
  const embed = await get(port, "/embed.html");
  assert.equal(embed.headers["access-control-allow-origin"], undefined);
  assert.equal(embed.headers["cross-origin-resource-policy"], "cross-origin");
});

test("isolation headers and MIME types; --no-isolation leaves them out", async () => {
  const port = await start({});
  const page = await get(port, "/");
  assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
  assert.equal(page.headers["cross-origin-opener-policy"], "same-origin");
  assert.equal(page.headers["cross-origin-embedder-policy"], "require-corp");
  assert.equal(page.headers["x-content-type-options"], "nosniff");
  assert.equal((await get(port, "/embed.html")).headers["document-isolation-policy"], "isolate-and-require-corp");
  assert.equal((await get(port, "/www/app.js")).headers["content-type"], "text/javascript; charset=utf-8");
  const plainPort = await start({ isolation: false });
  const plain = await get(plainPort, "/embed.html");
  for (const h of ["cross-origin-opener-policy", "cross-origin-embedder-policy", "document-isolation-policy"]) {
    assert.equal(plain.headers[h], undefined, h);
  }
});

test("--dev caches nothing; otherwise every response is revalidated", async () => {
  assert.equal((await get(await start({ dev: true }), "/www/app.js")).headers["cache-control"], "no-store");
  assert.equal((await get(await start({}), "/www/app.js")).headers["cache-control"], "no-cache");
});

test("--base serves the site below a sub-path, and nothing outside it", async () => {
  const port = await start({ base: "/lab/" });
  assert.equal((await get(port, "/lab/")).status, 200);
  assert.equal((await get(port, "/lab/www/app.js")).status, 200);
  for (const path of ["/", "/index.html", "/lab", "/lab/Cargo.toml", "/lab/../index.html"]) {
    assert.equal((await get(port, path)).status, 404, path);
  }
});

test("path traversal is refused in every spelling", async () => {
  const port = await start({});
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
    const r = await get(port, path);
    assert.equal(r.status, 404, `${path} → ${r.status}`);
    assert.ok(!r.body.includes("[package]") && !r.body.includes("root:"), `${path} leaked a file`);
  }
});

test("no directory listing", async () => {
  const port = await start({});
  for (const path of ["/www/", "/www/widget/", "/www/pkg/threads/"]) {
    assert.equal((await get(port, path)).status, 404, path);
  }
});

test("only GET and HEAD", async () => {
  const port = await start({});
  assert.equal((await get(port, "/", "POST")).status, 405);
  const head = await get(port, "/www/app.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
});

test("resolveSafe keeps every path under the root and inside the allow-list", () => {
  assert.equal(
    resolveSafe("/srv/lab", "/a/../../b", () => true),
    null,
  );
  assert.equal(
    resolveSafe("/srv/lab", "/%zz", () => true),
    null,
  );
  assert.equal(resolveSafe("/srv/lab", "/www/app.js"), "/srv/lab/www/app.js");
  assert.equal(resolveSafe("/srv/lab", "/x.html"), null);
  assert.equal(
    resolveSafe("/srv/lab", "/x.html", () => true),
    "/srv/lab/x.html",
  );
});

const DIST = join(ROOT, "dist");
test("dist/ holds exactly the site's files, and _headers opens CORS on the widget's folders only", {
  skip: !existsSync(join(DIST, "_headers")) && "dist/ is not built (npm run build)",
}, () => {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [`/${relative(DIST, join(dir, e.name)).split(sep).join("/")}`],
    );
  const files = walk(DIST).filter((f) => f !== "/_headers");
  assert.deepEqual(
    files.filter((f) => !isSiteFile(f)),
    [],
  );
  for (const f of ["/index.html", "/embed.html", "/coi-serviceworker.min.js", "/www/widget/speedup-lab.js"]) {
    assert.ok(files.includes(f), f);
  }
  const rules = readFileSync(join(DIST, "_headers"), "utf8").split(/\n(?=\S)/);
  for (const rule of rules.filter((r) => r.includes("Access-Control-Allow-Origin"))) {
    assert.match(
      rule,
      /^(\/www\/(widget|lessons|engine|ui|writes|vendor|pkg|data|forest)\/\*|\/oembed\/\*|(\/\*)?\/www\/embed\.js)\n/,
      rule,
    );
  }
});
