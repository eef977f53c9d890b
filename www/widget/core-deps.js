/**
 * What the card needs from the Rust core: the lessons, the parameter table and its checks, the
 * pool-size rule. They wait for the core's wasm (core/core.js loads it with a top-level await),
 * so speedup-lab.js imports this module *dynamically*: the element is then defined as soon as the
 * widget's own module runs, and an author's `el.run()` at DOMContentLoaded or load finds the method
 * (it waits for this module inside). See EMBEDDING.md, "API".
 */
export { coreError, poolSize, retryCore } from "../core/core.js";
export { LESSON_IDS, LESSONS, lessonById } from "../lessons/index.js";
export { PARAMS, paramsFor, parseParam } from "../lessons/params.js";
