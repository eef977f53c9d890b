/**
 * marimo for the tests: notebooks made marimo apps by marimo's own converter (`marimo convert`,
 * which keeps a cell's code as it is: each cell of the app is the recipe's text, as an author
 * pasting it into marimo has it), all served read-only by one `marimo run <folder>` — headless,
 * on a free 127.0.0.1 port, behind a random token (read from a file, not the command line).
 *
 * One recipe per app: marimo refuses a notebook in which two cells define the same name, and each
 * paste of the recipe defines `SpeedupLab` (and imports anywidget).
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, startGroup, waitForHttp } from "./processes.mjs";
import { bin, isolatedEnv } from "./venv.mjs";

/**
 * Converts each of `notebooks` (`{ name: nbformat 4 content }`) to the marimo app `<name>.py`
 * and serves them; returns `{ url, page(name), sources: { name: the app as marimo wrote it },
 * stop() }`.
 */
export async function startMarimo(notebooks) {
  const { home, dirs, env } = isolatedEnv("marimo");
  const stopAll = [() => rmSync(home, { recursive: true, force: true })];
  try {
    const apps = join(dirs.work, "apps");
    mkdirSync(apps);
    const sources = {};
    for (const [name, ipynb] of Object.entries(notebooks)) {
      writeFileSync(join(dirs.work, `${name}.ipynb`), JSON.stringify(ipynb));
      const out = join(apps, `${name}.py`);
      await promisify(execFile)(bin("marimo"), ["convert", `${name}.ipynb`, "-o", out], { cwd: dirs.work, env });
      sources[name] = readFileSync(out, "utf8");
    }
    const token = randomBytes(24).toString("hex");
    writeFileSync(join(home, "token"), token, { mode: 0o600 });
    const port = await freePort();
    const server = startGroup(
      bin("marimo"),
      [
        "run",
        "apps",
        "--headless",
        "--host",
        "127.0.0.1",
        "-p",
        String(port),
        "--token-password-file",
        join(home, "token"),
      ],
      { cwd: dirs.work, env },
    );
    stopAll.unshift(() => server.stop());
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health`, server, 90_000, "marimo");
    return {
      url,
      sources,
      log: server.log,
      page: (name) => `${url}/?file=${encodeURIComponent(`${name}.py`)}&access_token=${token}`,
      stop: async () => {
        for (const step of stopAll) await step();
      },
    };
  } catch (e) {
    for (const step of stopAll) await step();
    throw e;
  }
}
