"""Pool: processes that take chunks of tasks from one first-in, first-out queue (kept by the page)."""

from . import _lab
from ._lab import (
    SUPPORTED,
    NotSupportedError,
    ProcessError,
    _callbacks,
    _check_may_start,
    _drain,
    _dumps,
    _exitcodes,
    _ids,
    _loads,
    _pools,
    _post,
    _results,
    _unsupported,
    _wait_until,
    cpu_count,
)


class RemoteTraceback(Exception):
    def __init__(self, tb):
        self.tb = tb

    def __str__(self):
        return self.tb


class AsyncResult:
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
        values = []
        for t in self._tasks:
            message = _results[t]
            if "broken" in message:
                return False, ProcessError(message["broken"])
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
        for t in self._tasks:
            _results.pop(t, None)
        if ok:
            return value
        raise value


MapResult = ApplyResult = AsyncResult


def _default_chunksize(n_items, n_processes):
    """CPython's rule (Pool._map_async): four chunks per process, rounded up."""
    chunksize, extra = divmod(n_items, n_processes * 4)
    return chunksize + 1 if extra else chunksize


class Pool:
    """Processes that take chunks of tasks from one first-in, first-out queue (kept by the page)."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None, context=None):
        _check_may_start("Pool()")
        if processes is None:
            processes = cpu_count()
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        _lab._check_count(processes, f"Pool({processes})")
        if initializer is not None or maxtasksperchild is not None:
            raise NotSupportedError(
                f"Pool(initializer=…, maxtasksperchild=…) is not supported in this browser lab "
                f"(supported: {SUPPORTED})."
            )
        self._processes = processes
        self._id = next(_ids)
        self._state = "RUN"
        _pools.append(self)
        if _lab.INLINE:
            from .inline import start_pool

            self._names = start_pool(self._id, processes)
            self._next_member = 0
            return
        _post({"type": "pool", "pool": self._id, "processes": processes})

    def __getattr__(self, name):
        if name in ("imap", "imap_unordered", "map_async", "starmap_async"):
            raise _unsupported(f"Pool.{name}")
        raise AttributeError(name)

    def _check_running(self):
        if self._state != "RUN":
            raise ValueError("Pool not running")

    def _submit(self, func, chunks, star):
        tasks = []
        payloads = []
        for chunk in chunks:
            task = next(_ids)
            tasks.append(task)
            payloads.append({"task": task, "size": len(chunk), "payload": _dumps((func, chunk, star))})
        if _lab.INLINE:
            from .inline import submit

            for p in payloads:
                submit(self, p["task"], p["size"], p["payload"])
            return tasks
        _post({"type": "tasks", "pool": self._id, "tasks": payloads})
        return tasks

    def _map(self, func, iterable, chunksize, star):
        self._check_running()
        items = list(iterable)
        if not items:
            return []
        if chunksize is None:
            chunksize = _default_chunksize(len(items), self._processes)
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        tasks = self._submit(func, chunks, star)
        return AsyncResult(self, tasks, collect=lambda parts: [x for part in parts for x in part]).get()

    def map(self, func, iterable, chunksize=None):
        return self._map(func, iterable, chunksize, False)

    def starmap(self, func, iterable, chunksize=None):
        return self._map(func, iterable, chunksize, True)

    def apply_async(self, func, args=(), kwds=None, callback=None, error_callback=None):
        self._check_running()
        [task] = self._submit(_Call(func, kwds or {}), [[tuple(args)]], True)
        return AsyncResult(self, task, callback, error_callback, collect=lambda parts: parts[0][0])

    def apply(self, func, args=(), kwds=None):
        return self.apply_async(func, args, kwds).get()

    def close(self):
        if self._state == "RUN":
            self._state = "CLOSE"
            if not _lab.INLINE:
                _post({"type": "close", "pool": self._id})

    def terminate(self):
        if self._state != "TERMINATE":
            self._state = "TERMINATE"
            if _lab.INLINE:
                from .inline import end_pool

                if self._id not in _exitcodes:
                    end_pool(self, terminated=True)
                return
            _post({"type": "terminate-pool", "pool": self._id})

    def join(self):
        if self._state == "RUN":
            raise ValueError("Pool is still running")
        if _lab.INLINE:
            from .inline import end_pool

            if self._id not in _exitcodes:
                end_pool(self, terminated=False)
            return
        _wait_until(lambda: self._id in _exitcodes)

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")


class _Call:
    """A function with keyword arguments, picklable when the function is (apply_async's kwds)."""

    def __init__(self, func, kwds):
        self.func = func
        self.kwds = kwds

    def __call__(self, *args):
        return self.func(*args, **self.kwds)

