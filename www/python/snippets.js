/**
 * The guide's Python programs, as the python card pre-fills its editor with them: the guide's
 * code as it should have been printed. Fixed: `toc - tic` where the guide's text has `knock-tic`
 * (a translation slip), and the indentation its page lost. Changed: only the perfect-number
 * range — the guide's `range(1, 100000)` takes minutes in any CPython (the loop is O(N²)), so the
 * loop and Pool() run to 10 000, and one Process per number to 10 numbers (each process boots
 * an interpreter here); a comment in the code says so, and the guide's value is one edit away.
 * Each program is exactly what the guide runs: no `if __name__ == "__main__":` guard (see
 * multiprocessing/__init__.py for how that runs under spawn).
 */

/** `rust`: the lab's run of the same lesson, for the perfect-number programs (the run spec
 * for an N read from the code); the sleep programs sleep as long in any language. */
export const SNIPPETS = [
  {
    id: "sleep-twice",
    expect: "One interpreter sleeps 1 s, twice: Done in ≈ 2 s.",
    label: "sleepy_man twice, in a row",
    code: `import time

def sleepy_man():
    print('Starting to sleep')
    time.sleep(1)
    print('Done sleeping')

tic = time.time()
sleepy_man()
sleepy_man()
toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "start-no-join",
    expect:
      "start() only launches: the timer prints ≈ 0 s first, then both processes sleep — after their interpreters have booted — and the program ends when they do.",
    label: "two Processes started, no join()",
    code: `import multiprocessing
import time

def sleepy_man():
    print('Starting to sleep')
    time.sleep(1)
    print('Done sleeping')

tic = time.time()
p1 = multiprocessing.Process(target=sleepy_man)
p2 = multiprocessing.Process(target=sleepy_man)
p1.start()
p2.start()
toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "start-join",
    expect:
      "Both processes sleep at once and join() waits for them: Done in ≈ 1 s plus the time their interpreters take to start.",
    label: "two Processes, start() + join()",
    code: `import multiprocessing
import time

def sleepy_man():
    print('Starting to sleep')
    time.sleep(1)
    print('Done sleeping')

tic = time.time()
p1 = multiprocessing.Process(target=sleepy_man)
p2 = multiprocessing.Process(target=sleepy_man)
p1.start()
p2.start()
p1.join()
p2.join()
toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "ten-processes",
    expect:
      "Ten sleeps of 1 s overlap — a sleep uses no core — so on 2 cores the total is ≈ 1 s plus the interpreters' start-up, which on 2 cores comes two at a time (the grey bars).",
    label: "ten Processes",
    code: `import multiprocessing
import time

def sleepy_man():
    print('Starting to sleep')
    time.sleep(1)
    print('Done sleeping')

tic = time.time()

process_list = []
for i in range(10):
    p = multiprocessing.Process(target=sleepy_man)
    p.start()
    process_list.append(p)

for process in process_list:
    process.join()

toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "args",
    expect: "The same with args=[2]: each process sleeps 2 s, all overlapping.",
    label: "ten Processes, args=[2]",
    code: `import multiprocessing
import time

def sleepy_man(sec):
    print('Starting to sleep')
    time.sleep(sec)
    print('Done sleeping')

tic = time.time()

process_list = []
for i in range(10):
    p = multiprocessing.Process(target=sleepy_man, args=[2])
    p.start()
    process_list.append(p)

for process in process_list:
    process.join()

toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "pool-sleep",
    expect:
      "Five processes take the ten tasks first in, first out (chunksize 1): the sixth waits for the first to end; ≈ 15 s in all, as the guide prints.",
    label: "Pool(5).map over 1..10",
    code: `import time
from multiprocessing import Pool


def sleepy_man(sec):
    print('Starting to sleep for {} seconds'.format(sec))
    time.sleep(sec)
    print('Done sleeping for {} seconds'.format(sec))

tic = time.time()

pool = Pool(5)
pool.map(sleepy_man, range(1, 11))
pool.close()

toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "perfect-loop",
    expect:
      "One interpreter tests every number below 10 000: 6, 28, 496 and 8128; then the lab's Rust runs the same loop.",
    label: "perfect numbers: a loop",
    rust: "sequential",
    code: `import time

def is_perfect(n):
    sum_factors = 0
    for i in range(1, n):
        if (n % i == 0):
            sum_factors = sum_factors + i
    if (sum_factors == n):
        print('{} is a Perfect number'.format(n))

tic = time.time()
# The guide: range(1, 100000), minutes in any CPython (the loop is O(N²)).
for n in range(1, 10000):
    is_perfect(n)
toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "perfect-process",
    expect:
      "Ten processes, one per number: each pays a whole interpreter's start-up to test one small number — the card measures that cost.",
    label: "perfect numbers: one Process per number",
    rust: "spawn-per-task",
    code: `import time
import multiprocessing

def is_perfect(n):
    sum_factors = 0
    for i in range(1, n):
        if (n % i == 0):
            sum_factors = sum_factors + i
    if (sum_factors == n):
        print('{} is a Perfect number'.format(n))

tic = time.time()

# The guide: range(1, 100000) — here each process starts its own interpreter
# (a fraction of a second or more each), so one process per number stops at ten.
processes = []
for i in range(1, 11):
    p = multiprocessing.Process(target=is_perfect, args=(i,))
    processes.append(p)
    p.start()

for process in processes:
    process.join()

toc = time.time()
print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
  {
    id: "perfect-pool",
    expect:
      "cpu_count() processes take chunks of numbers (CPython's chunksize rule: four chunks per process), first in, first out; the card shows the pool's start-up apart from its map, and the N from which it pays off.",
    label: "perfect numbers: Pool()",
    rust: "pool-map",
    code: `import time
import multiprocessing

def is_perfect(n):
    sum_factors = 0
    for i in range(1, n):
        if (n % i == 0):
            sum_factors = sum_factors + i
    if (sum_factors == n):
        print('{} is a Perfect number'.format(n))

tic = time.time()
# The guide: range(1, 100000), minutes in any CPython (the loop is O(N²)).
pool = multiprocessing.Pool()
pool.map(is_perfect, range(1, 10000))
pool.close()
toc = time.time()

print('Done in {:.4f} seconds'.format(toc - tic))
`,
  },
];

export const snippetById = (id) => SNIPPETS.find((s) => s.id === id) ?? null;

/** The N of a perfect-number program: the end of its `range(1, N)` (the last one in the code). */
export function perfectN(code) {
  const all = [...code.matchAll(/range\(\s*1\s*,\s*([\d_]+)\s*\)/g)];
  const n = all.length ? Number(all.at(-1)[1].replaceAll("_", "")) : Number.NaN;
  return Number.isSafeInteger(n) && n > 1 ? n : null;
}
