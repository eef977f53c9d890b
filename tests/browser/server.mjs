/** Starts the lab's own server (scripts/serve.mjs) on a free port for a test file. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `{ url, close }` for the repo served like `npm start` does (or dist/ with `root`). */
export async function serve({ isolation = true, root = ROOT, dev = root === ROOT, host = "127.0.0.1" } = {}) {
  const server = await startServer({ root, port: 0, isolation, dev, quiet: true, host });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
