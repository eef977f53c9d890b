"""What a Pool hands back: AsyncResult (apply_async, map_async and the blocking calls made of
them) and the iterator of imap and imap_unordered, each filled as the page sends the chunks'
results (_lab's `_handle` calls their `_arrived`).

Apart from pool.py, which starts the workers and hands out the chunks, because a result only
waits and reads: a pool's tasks may finish after the Pool itself has been terminated. The classes
a reader can meet keep CPython's module name, `multiprocessing.pool` (in a repr, and above the
worker's traceback: `multiprocessing.pool.RemoteTraceback`), and pool.py still exports them.
"""

from collections import deque

from ._lab import ProcessError, TimeoutError, _callbacks, _drain, _loads, _results, _wait_until

_POOL_MODULE = "multiprocessing.pool"  # where CPython's reader finds these (see above)


def _broken_worker(message):
    """A task's worker ended outside Python (os._exit, a crash): a ProcessError as the reader
    sees it, marked so that concurrent.futures turns it into BrokenProcessPool."""
    error = ProcessError(message)
    error._lab_broken_worker = True
    return error


class RemoteTraceback(Exception):
    __module__ = _POOL_MODULE

    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class AsyncResult:
    __module__ = _POOL_MODULE

    def __init__(self, pool, task, callback=None, error_callback=None, collect=None):
        self._pool = pool
        self._tasks = task if isinstance(task, list) else [task]
        self._callback = callback
        self._error_callback = error_callback
        self._collect = collect  # turns the tasks' values into the result (map: concatenate)
        self._done = False
        # Counted down as results arrive: a check per arrival, not a scan of every task (a map
        # of 150 000 tasks would otherwise cost 10^10 checks).
        self._remaining = len(self._tasks)
        for t in self._tasks:
            _callbacks[t] = self

    def ready(self):
        _drain()
        return self._remaining == 0

    def _arrived(self):
        self._remaining -= 1
        if self._remaining == 0 and not self._done:
            self._done = True
            ok, value = self._outcome()
            if ok and self._callback:
                self._callback(value)
            elif not ok and self._error_callback:
                self._error_callback(value)

    def _outcome(self):
        """(ok, value or exception), computed once; the tasks' raw results are freed then."""
        if getattr(self, "_cached", None) is None:
            self._cached = self._compute()
            for t in self._tasks:
                _results.pop(t, None)
        return self._cached

    def _compute(self):
        values = []
        for t in self._tasks:
            message = _results[t]
            if "broken" in message:
                return False, _broken_worker(message["broken"])
            if not message["ok"]:
                error = _loads(message["error"])
                error.__cause__ = RemoteTraceback(f'\n"""\n{message["traceback"]}"""')
                return False, error
            values.append(_loads(message["value"]))
        return True, (self._collect(values) if self._collect else values[0])

    def successful(self):
        if not self.ready():
            raise ValueError(f"{self!r} not ready")
        return self._outcome()[0]

    def wait(self, timeout=None):
        _wait_until(lambda: self._remaining == 0, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        ok, value = self._outcome()
        if ok:
            return value
        raise value


MapResult = ApplyResult = AsyncResult


def _done_result(callback):
    result = AsyncResult(None, [], collect=lambda parts: [])
    result._done = True
    if callback is not None:
        callback([])
    return result



class _IMapIterator:
    """What imap and imap_unordered return: the chunks are all handed out at once (the page's
    queue gives them to whichever worker is free), and each value is yielded when it is here.
    `next(timeout)` raises multiprocessing.TimeoutError, as CPython's IMapIterator does."""

    __module__ = _POOL_MODULE

    def __init__(self, pool, func, iterable, chunksize, ordered):
        pool._check_running()
        if chunksize < 1:
            raise ValueError(f"Chunksize must be 1+, not {chunksize:n}")
        items = []
        self._failure = None  # an exception the iterable raised: it comes after the items before it
        try:
            for item in iterable:
                items.append(item)
        except Exception as e:
            # As CPython's: the chunk the iterable failed in is never sent; the failure comes
            # after the results of the whole chunks before it.
            self._failure = e
            del items[len(items) - len(items) % chunksize :]
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        self._tasks = pool._submit(func, chunks, False)
        self._ordered = ordered
        self._ready = deque()  # values of finished chunks, in the order they are to be yielded
        self._next_task = 0  # ordered: the index of the next chunk to yield
        self._finished = set()
        for t in self._tasks:
            _callbacks[t] = _Arrival(self, t)

    def _arrived(self, task):
        self._finished.add(task)
        if not self._ordered:
            self._take(task)
            return
        while self._next_task < len(self._tasks) and self._tasks[self._next_task] in self._finished:
            self._take(self._tasks[self._next_task])
            self._next_task += 1

    def _take(self, task):
        message = _results.pop(task)
        if "broken" in message:
            self._ready.append((False, _broken_worker(message["broken"])))
        elif not message["ok"]:
            error = _loads(message["error"])
            error.__cause__ = RemoteTraceback(f'\n"""\n{message["traceback"]}"""')
            self._ready.append((False, error))
        else:
            self._ready.extend((True, v) for v in _loads(message["value"]))

    def __iter__(self):
        return self

    def next(self, timeout=None):
        taken = len(self._finished)
        if not self._ready and taken == len(self._tasks) and (not self._ordered or self._next_task == len(self._tasks)):
            if self._failure is not None:
                failure, self._failure = self._failure, None
                raise failure
            raise StopIteration
        if not _wait_until(lambda: bool(self._ready), timeout):
            raise TimeoutError
        ok, value = self._ready.popleft()
        if ok:
            return value
        raise value

    __next__ = next


class _Arrival:
    """One imap chunk's callback slot (_lab's `_handle` calls `_arrived()` on it)."""

    def __init__(self, iterator, task):
        self._iterator = iterator
        self._task = task

    def _arrived(self):
        self._iterator._arrived(self._task)

