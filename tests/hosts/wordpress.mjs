/**
 * A WordPress of the tests' own, from Debian's packages (scripts/setup-wordpress.sh installs
 * them): MariaDB in a temporary data dir, as the unprivileged `mysql` user when the tests run as
 * root, on a socket only (no TCP port); WordPress served by `php -S` from /usr/share/wordpress on
 * a free loopback port, with a config and a content dir of its own in the same temporary folder
 * (Debian's wp-config.php picks /etc/wordpress/config-speedup-lab-test.php, which reads the file
 * SPEEDUP_LAB_WP_CONFIG names: tests/hosts/wordpress/prepend.php says how). Installed by POSTing
 * its install form, as a person would; posts written through XML-RPC with the admin's password.
 * The browser reaches it as http://localhost:<port>, so the lab (127.0.0.1) is another host, as
 * an author's lab is. It reaches nothing but 127.0.0.1 (WP_HTTP_BLOCK_EXTERNAL). Every server is
 * started in a process group of its own and stopped by close().
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { chmod, chown } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/site.mjs";
import { freePort, startGroup, waitForHttp } from "./processes.mjs";

const HERE = join(ROOT, "tests", "hosts", "wordpress");
export const WP_ROOT = "/usr/share/wordpress";
const THEMES = join(WP_ROOT, "wp-content", "themes");
/** Written by scripts/setup-wordpress.sh; read when WORDPRESS_CONFIG is speedup-lab-test. */
export const BRIDGE = "/etc/wordpress/config-speedup-lab-test.php";
/** Written by scripts/setup-wordpress.sh when Debian's packages could not be had: its reason. */
const UNAVAILABLE = join(ROOT, "tests", "sites", ".unavailable", "wordpress");
const SETUP = "bash scripts/setup-wordpress.sh";
const NEEDED = [
  join(WP_ROOT, "wp-includes", "version.php"),
  join(THEMES, "twentytwentythree", "style.css"),
  "/usr/bin/php",
  "/usr/sbin/mariadbd",
  "/usr/bin/mariadb-install-db",
  "/usr/bin/mariadb",
  BRIDGE,
];

/** Why WordPress cannot run here, as a sentence (for a test's skip), or null when it can. */
export function wordpressMissing() {
  const lacking = NEEDED.filter((f) => !existsSync(f));
  if (lacking.length === 0) return null;
  const why = existsSync(UNAVAILABLE) ? readFileSync(UNAVAILABLE, "utf8").trim() : "";
  return why
    ? `${why} (\`${SETUP}\` tries again)`
    : `WordPress is not set up here (${lacking.join(", ")} missing): run \`${SETUP}\`.`;
}

/** The versions under test: `{ wordpress, php, mariadb }`. */
export function wordpressVersions() {
  const version = readFileSync(join(WP_ROOT, "wp-includes", "version.php"), "utf8").match(/\$wp_version = '([^']+)'/);
  const php = execFileSync("/usr/bin/php", ["-r", "echo PHP_VERSION;"], { encoding: "utf8" });
  const mariadb = execFileSync("/usr/sbin/mariadbd", ["--version"], { encoding: "utf8" }).match(/Ver (\S+)/);
  return { wordpress: version?.[1], php, mariadb: mariadb?.[1] };
}

/** A random password or salt, `n` bytes. */
const random = (n) => randomBytes(n).toString("base64url");
const php = (s) => `'${String(s).replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
const xml = (s) => String(s).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Waits until `file` exists (a server's socket), the server exits, or `ms` pass. */
async function waitForFile(file, server, ms, what) {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (server.child.exitCode !== null) throw new Error(`${what} exited (${server.child.exitCode}):\n${server.log()}`);
    if (Date.now() > until) throw new Error(`${what} made no ${file} within ${ms / 1000} s:\n${server.log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * MariaDB in `dir` (its data dir and its socket), an empty `wordpress` database, root without a
 * password on the socket alone. As root, the server drops to an unprivileged user (it refuses to
 * run as root): `mysql` where a MariaDB package made it, else `nobody`; that user owns `dir`.
 */
async function startMariaDB(dir) {
  const data = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  mkdirSync(data, { recursive: true });
  let user = [];
  if (process.getuid?.() === 0) {
    const id = (flag, name) => Number(execFileSync("id", [flag, name], { encoding: "utf8", stdio: "pipe" }));
    let name = "mysql";
    try {
      id("-u", name);
    } catch {
      name = "nobody";
    }
    await chown(dir, id("-u", name), id("-g", name));
    await chown(data, id("-u", name), id("-g", name));
    user = [`--user=${name}`];
  }
  const small = ["--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M"];
  execFileSync(
    "/usr/bin/mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${data}`,
      ...user,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
      ...small,
    ],
    { stdio: "pipe" },
  );
  const server = startGroup(
    "/usr/sbin/mariadbd",
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${socket}`,
      "--skip-networking",
      ...user,
      ...small,
      `--pid-file=${join(dir, "mysqld.pid")}`,
    ],
    { cwd: dir, env: process.env },
  );
  await waitForFile(socket, server, 30_000, "mariadbd");
  // the socket may be there a moment before the server takes connections
  for (let tries = 1; ; tries++) {
    try {
      execFileSync(
        "/usr/bin/mariadb",
        ["--no-defaults", "-S", socket, "-u", "root", "-e", "CREATE DATABASE wordpress"],
        {
          stdio: "pipe",
        },
      );
      break;
    } catch (e) {
      if (tries === 50) throw new Error(`MariaDB took no connection: ${e.stderr}\n${server.log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { socket, server };
}

/** WordPress's settings for this run (read through BRIDGE). */
function config({ socket, url, content, labUrl }) {
  const keys = ["AUTH", "SECURE_AUTH", "LOGGED_IN", "NONCE"].flatMap((k) => [`${k}_KEY`, `${k}_SALT`]);
  const defines = {
    DB_NAME: "wordpress",
    DB_USER: "root",
    DB_PASSWORD: "",
    DB_HOST: `localhost:${socket}`,
    WP_HOME: url,
    WP_SITEURL: url,
    WP_CONTENT_DIR: content,
    WP_CONTENT_URL: `${url}/wp-content`,
    // nothing in the background, nothing fetched from the network but the lab
    DISABLE_WP_CRON: true,
    AUTOMATIC_UPDATER_DISABLED: true,
    WP_HTTP_BLOCK_EXTERNAL: true,
    WP_ACCESSIBLE_HOSTS: new URL(labUrl).hostname,
    SPEEDUP_LAB_URL: labUrl,
    ...Object.fromEntries(keys.map((k) => [k, random(48)])),
  };
  const line = ([k, v]) => `define(${php(k)}, ${typeof v === "boolean" ? String(v) : php(v)});`;
  return `<?php\n// The test's WordPress (tests/hosts/wordpress.mjs)\n${Object.entries(defines).map(line).join("\n")}\n`;
}

/**
 * Starts a fresh WordPress that may fetch oEmbed from `labUrl` (tests/hosts/wordpress/
 * allow-lab-host.php). Returns `{ url, post(title, content), close() }`; post() publishes a post
 * and returns its URL.
 */
export async function startWordPress(labUrl) {
  const dir = mkdtempSync(join(tmpdir(), "speedup-wordpress-"));
  await chmod(dir, 0o755); // the mysql user goes through it to its own folder
  const servers = [];
  const close = async () => {
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const db = await startMariaDB(join(dir, "db"));
    servers.push(db.server);
    const content = join(dir, "wp-content");
    mkdirSync(join(content, "mu-plugins"), { recursive: true });
    mkdirSync(join(content, "uploads"));
    symlinkSync(THEMES, join(content, "themes")); // same URLs as php -S serves from WP_ROOT
    copyFileSync(join(HERE, "allow-lab-host.php"), join(content, "mu-plugins", "allow-lab-host.php"));
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const settings = join(dir, "config.php");
    writeFileSync(settings, config({ socket: db.socket, url, content, labUrl }));
    const web = startGroup(
      "/usr/bin/php",
      ["-d", `auto_prepend_file=${join(HERE, "prepend.php")}`, "-S", `127.0.0.1:${port}`, "-t", WP_ROOT],
      { cwd: dir, env: { ...process.env, SPEEDUP_LAB_WP_CONFIG: settings, PHP_CLI_SERVER_WORKERS: "2" } },
    );
    servers.push(web);
    const local = `http://127.0.0.1:${port}`; // what Node reaches (WordPress answers any host)
    await waitForHttp(`${local}/wp-admin/install.php`, web, 30_000, "php -S (WordPress)");
    const user = "author";
    const password = random(24);
    const installed = await fetch(`${local}/wp-admin/install.php?step=2`, {
      method: "POST",
      body: new URLSearchParams({
        weblog_title: "Speedup Lab in WordPress",
        user_name: user,
        admin_password: password,
        admin_password2: password,
        admin_email: "author@example.com",
        blog_public: "0",
        language: "",
      }),
    });
    const page = await installed.text();
    if (!/Success!/.test(page))
      throw new Error(`WordPress's install form did not succeed:\n${page.slice(0, 2000)}\n${web.log()}`);
    /** Publishes a post through XML-RPC (wp.newPost) and returns its URL. */
    const post = async (title, body) => {
      const member = (name, value) =>
        `<member><name>${name}</name><value><string>${xml(value)}</string></value></member>`;
      const call = `<?xml version="1.0"?><methodCall><methodName>wp.newPost</methodName><params>
<param><value><int>1</int></value></param><param><value><string>${user}</string></value></param>
<param><value><string>${password}</string></value></param><param><value><struct>
${member("post_type", "post")}${member("post_status", "publish")}${member("post_title", title)}${member("post_content", body)}
</struct></value></param></params></methodCall>`;
      const res = await fetch(`${local}/xmlrpc.php`, {
        method: "POST",
        headers: { "Content-Type": "text/xml" },
        body: call,
      });
      const answer = await res.text();
      const id = answer.match(/<string>(\d+)<\/string>/)?.[1];
      if (!id) throw new Error(`wp.newPost failed:\n${answer}\n${web.log()}`);
      return `${url}/?p=${id}`;
    };
    return { url, local, post, close, log: () => web.log() };
  } catch (e) {
    await close();
    throw e;
  }
}
