"""multiprocessing for the Speedup Lab's Python card: each process is a Web Worker of its own.

Pyodide ships CPython's multiprocessing, but it cannot start a process (there is no fork, no
exec and no `_multiprocessing`). This package takes its place in every interpreter of a run
(www/python/python.worker.js writes it into the interpreter's file system, ahead of the standard
library) and keeps the `spawn` start method's semantics for the part of the API the guide uses:

- Process(target, args, kwargs, name, daemon): start, join(timeout), is_alive, exitcode, pid,
  name, terminate, kill, close; run() may be overridden in a subclass.
- Pool(processes) — default cpu_count(): map and starmap (CPython's default chunksize rule,
  chunks handed out first in, first out), apply, apply_async (get, wait, ready, successful),
  close, join, terminate, and the context manager (which terminates on exit, as in CPython).
- cpu_count, current_process, active_children, get_start_method (always "spawn"),
  set_start_method("spawn"), freeze_support.

How: the page starts a Worker per process (www/python/session.js and its parts); that Worker
boots its own interpreter, imports the main script as `__mp_main__` (so `if __name__ ==
"__main__":` works as in CPython), unpickles its Process object (target and arguments) or, in a
pool, each chunk of tasks, and sends results back pickled. A blocking call of the main interpreter
(join, map, get, time.sleep) blocks its Worker by the page's rung (www/python/blocking.js:
`Atomics.wait`, a JSPI suspension or the service worker's held request; the `_lab_mp` module, JS),
so it uses no core — except on the one-at-a-time rung, where a sleep spins.
The Worker starts each process through the entry points of _run.py, which this module exports.

One difference from CPython's spawn, on purpose: the guide's programs have no
`if __name__ == "__main__":` guard (their author ran them with fork, on Linux). Under spawn,
CPython stops such a child with a RuntimeError when its copy of the script tries to start a
process; here the child's copy of the script stops quietly at that point instead, with the
functions defined above it, so the guide's code runs unchanged.
"""

import os
import sys
import time
from time import perf_counter as _clock  # before time.sleep is replaced; never replaced

import _lab_mp  # the JS side of this package, registered by python.worker.js

from . import _lab
from ._lab import (
    ROLE,
    SUPPORTED,
    NotSupportedError,
    ProcessError,
    TimeoutError,
    _unsupported,
    cpu_count,
)
from .connection import Pipe
from .managers import Manager
from .pool import AsyncResult, Pool, RemoteTraceback
from .queues import JoinableQueue, Queue, SimpleQueue
from .sharedctypes import Array, RawArray, RawValue, Value
from .synchronize import Barrier, BoundedSemaphore, Condition, Event, Lock, RLock, Semaphore
from .process import Process, active_children, current_process, parent_process
from ._run import (  # noqa: F401  (what the Workers call: python.worker.js, inline.py)
    _import_main,
    _run_init,
    _run_main,
    _run_process,
    _run_task,
    _run_tasks,
    _slept,
)

__all__ = [
    "Process",
    "Pool",
    "cpu_count",
    "current_process",
    "parent_process",
    "active_children",
    "get_start_method",
    "set_start_method",
    "freeze_support",
    "TimeoutError",
    "ProcessError",
    "Queue",
    "SimpleQueue",
    "JoinableQueue",
    "Pipe",
    "Lock",
    "RLock",
    "Semaphore",
    "BoundedSemaphore",
    "Event",
    "Condition",
    "Barrier",
    "Value",
    "Array",
    "RawValue",
    "RawArray",
    "BufferTooShort",
    "Manager",
    "get_context",
    "get_all_start_methods",
    "set_executable",
    "set_forkserver_preload",
    "get_logger",
    "log_to_stderr",
]


class BufferTooShort(ProcessError):
    pass

# What CPython's multiprocessing has and this one does not, named in the error a reader gets.
_UNSUPPORTED = {"Listener", "Client", "allow_connection_pickling"}
_UNSUPPORTED_MODULES = {"shared_memory"}  # `from multiprocessing import shared_memory`: an ImportError


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name in _UNSUPPORTED_MODULES:
        raise ImportError(str(_unsupported(name)), name=f"multiprocessing.{name}")
    if name in _UNSUPPORTED:
        raise _unsupported(name)
    raise AttributeError(f"module 'multiprocessing' has no attribute {name!r} here (supported: {SUPPORTED})")



def get_start_method(allow_none=False):
    return "spawn"


def set_start_method(method, force=False):
    if method != "spawn":
        raise ValueError(
            f"start method {method!r} is not available in the browser: a Web Worker cannot fork, "
            "so every process is started with 'spawn'."
        )


def get_all_start_methods():
    return ["spawn"]


class _SpawnContext:
    """What get_context("spawn") returns: the package's API, with "spawn" as its start method
    (CPython's SpawnContext)."""

    _name = "spawn"

    def get_start_method(self, allow_none=False):
        return "spawn"

    def get_context(self, method=None):
        return get_context(method)

    def __getattr__(self, name):
        return getattr(sys.modules[__name__], name)

    def __repr__(self):
        return "<multiprocessing.context.SpawnContext object>"


_spawn_context = _SpawnContext()


def get_context(method=None):
    """The spawn context (the only one here); "fork" and "forkserver" raise CPython's ValueError
    for a method this platform lacks — a Web Worker cannot fork."""
    if method is None or method == "spawn":
        return _spawn_context
    if method in ("fork", "forkserver"):
        raise ValueError(f"cannot find context for {method!r}")
    raise ValueError(f"cannot find context for {method!r}")


def freeze_support():
    pass


def set_executable(executable):
    """Accepted and ignored: a Web Worker runs the page's one interpreter build."""


def set_forkserver_preload(module_names):
    """Accepted and ignored, as CPython does when the forkserver method is not in use."""


def get_logger():
    from . import util

    return util.get_logger()


def log_to_stderr(level=None):
    from . import util

    return util.log_to_stderr(level)


# --- what the package replaces in `time` and `os` ----------------------------------------------


def _sleep(seconds):
    """time.sleep without spinning (Pyodide's own spins): the process waits for its news for that
    long (Atomics.wait on its mailbox, a suspension on JSPI, a held request to the service worker),
    so a signal from another process ends the sleep as it would in CPython (see _lab's signals);
    only the one-at-a-time rung has to spin."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    t0 = _clock()
    try:
        _sleep_for(seconds)
    finally:
        _lab.SLEPT += _clock() - t0  # the card's advice tells sleeping work from computing work


def _sleep_for(seconds):
    if _lab.INLINE:
        if ROLE == "main":
            from .inline import run_pending

            run_pending()  # the main program waits: its children started so far run first
        _lab._block(_lab_mp.sleep(float(seconds) * 1000.0))
        return
    _lab._wait_until(lambda: False, float(seconds))


def _kill(pid, signum):
    """os.kill for the processes of this run (each a Worker: no other process is reachable)."""
    import signal

    pid, signum = int(pid), int(signum)
    if signum == 0:  # "does it exist?"
        if pid in (_lab.PID, _lab.PPID) or any(p.pid == pid for p in active_children()):
            return
        raise ProcessLookupError(3, "No such process")
    if signum not in signal.valid_signals():
        raise OSError(22, "Invalid argument")
    _lab._send_signal(pid, signum)


time.sleep = _sleep
os.cpu_count = cpu_count
os.process_cpu_count = cpu_count
# Each process its own pid, given by the page; a child's parent is the main program.
os.getpid = lambda: _lab.PID
os.getppid = lambda: _lab.PPID
os.kill = _kill


def _flushing(stream):
    """A stream whose flush() also sends what was printed to the page at once: the Worker
    batches lines (www/python/output.js), and `print(..., flush=True)` must not wait in a batch
    while the program computes (a busy interpreter runs no timer that would send it)."""
    flush = stream.flush

    def flush_to_page():
        flush()
        _lab_mp.flush_output()

    stream.flush = flush_to_page


_flushing(sys.stdout)
_flushing(sys.stderr)

from . import _futures  # noqa: E402  (after the package's names: it imports .pool)

_futures.install()
