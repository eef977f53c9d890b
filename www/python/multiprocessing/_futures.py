"""concurrent.futures on the lab's processes: `ProcessPoolExecutor` on this package's Pool (each
worker a Web Worker with its own interpreter), and the module-level `wait` and `as_completed`
made to wait the lab's way (CPython's wait on a threading.Event, which an interpreter without
threads could never see set).

Installed by __init__.py as `concurrent.futures.process` (so `from concurrent.futures import
ProcessPoolExecutor` finds it) and `concurrent.futures.thread`'s executor.

`ThreadPoolExecutor` differs from CPython's, and says so: the interpreter here has no threads,
so each call runs at once, in `submit`, in the calling process — results, exceptions and
callbacks as CPython gives them, with no concurrency.
"""

import concurrent.futures as _cf
import itertools
import time
from concurrent.futures import _base

from . import _lab
from .pool import Pool

FIRST_COMPLETED = _base.FIRST_COMPLETED
FIRST_EXCEPTION = _base.FIRST_EXCEPTION
ALL_COMPLETED = _base.ALL_COMPLETED


class BrokenProcessPool(_base.BrokenExecutor):
    """Raised when a worker of a ProcessPoolExecutor ended abruptly (as CPython's)."""


_MODULE = "concurrent.futures.process"  # where a reader's traceback says they come from
BrokenProcessPool.__module__ = _MODULE


class _Future(_base.Future):
    """A Future whose result() and exception() wait the lab's way: the page's news is read
    while waiting, so the worker's answer arrives (CPython's waits on a condition variable)."""

    def result(self, timeout=None):
        _pump_until(self.done, timeout)
        return super().result(0)  # a TimeoutError if it is still not done

    def exception(self, timeout=None):
        _pump_until(self.done, timeout)
        return super().exception(0)


def _pump_until(done, timeout):
    if done():
        return True
    return _lab._wait_until(done, timeout)


class ProcessPoolExecutor(_base.Executor):
    """CPython's ProcessPoolExecutor, on this package's Pool."""

    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        if max_workers is None:
            max_workers = _lab.cpu_count()
        elif max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if _lab.POOL_SIZE:
            max_workers = _lab.POOL_SIZE  # a sweep's run: the card says so
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError("max_tasks_per_child must be an integer")
            if max_tasks_per_child <= 0:
                raise ValueError("max_tasks_per_child must be >= 1")
        self._max_workers = max_workers
        self._initializer = initializer
        self._initargs = initargs
        self._max_tasks_per_child = max_tasks_per_child
        self._pool = None  # started at the first submit, as CPython starts its processes
        self._futures = []
        self._shutdown = False
        self._broken = None

    def _the_pool(self):
        if self._pool is None:
            self._pool = Pool(
                self._max_workers, self._initializer, self._initargs, maxtasksperchild=self._max_tasks_per_child
            )
        return self._pool

    def submit(self, fn, /, *args, **kwargs):
        if self._broken:
            raise BrokenProcessPool(self._broken)
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future = _Future()

        def done(value):
            if not future.cancelled():
                future.set_result(value)

        def failed(error):
            if getattr(error, "_lab_broken_worker", False):
                self._broken = (
                    "A process in the process pool was terminated abruptly while the future was "
                    "running or pending."
                )
                error = BrokenProcessPool(self._broken)
            if not future.cancelled():
                future.set_exception(error)

        self._the_pool().apply_async(fn, args, kwargs, callback=done, error_callback=failed)
        self._futures.append(future)
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1, buffersize=None):
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        end = None if timeout is None else time.monotonic() + timeout
        items = list(zip(*iterables))
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        futures = [self.submit(_run_chunk, fn, chunk) for chunk in chunks]

        def results():
            try:
                for future in futures:
                    left = None if end is None else end - time.monotonic()
                    if left is not None and left <= 0 and not future.done():
                        raise TimeoutError()
                    yield from future.result(left)
            finally:
                for future in futures:
                    future.cancel()

        return results()

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True
        if cancel_futures:
            for future in self._futures:
                future.cancel()
        if self._pool is None:
            return
        if cancel_futures:
            self._pool.terminate()
        elif wait:
            self._pool.close()
            self._pool.join()
        else:
            self._pool.close()


ProcessPoolExecutor.__module__ = _MODULE


def _run_chunk(fn, chunk):
    return [fn(*args) for args in chunk]


class ThreadPoolExecutor(_base.Executor):
    """No threads here: each call runs in submit(), in this process (see the module's doc)."""

    _counter = itertools.count()

    def __init__(self, max_workers=None, thread_name_prefix="", initializer=None, initargs=()):
        if max_workers is not None and max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._shutdown = False
        self._initialized = initializer is None
        self._initializer = initializer
        self._initargs = initargs
        self._max_workers = max_workers or 1

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if not self._initialized:
            self._initialized = True
            self._initializer(*self._initargs)
        future = _base.Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    """concurrent.futures.wait, waiting the lab's way."""
    fs = set(fs)

    def enough():
        done = [f for f in fs if f.done()]
        if return_when == FIRST_COMPLETED:
            return bool(done)
        if return_when == FIRST_EXCEPTION and any(not f.cancelled() and f.exception(0) for f in done):
            return True
        return len(done) == len(fs)

    _pump_until(enough, timeout)
    done = {f for f in fs if f.done()}
    return _base.DoneAndNotDoneFutures(done, fs - done)


def as_completed(fs, timeout=None):
    """concurrent.futures.as_completed, waiting the lab's way: each future as it finishes."""
    end = None if timeout is None else time.monotonic() + timeout
    pending = list(dict.fromkeys(fs))
    while pending:
        finished = [f for f in pending if f.done()]
        if not finished:
            left = None if end is None else end - time.monotonic()
            if (left is not None and left <= 0) or not _pump_until(lambda: any(f.done() for f in pending), left):
                raise TimeoutError(f"{len(pending)} (of {len(pending)}) futures unfinished")
            continue
        for f in finished:
            pending.remove(f)
            yield f


def install():
    """Make `concurrent.futures` use this module's executors, wait and as_completed."""
    import sys
    import types

    process = types.ModuleType("concurrent.futures.process")
    process.ProcessPoolExecutor = ProcessPoolExecutor
    process.BrokenProcessPool = BrokenProcessPool
    sys.modules["concurrent.futures.process"] = process
    thread = types.ModuleType("concurrent.futures.thread")
    thread.ThreadPoolExecutor = ThreadPoolExecutor
    thread.BrokenThreadPool = _base.BrokenExecutor
    sys.modules["concurrent.futures.thread"] = thread
    _cf.process = process  # as importing the submodule sets it on its package
    _cf.thread = thread
    _cf.ProcessPoolExecutor = ProcessPoolExecutor
    _cf.ThreadPoolExecutor = ThreadPoolExecutor
    _cf.wait = _base.wait = wait
    _cf.as_completed = _base.as_completed = as_completed
