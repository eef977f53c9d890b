#!/usr/bin/env node
// Serves the lab on 127.0.0.1 (the server itself: scripts/lib/static-server.mjs).
//   node scripts/serve.mjs [--root DIR] [--port N] [--base /sub/path/] [--no-isolation] [--dev]
// Whatever the root (the repository for `npm start` and `npm run serve`, dist/ for `npm run
// preview`), only the site's own files are answered (scripts/lib/site.mjs); everything else is 404.
//  --no-isolation  leaves COOP/COEP/DIP out: see the processes engine (or the service-worker
//                  fallback) take over.
//  --dev           for working on the lab (`npm start`): nothing is cached, and every 404 is
//                  explained on stderr ("not part of the site", or "no such file (built yet?)").
//  --base          serves the site below a sub-path, as a host that serves it from a folder would.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServer } from "./lib/static-server.mjs";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: "." },
    port: { type: "string", default: process.env.PORT ?? "8080" },
    base: { type: "string", default: "/" },
    "no-isolation": { type: "boolean", default: false },
    dev: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, got "${values.port}".`);
  process.exit(2);
}
if (!values.base.startsWith("/")) {
  console.error(`--base must start with "/", got "${values.base}".`);
  process.exit(2);
}
const root = join(values.root);
if (!existsSync(join(root, "index.html")) || !existsSync(join(root, "www"))) {
  console.error(`${root} holds no site (index.html and www/): serve the repository or dist/.`);
  process.exit(2);
}
await startServer({ root, port, base: values.base, isolation: !values["no-isolation"], dev: values.dev });
