"""The wire between this package and the page, and what every part of it shares.

The main interpreter posts JSON messages to the page (`_lab_mp.post`) and, when it must wait for
a child (join, map, get), reads the page's news (`_lab_mp.next_message`). How it waits is the
page's blocking rung (`_lab_mp.blocking`, www/python/blocking.js): on "shared-memory" the JS call
itself blocks in Atomics.wait; on "jspi" it returns a promise that `run_sync` suspends this
interpreter on (its Worker's event loop runs meanwhile, and the page's news resolves it); on
"one-at-a-time" the main program runs its children itself (inline.py) and never waits for news.
Objects travel pickled, as base64 text inside the JSON.
"""

import base64
import itertools
import json
import pickle
import time

import _lab_mp  # the JS side of this package, registered by python.worker.js

SUPPORTED = (
    "Process (start, join, is_alive, exitcode, terminate, kill, interrupt, sentinel), Pool (map, "
    "starmap, imap, apply, apply_async, close, join, terminate, with), Queue, SimpleQueue, "
    "JoinableQueue, Pipe, connection.wait, Lock, "
    "RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Value, Array, Manager (dict, "
    "list, Namespace and the objects above), cpu_count, current_process, parent_process, "
    "active_children, concurrent.futures.ProcessPoolExecutor"
)


class ProcessError(Exception):
    pass


class TimeoutError(ProcessError):
    pass


class NotSupportedError(NotImplementedError):
    """Raised for the parts of multiprocessing that the lab's Web Worker processes do not have."""


NotSupportedError.__module__ = "multiprocessing"  # as a reader imports it


def _unsupported(what):
    return NotSupportedError(
        f"multiprocessing.{what} is not available in this browser lab: each process is a Web "
        f"Worker with its own interpreter, and only these are supported: {SUPPORTED}."
    )



# --- the wire: JSON messages to the page, pickles as base64 -------------------------------------

ROLE = _lab_mp.role  # "main", "process" or "pool"
_NAME = _lab_mp.name  # "MainProcess", "Process-1", "SpawnPoolWorker-1"
BLOCKING = _lab_mp.blocking  # "shared-memory", "jspi" or "one-at-a-time"
INLINE = BLOCKING == "one-at-a-time"  # the main program runs its children itself (inline.py)

if BLOCKING == "jspi":
    from pyodide.ffi import run_sync as _block  # suspend on the JS side's promise
else:

    def _block(value):  # the JS call has already waited (Atomics.wait), or never waits
        return value


def _post(message):
    _lab_mp.post(json.dumps(message))


def _dumps(obj):
    return base64.b64encode(pickle.dumps(obj)).decode("ascii")


def _loads(text):
    return pickle.loads(base64.b64decode(text))


class _StopMain(BaseException):
    """Ends a child's copy of an unguarded main script where it would start a process."""


_bootstrapping = False  # True while a child runs its copy of the main script
_pickling_for = None  # the name of the process whose Process object is being pickled (start())
_spawning = False  # True while a Process object or a pool's initargs are pickled (assert_spawning)
_in_child = False  # True while the main program runs a child itself (one at a time, inline.py)


MAX_PROCESSES = int(_lab_mp.max_processes)  # the page's cap on processes in one run (messages.js)
_started = 0  # processes and pool workers asked for so far


def _check_count(n, what):
    """Refuse, before any message to the page, a program past the run's cap on processes."""
    global _started
    if _started + n > MAX_PROCESSES:
        raise ValueError(
            f"{what} would make {_started + n} processes in this run; the lab stops at {MAX_PROCESSES}. "
            "Each process here is a Web Worker that boots its own Python interpreter (seconds each, "
            "tens of MB): use a Pool of a few processes and give it all the tasks."
        )
    _started += n


def _check_may_start(what):
    if _bootstrapping:
        raise _StopMain()
    if ROLE != "main" or _in_child:
        raise NotSupportedError(
            f"{what} inside a child process is not supported in this browser lab: only the main "
            f"program starts processes (supported: {SUPPORTED})."
        )


# --- the main interpreter's view of its children -------------------------------------------------

_exitcodes = {}  # pid -> exit code, as the page reports them
_results = {}  # task id -> message with "ok", "value" or "error"
_replies = {}  # request id -> the page's answer about a shared object (_sync.py)
_callbacks = {}  # task id -> AsyncResult whose callbacks run when the result arrives
_ids = itertools.count(1)  # the page's keys for processes, pools and tasks (never shown)
_identity = itertools.count(1)  # CPython's _current_process._counter: Process-1, SpawnPoolWorker-2…
PID = int(_lab_mp.pid)  # this process's os.getpid(), given by the page (session.js, children.js, pool-dispatch.js)
SLEPT = 0.0  # seconds this process spent in time.sleep (__init__._sleep), for the card's advice
PPID = int(_lab_mp.ppid)
_pids = itertools.count(PID + 1)  # the main program's children's pids, in the order they start
_children = {}  # pid -> Process started and not yet joined
_pools = []


def _handle(message):
    kind = message["type"]
    if kind == "reply":
        _replies[message["req"]] = message
    elif kind == "exit":
        _exitcodes[message["pid"]] = message["exitcode"]
    elif kind == "results":  # a pool worker's batch of chunks (pool-dispatch.js)
        for result in message["results"]:
            _handle({"type": "result", **result})
    elif kind == "result":
        _results[message["task"]] = message
        pending = _callbacks.pop(message["task"], None)
        if pending is not None:
            pending._arrived()
    elif kind == "broken":  # a pool worker ended outside Python while running this task
        _results[message["task"]] = {"ok": False, "broken": message["message"]}
        pending = _callbacks.pop(message["task"], None)
        if pending is not None:
            pending._arrived()
    elif kind == "files":  # what a child wrote, before its exit (_files.py)
        from ._files import write

        write(_loads(message["files"]))
    elif kind == "pool-member":  # a worker replaced after maxtasksperchild (pool.py's _pool)
        for pool in _pools:
            if pool._id == message["pool"]:
                pool._replaced(message["index"], message["name"], message["pid"])
    elif kind == "signal":  # os.kill or Process.interrupt from another process (run-news.js)
        _pending_signals.append(int(message["signal"]))
    elif kind == "failed":
        raise ProcessError(message["message"])


# --- signals between processes ---------------------------------------------------------------------
# A signal sent to this process (os.kill from another, Process.interrupt) arrives as news and is
# acted on where the process next waits or sleeps — as CPython runs a Python-level handler between
# bytecodes, here between waits: a process computing without waiting sees it when it next waits.

_pending_signals = []
# What SIG_DFL does to a process for these: nothing (POSIX's default "ignore"); for any other, the
# process ends with exit code -signum, as a process killed by the signal.
_IGNORED_BY_DEFAULT = {"SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH"}


class _Killed(BaseException):
    """Ends this process as the signal's default action would: exit code -signum."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _deliver_signals():
    """Run what each pending signal's disposition says, as CPython does in the process's own
    thread: the Python handler (SIGINT's default raises KeyboardInterrupt), nothing for SIG_IGN,
    the end of the process for SIG_DFL."""
    import signal
    import sys

    while _pending_signals:
        signum = _pending_signals.pop(0)
        handler = signal.getsignal(signum)
        if handler == signal.SIG_IGN:
            continue
        if handler == signal.SIG_DFL or handler is None:
            if signal.Signals(signum).name in _IGNORED_BY_DEFAULT:
                continue
            raise _Killed(signum)
        handler(signum, sys._getframe(1))


_PACKAGE_DIR = __file__.rsplit("/", 1)[0] + "/"


def _trimmed(exc):
    """`exc` with its traceback ending at the reader's last frame: the frames of this package
    below it (how a wait or a sleep is done here) are not CPython's, and would only puzzle."""
    tb = exc.__traceback__
    last_own = None
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            last_own = tb
        tb = tb.tb_next
    if last_own is not None:
        last_own.tb_next = None
    return exc


def _send_signal(pid, signum):
    """os.kill(pid, signum) for a process of this run: this one now, another through the page."""
    if pid == PID:
        _pending_signals.append(signum)
        _deliver_signals()
    else:
        _post({"type": "signal", "pid": pid, "signal": signum})


def _pump(timeout_ms):
    """Take one message from the page, waiting up to `timeout_ms` (-1: no limit). True if one came."""
    raw = _block(_lab_mp.next_message(timeout_ms))
    if raw is None:
        return False
    news = json.loads(raw)  # one message (shared memory) or all that came (JSPI)
    for message in news if isinstance(news, list) else [news]:
        _handle(message)
    if _pending_signals:
        _deliver_signals()
    return True


def _drain():
    if INLINE:
        from .inline import run_pending

        run_pending()
        return
    while _pump(0):
        pass


def _wait_until(done, timeout=None):
    """Block (no core used) until `done()` or `timeout` seconds. True if done."""
    if INLINE:
        from .inline import run_pending

        run_pending()  # the children started so far run now, one after another
        return done()
    end = None if timeout is None else time.monotonic() + max(0.0, timeout)
    _drain()
    while not done():
        if end is None:
            _pump(-1)
        else:
            left = end - time.monotonic()
            if left <= 0:
                return False
            _pump(left * 1000.0)
    return True


# A sweep's run (the card's "speedup sweep"): every Pool and ProcessPoolExecutor gets this many
# processes whatever the program asks, and cpu_count() says the same; 0 outside a sweep.
POOL_SIZE = int(_lab_mp.pool_size)


def cpu_count():
    """The cores the browser reports (navigator.hardwareConcurrency)."""
    return int(_lab_mp.cpu_count)

