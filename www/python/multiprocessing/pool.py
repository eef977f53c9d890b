"""Pool: processes that take chunks of tasks from one first-in, first-out queue (kept by the page).

What a Pool hands back — AsyncResult, imap's iterator — is in _pool_results.py; its names are
exported here too, where CPython has them.
"""

from . import _lab
from ._lab import (
    _check_may_start,
    _dumps,
    _exitcodes,
    _ids,
    _pools,
    _post,
    _wait_until,
    cpu_count,
)
from ._pool_results import (  # noqa: F401  (CPython's names in multiprocessing.pool)
    ApplyResult,
    AsyncResult,
    MapResult,
    RemoteTraceback,
    _done_result,
    _IMapIterator,
)


# CPython's pool states.
RUN = "RUN"
CLOSE = "CLOSE"
TERMINATE = "TERMINATE"


class _Worker:
    """What `Pool._pool` lists: one worker's name and pid (CPython's holds its Process objects)."""

    def __init__(self, name, pid):
        self.name = name
        self.pid = pid
        self._alive = True

    def is_alive(self):
        return self._alive

    def __repr__(self):
        return f"<SpawnProcess name={self.name!r} pid={self.pid}>"


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
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int) or maxtasksperchild <= 0):
            raise ValueError("maxtasksperchild must be a positive int or None")
        if _lab.POOL_SIZE:
            processes = _lab.POOL_SIZE  # a sweep's run: the card says so
        _lab._check_count(processes, f"Pool({processes})")
        self._processes = processes
        self._initializer = initializer
        self._initargs = tuple(initargs)
        self._maxtasksperchild = maxtasksperchild
        self._id = next(_ids)
        self._state = "RUN"
        # Named and numbered as CPython's pool makes its Process objects (the same counter).
        names = [f"SpawnPoolWorker-{next(_lab._identity)}" for _ in range(processes)]
        self._pids = [next(_lab._pids) for _ in range(processes)]
        self._pool = [_Worker(n, p) for n, p in zip(names, self._pids)]
        _pools.append(self)
        if _lab.INLINE:
            from .inline import start_pool

            self._names = start_pool(self._id, names)
            self._next_member = 0
            if initializer is not None:
                initializer(*self._initargs)  # one interpreter here: once, as one worker would
            return
        message = {
            "type": "pool",
            "pool": self._id,
            "processes": processes,
            "names": names,
            "pids": self._pids,
        }
        if initializer is not None:
            # Each worker runs it once, when it starts, before any task (CPython's worker()).
            _lab._spawning = True  # initargs go with the workers being started (Value, Array may)
            try:
                message["init"] = _dumps((initializer, self._initargs))
            finally:
                _lab._spawning = False
        if maxtasksperchild is not None:
            message["maxtasks"] = maxtasksperchild
        _post(message)

    def _replaced(self, index, name, pid):
        """The page replaced worker `index` (maxtasksperchild): `_pool` lists the new one."""
        if 0 <= index < len(self._pool):
            self._pool[index]._alive = False
            self._pool[index] = _Worker(name, pid)

    def _repopulate_pool(self):
        """CPython's: start workers where some have ended. The page replaces them itself; here
        this takes its news, so `_pool` lists the workers running now."""
        _lab._drain()

    def _check_running(self):
        if self._state != "RUN":
            raise ValueError("Pool not running")

    def _submit(self, func, chunks, star):
        tasks = []
        payloads = []
        first = 0  # the chunk's first item in its map (the card's task-by-task view)
        for chunk in chunks:
            task = next(_ids)
            tasks.append(task)
            payloads.append(
                {"task": task, "size": len(chunk), "first": first, "payload": _dumps((func, chunk, star))}
            )
            first += len(chunk)
        if _lab.INLINE:
            from .inline import submit

            for p in payloads:
                submit(self, p["task"], p["size"], p["payload"])
            return tasks
        _post({"type": "tasks", "pool": self._id, "tasks": payloads})
        return tasks

    def _map_async(self, func, iterable, chunksize, star, callback=None, error_callback=None):
        self._check_running()
        items = list(iterable)
        if not items:
            return _done_result(callback)  # as CPython: no task, the result is [] at once
        if chunksize is None:
            chunksize = _default_chunksize(len(items), self._processes)
        if chunksize < 1:
            raise ValueError(f"Chunksize must be 1+, not {chunksize:n}")
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        tasks = self._submit(func, chunks, star)
        collect = lambda parts: [x for part in parts for x in part]  # noqa: E731
        return AsyncResult(self, tasks, callback, error_callback, collect=collect)

    def map(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, chunksize, False).get()

    def starmap(self, func, iterable, chunksize=None):
        return self._map_async(func, iterable, chunksize, True).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, chunksize, False, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, chunksize, True, callback, error_callback)

    def imap(self, func, iterable, chunksize=1):
        """Results in order, each as soon as it and those before it are back."""
        return _IMapIterator(self, func, iterable, chunksize, ordered=True)

    def imap_unordered(self, func, iterable, chunksize=1):
        """Results in the order the chunks finish."""
        return _IMapIterator(self, func, iterable, chunksize, ordered=False)

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

