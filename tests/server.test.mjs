// The lab's server: bound to 127.0.0.1, answers only for the site's own files (an allow-list, the
// same for the repository and for dist/), CORS only on what an article on another origin embeds,
// the right headers and MIME types, and nothing outside its root — no `..` in any encoding, no
// directory listing, no repository files.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { after, before, test } from "node:test";
import { isSiteFile, ROOT } from "../scripts/lib/site.mjs";
import { IMMUTABLE, resolveSafe, startServer } from "../scripts/lib/static-server.mjs";
import { PYODIDE_VERSION } from "../www/python/pyodide-version.js";

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
  "www/vendor/pyodide/314.0.7/pyodide.asm.wasm": "\0asm",
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

test("--dev caches nothing; otherwise every response is revalidated; a Pyodide version's files are immutable", async () => {
  assert.equal((await get(await start({ dev: true }), "/www/app.js")).headers["cache-control"], "no-store");
  assert.equal((await get(await start({}), "/www/app.js")).headers["cache-control"], "no-cache");
  // The same URL is the same bytes (www/python/pyodide-version.js): a second visit fetches none of it.
  const wasm = "/www/vendor/pyodide/314.0.7/pyodide.asm.wasm";
  for (const options of [{ dev: true }, {}]) {
    const r = await get(await start(options), wasm);
    assert.equal(r.status, 200, wasm);
    assert.equal(r.headers["cache-control"], "public, max-age=31536000, immutable");
  }
  assert.equal(IMMUTABLE.test("/www/vendor/pyodide/pyodide.asm.wasm"), false, "an unversioned path is not immutable");
  assert.ok(IMMUTABLE.test(`/www/vendor/pyodide/${PYODIDE_VERSION}/python_stdlib.zip`), "the version the lab vendors");
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
      /^(\/www\/(widget|lessons|core|engine|workloads|ui|writes|vendor|pkg|data|forest|python)\/\*|\/oembed\/\*|(\/\*)?\/www\/embed\.js)\n/,
      rule,
    );
  }
});

/** `serve.mjs --root dir` as a child process on a free port: `{ port, child }`. */
async function serveChild(root) {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "serve.mjs"), "--root", root, "--port", "0"]);
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
  return { port, child };
}

/** GET `path`: `{ status, headers, length, complete }`; `complete` is false when the body was cut short. */
function getWhole(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      let length = 0;
      res.on("data", (c) => {
        length += c.length;
      });
      res.on("error", () => {}); // a cut body: reported by `complete` below
      res.on("close", () => resolve({ status: res.statusCode, headers: res.headers, length, complete: res.complete }));
    });
    req.on("error", (error) => resolve({ error }));
    req.end();
  });
}

test("files deleted, rewritten, replaced and turned into folders while 500 requests run: every request is answered, the server goes on", async () => {
  const root = mkdtempSync(join(tmpdir(), "lab-churn-"));
  const names = Array.from({ length: 13 }, (_, i) => `www/churn/f${i}.js`);
  const body = (kib) => "x".repeat(kib * 1024);
  writeFileSync(join(root, "index.html"), "<!doctype html>");
  mkdirSync(join(root, "www", "churn"), { recursive: true });
  for (const name of names) writeFileSync(join(root, name), body(256));
  const { port, child } = await serveChild(root);
  let churning = true;
  // What a rebuild and an editor do to files under a server, one after another, as fast as it can.
  const churn = (async () => {
    for (let round = 0; churning; round++) {
      const file = join(root, names[round % names.length]);
      const size = 1 + (round % 300); // 13 files, 4 kinds of change: each file gets every kind
      rmSync(file, { recursive: true, force: true }); // deleted (and left so when round % 4 === 3)
      if (round % 4 === 0) writeFileSync(file, body(size)); // written again, in place
      if (round % 4 === 1) mkdirSync(file); // a folder where a file was
      if (round % 4 === 2) {
        writeFileSync(`${file}.tmp`, body(size));
        renameSync(`${file}.tmp`, file); // replaced whole, as an atomic save does
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  try {
    const answers = [];
    let next = 0;
    const client = async () => {
      while (next < 500) {
        next += 1;
        answers.push(await getWhole(port, `/${names[next % names.length]}`));
      }
    };
    await Promise.all(Array.from({ length: 20 }, client));
    assert.equal(answers.length, 500);
    assert.equal(child.exitCode, null, "the server is still running");
    const errors = answers.filter((a) => a.error);
    assert.deepEqual(errors, [], "every request got a response");
    for (const a of answers) {
      assert.ok([200, 404, 500].includes(a.status), `status ${a.status}`);
      assert.equal(a.headers["x-content-type-options"], "nosniff");
      // a whole body is exactly as long as announced; a short one is cut, never passed off as whole
      if (a.complete) assert.equal(a.length, Number(a.headers["content-length"] ?? a.length));
    }
    assert.ok(
      answers.some((a) => a.status === 200),
      "some requests found their file",
    );
  } finally {
    churning = false;
    await churn;
  }
  try {
    for (const name of names) {
      rmSync(join(root, name), { recursive: true, force: true });
      writeFileSync(join(root, name), body(4));
    }
    const after = await getWhole(port, `/${names[0]}`);
    assert.equal(after.status, 200);
    assert.equal(after.length, 4096);
    assert.equal(child.exitCode, null);
  } finally {
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});

test("a file that cannot be read answers 500, a folder 404, and the next request is served", async () => {
  const fifo = join(fixtureDir, "www", "fifo.js");
  execFileSync("mkfifo", [fifo]);
  const socketPath = join(fixtureDir, "www", "socket.js");
  const socket = createNetServer().listen(socketPath);
  await once(socket, "listening");
  mkdirSync(join(fixtureDir, "www", "folder.js"));
  try {
    const port = await start({});
    for (const path of ["/www/fifo.js", "/www/socket.js"]) {
      const r = await get(port, path);
      assert.equal(r.status, 500, path);
      assert.equal(r.headers["x-content-type-options"], "nosniff", path);
    }
    assert.equal((await get(port, "/www/folder.js")).status, 404);
    assert.equal((await get(port, "/www/app.js")).status, 200);
  } finally {
    socket.close();
    rmSync(fifo, { force: true });
    rmSync(join(fixtureDir, "www", "folder.js"), { recursive: true, force: true });
  }
});

test("no symlink leads out of the root or around the allow-list; one inside the site is followed", async () => {
  const outside = mkdtempSync(join(tmpdir(), "lab-outside-"));
  writeFileSync(join(outside, "secret.js"), "SECRET");
  const links = {
    "www/out-file.js": join(outside, "secret.js"), // a file outside the root
    "www/out-folder": outside, // a folder outside the root
    "www/git.js": join(fixtureDir, ".git", "config"), // inside the root, not part of the site
    "www/same.js": join(fixtureDir, "www", "app.js"), // inside the site
  };
  for (const [link, target] of Object.entries(links)) symlinkSync(target, join(fixtureDir, link));
  try {
    const port = await start({});
    for (const path of ["/www/out-file.js", "/www/out-folder/secret.js", "/www/git.js"]) {
      const r = await get(port, path);
      assert.equal(r.status, 404, path);
      assert.ok(!r.body.includes("SECRET") && !r.body.includes("[core]"), `${path} leaked a file`);
    }
    const same = await get(port, "/www/same.js");
    assert.equal(same.status, 200);
    assert.equal(same.body, "// page");
  } finally {
    for (const link of Object.keys(links)) rmSync(join(fixtureDir, link), { force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test("nosniff on every response: 200, 404, 405", async () => {
  const port = await start({});
  for (const [path, method, status] of [
    ["/www/app.js", "GET", 200],
    ["/www/app.js", "HEAD", 200],
    ["/no-such-file.js", "GET", 404],
    ["/Cargo.toml", "GET", 404],
    ["/", "POST", 405],
  ]) {
    const r = await get(port, path, method);
    assert.equal(r.status, status, `${method} ${path}`);
    assert.equal(r.headers["x-content-type-options"], "nosniff", `${method} ${path}`);
  }
});

test("a Host header that does not name this machine gets 421 (DNS rebinding), the loopback names 200", async () => {
  const { serve } = await import("../scripts/lib/static-server.mjs");
  const server = await serve();
  try {
    const port = new URL(server.url).port;
    const status = (host) =>
      new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/index.html", headers: { Host: host } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on("error", reject);
        req.end();
      });
    assert.equal(await status(`evil.example:${port}`), 421);
    assert.equal(await status(`127.0.0.1:${port}`), 200);
    assert.equal(await status(`localhost:${port}`), 200);
  } finally {
    await server.close();
  }
});
