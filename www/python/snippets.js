/**
 * The guide's Python programs, as the python card pre-fills its editor with them: the guide's
 * code as it should have been printed. Fixed: `toc - tic` where the guide's text has `knock-tic`
 * (a translation slip), and the indentation its page lost. Changed: only the perfect-number
 * range — the guide's `range(1, 100000)` takes minutes in any CPython (the loop is O(N²)), so the
 * loop and Pool() run to 10 000, and one Process per number to 10 numbers (each process boots
 * an interpreter here); a comment in the code says so, and the guide's value is one edit away.
 * Each program is exactly what the guide runs: no `if __name__ == "__main__":` guard (see
 * multiprocessing.py for how that runs under spawn).
 */

/** `rust`: the lab's run of the same lesson, for the perfect-number programs (the run spec
 * for an N read from the code); the sleep programs sleep as long in any language. */
export const SNIPPETS = [
  {
    id: "sleep-twice",
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

# The guide: range(1, 100000) — here each process boots its own interpreter
# (seconds each), so one process per number stops at ten numbers.
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
