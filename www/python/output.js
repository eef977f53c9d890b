/**
 * What one Python process prints, on its way to the page: in batches, bounded, so that no program
 * can flood the page (a loop printing 2 000 000 lines, one line of 100 MB).
 *
 * - A batch leaves when it holds BATCH_LINES lines or BATCH_MS have passed since the last one
 *   (checked as lines arrive: a busy interpreter runs no timers), and whenever the process is
 *   about to wait or has finished a request (`flush`), so nothing printed is held back then.
 * - A line longer than MAX_LINE_CHARS is cut, saying how much was left out.
 * - Past MAX_LINES lines, a process sends no more text, only how many lines it dropped, and at
 *   the end of its request its last TAIL_LINES: the page never receives more than
 *   (MAX_LINES + TAIL_LINES) × processes lines, whatever the program does.
 *
 * A batch is the event `{type: "lines", lines: [{stream, text, t, process?}], dropped}`; `process`
 * names a child that the main program runs itself (the one-at-a-time rung), else the line is the
 * Worker's own process's.
 */
export const BATCH_LINES = 200;
export const BATCH_MS = 50;
export const MAX_LINE_CHARS = 10_000;
export const MAX_LINES = 20_000;
/** Past MAX_LINES, the last TAIL_LINES lines are still sent, when the process ends its request
 * (a program's last lines — its result, its "Done in" — matter most). */
export const TAIL_LINES = 100;

/** `text` cut to `max` characters, saying how many more there were. */
export function cutLine(text, max = MAX_LINE_CHARS) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export class Output {
  #own;
  #process;
  #send;
  #batch = [];
  #last = performance.now();
  #sent = 0;
  #dropped = 0;
  #droppedSent = 0;
  #tail = [];

  /** `own`: the Worker's process name; `send(event)` posts a batch to the page. */
  constructor(own, send) {
    this.#own = own;
    this.#process = own;
    this.#send = send;
  }

  /** Who prints from now on (one at a time: a child run by the main program, then back). */
  setProcess(name) {
    this.flush();
    this.#process = name;
  }

  line(stream, text) {
    const full = this.#sent + this.#batch.length >= MAX_LINES;
    const line = {
      stream,
      text: cutLine(String(text), full ? 200 : MAX_LINE_CHARS),
      t: performance.timeOrigin + performance.now(),
    };
    if (this.#process !== this.#own) line.process = this.#process;
    if (full) {
      this.#tail.push(line);
      if (this.#tail.length > TAIL_LINES) {
        this.#tail.shift();
        this.#dropped++;
      }
    } else {
      this.#batch.push(line);
    }
    if (this.#batch.length >= BATCH_LINES || performance.now() - this.#last >= BATCH_MS) this.flush();
  }

  /** Send what is held; `final` (the request ended): the tail too. */
  flush(final = false) {
    if (final && this.#tail.length) {
      this.#batch.push(...this.#tail);
      this.#tail = [];
    }
    if (!this.#batch.length && this.#dropped === this.#droppedSent) return;
    // Only a real send starts the next window: a line after a quiet spell leaves at once.
    this.#last = performance.now();
    const lines = this.#batch;
    this.#batch = [];
    this.#sent += lines.length;
    this.#droppedSent = this.#dropped;
    this.#send({ type: "lines", lines, dropped: this.#dropped });
  }
}
