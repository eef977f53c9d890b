/**
 * How a cancelled run ends, everywhere (process pool, coordinator, client, widget): a
 * `DOMException` named "AbortError", what `AbortSignal` users already check for
 * (`error.name === "AbortError"`). Never recognised by its message text.
 */

/** The error a cancelled run rejects with. */
export function abortError() {
  return new DOMException("The run was cancelled.", "AbortError");
}

/**
 * Whether `error` is a cancellation. Crossing a Worker boundary (Comlink) turns the
 * DOMException into a plain Error that keeps its name, hence the name test.
 */
export function isAbort(error) {
  return error?.name === "AbortError";
}
