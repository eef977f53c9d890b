/**
 * The notebook hosts' virtualenv (scripts/setup-notebooks.sh makes it: pinned jupyterlab,
 * anywidget and marimo from PyPI, at tests/hosts/.venv, git-ignored), and the environment every
 * server started from it gets: its own config, data and runtime folders in a temporary directory,
 * so a test reads no user's settings and leaves nothing in the home folder, and no update check
 * or news feed (the machine reaches only the package registries).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/site.mjs";

export const HOSTS = join(ROOT, "tests", "hosts");
export const VENV = process.env.NOTEBOOKS_VENV ?? join(HOSTS, ".venv");
export const SETUP = "bash scripts/setup-notebooks.sh";
/** Written by the set-up script when PyPI could not give it the packages: its reason. */
const FAILED = join(HOSTS, ".venv-failed");
/** The pins, and the copy of them the set-up script keeps in the virtualenv it made from them. */
const PINS = join(HOSTS, "requirements.txt");
const STAMP = join(VENV, ".pins");

export const bin = (name) => join(VENV, "bin", name);

/**
 * Why the hosts cannot run here, as a sentence (for a test's skip), or null when they can.
 */
export function missing(tool) {
  const read = (file) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  if (existsSync(bin(tool)) && read(STAMP) === read(PINS)) return null;
  const why = read(FAILED).trim();
  if (why) return `${tool} could not be installed from PyPI here (${why}); \`${SETUP}\` tries again.`;
  if (existsSync(bin(tool))) return `${VENV} was made from other pins than ${PINS}: run \`${SETUP}\`.`;
  return `${tool} is not installed (${bin(tool)}): run \`${SETUP}\` (a virtualenv with jupyterlab, anywidget and marimo from PyPI).`;
}

/** The pinned packages, `{ name: version }`, from tests/hosts/requirements.txt. */
export function pins() {
  const lines = readFileSync(PINS, "utf8").split("\n");
  return Object.fromEntries(lines.filter((l) => /^[\w-]+==/.test(l)).map((l) => l.trim().split("==")));
}

/** The installed versions of `packages`, as `name version` pairs. */
export function versions(packages) {
  const code = `import importlib.metadata as m, json, sys; print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))`;
  return JSON.parse(execFileSync(bin("python"), ["-c", code, ...packages], { encoding: "utf8" }));
}

/** A fresh environment for one server: everything it writes goes below a new temporary folder. */
export function isolatedEnv(name) {
  const home = mkdtempSync(join(tmpdir(), `speedup-${name}-`));
  const dirs = {};
  for (const d of ["config", "data", "runtime", "ipython", "xdg-config", "xdg-cache", "xdg-state", "work"]) {
    dirs[d] = join(home, d);
    mkdirSync(dirs[d]);
  }
  const env = {
    ...process.env,
    PATH: `${join(VENV, "bin")}:${process.env.PATH}`,
    VIRTUAL_ENV: VENV,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_PLATFORM_DIRS: "1",
    IPYTHONDIR: dirs.ipython,
    XDG_CONFIG_HOME: dirs["xdg-config"],
    XDG_CACHE_HOME: dirs["xdg-cache"],
    XDG_STATE_HOME: dirs["xdg-state"],
    MARIMO_SKIP_UPDATE_CHECK: "1",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  return { home, dirs, env };
}
