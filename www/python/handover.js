/**
 * "Run it on the lab's page": where a browser can give an author's page only the one-at-a-time
 * rung (blocking.js), the python card offers to open the lab's hosted page with the program, where
 * the lab's service worker lets its processes run at once. The program travels in the URL's
 * fragment (never sent to any server), UTF-8 in base64url, bounded: `#python.program=…`.
 */
export const MAX_PROGRAM_BYTES = 16 * 1024;
const PREFIX = "#python.program=";

/** The hosted page's URL (index.html beside www/), from this module's own URL. */
export const LAB_PAGE = new URL("../../", import.meta.url);

function toBase64Url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The hosted page's URL with `source` in its fragment, or null when the program is too long. */
export function handoverUrl(source, page = LAB_PAGE) {
  const bytes = new TextEncoder().encode(source);
  if (bytes.length > MAX_PROGRAM_BYTES) return null;
  const url = new URL(page);
  url.hash = `${PREFIX.slice(1)}${toBase64Url(bytes)}`;
  return url.href;
}

/** The program a `#python.program=…` fragment carries, or null (absent, too long or not UTF-8). */
export function programFromHash(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  const text = hash.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length > Math.ceil((MAX_PROGRAM_BYTES * 4) / 3)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
