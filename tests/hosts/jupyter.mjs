/**
 * A JupyterLab server for the tests: headless, on a free 127.0.0.1 port, behind a random token,
 * its root an empty temporary folder; notebooks are put there through the server's own REST API
 * (`PUT /api/contents/<name>`), as any client would. `expose_app_in_browser` makes the page's
 * application reachable as `window.jupyterapp`, so a test runs the notebook's cells and talks to
 * its kernel through JupyterLab itself.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, startGroup, waitForHttp } from "./processes.mjs";
import { bin, isolatedEnv } from "./venv.mjs";

/**
 * The server's settings: no news feed, no update check, no extension manager (it asks PyPI and
 * yarn); root allowed, as CI runs as root.
 */
const CONFIG = {
  ServerApp: { open_browser: false, port_retries: 0, allow_root: true },
  LabApp: {
    expose_app_in_browser: true,
    extension_manager: "readonly",
    news_url: null,
    check_for_updates_class: "jupyterlab.handlers.announcements.NeverCheckForUpdate",
  },
};

/** JupyterLab's own settings: no news, no toasts over the page (user-settings of the temporary config folder). */
const NOTIFICATIONS = { fetchNews: "false", checkForUpdates: false, doNotDisturbMode: true };

/** Starts JupyterLab; `{ url, token, api(path, init), page(name), stop() }`. */
export async function startJupyterLab() {
  const { home, dirs, env } = isolatedEnv("jupyterlab");
  writeFileSync(join(dirs.config, "jupyter_server_config.json"), JSON.stringify(CONFIG));
  const settings = join(dirs.config, "lab", "user-settings", "@jupyterlab", "apputils-extension");
  mkdirSync(settings, { recursive: true });
  writeFileSync(join(settings, "notification.jupyterlab-settings"), JSON.stringify(NOTIFICATIONS));
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  // The token in the environment, not on the command line that `ps` shows.
  const server = startGroup(
    bin("jupyter-lab"),
    ["--ip=127.0.0.1", `--port=${port}`, `--ServerApp.root_dir=${dirs.work}`],
    {
      cwd: dirs.work,
      env: { ...env, JUPYTER_TOKEN: token },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const api = async (path, init = {}) => {
    const res = await fetch(`${url}${path}`, {
      ...init,
      headers: { Authorization: `token ${token}`, "Content-Type": "application/json", ...init.headers },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`JupyterLab ${init.method ?? "GET"} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  try {
    await waitForHttp(`${url}/api/status?token=${token}`, server, 90_000, "JupyterLab");
  } catch (e) {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    token,
    api,
    log: server.log,
    /**
     * The page that opens notebook `name` in workspace `workspace` (logging in with the token): a
     * workspace of its own, or JupyterLab reopens what another browser had open.
     */
    page: (name, workspace) =>
      `${url}/lab/workspaces/${encodeURIComponent(workspace)}/tree/${encodeURIComponent(name)}?token=${token}`,
    async stop() {
      // Shut the kernels down through the server first (they run in sessions of their own).
      await api("/api/kernels")
        .then((kernels) => Promise.all(kernels.map((k) => api(`/api/kernels/${k.id}`, { method: "DELETE" }))))
        .catch(() => {});
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A notebook (nbformat 4) whose code cells are `sources`, with the Python 3 kernel named. */
export function notebook(sources) {
  return {
    type: "notebook",
    format: "json",
    content: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: "python3", display_name: "Python 3 (ipykernel)", language: "python" },
        language_info: { name: "python" },
      },
      cells: sources.map((source, i) => ({
        cell_type: "code",
        id: `cell-${i + 1}`,
        metadata: {},
        execution_count: null,
        outputs: [],
        source,
      })),
    },
  };
}
