/** Kept for the test files that import it from here: the helpers live in scripts/lib/chromium.mjs. */
export { ALLOWED_CONSOLE, CHROMIUM, launch, openPage } from "../../scripts/lib/chromium.mjs";
