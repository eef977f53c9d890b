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

How: the page starts a Worker per process (www/python/session.js); that Worker boots its own
interpreter, imports the main script as `__mp_main__` (so `if __name__ == "__main__":` works as
in CPython), unpickles its Process object (target and arguments) or, in a pool, each chunk of
tasks, and sends results back pickled. A blocking call of the main interpreter (join, map, get,
time.sleep) blocks its Worker in `Atomics.wait` (the `_lab_mp` module, JS), so it uses no core.

One difference from CPython's spawn, on purpose: the guide's programs have no
`if __name__ == "__main__":` guard (their author ran them with fork, on Linux). Under spawn,
CPython stops such a child with a RuntimeError when its copy of the script tries to start a
process; here the child's copy of the script stops quietly at that point instead, with the
functions defined above it, so the guide's code runs unchanged.
"""

import base64
import itertools
import json
import os
import pickle
import sys
import time
import traceback

import _lab_mp  # the JS side of this package, registered by python.worker.js

__all__ = [
    "Process",
    "Pool",
    "cpu_count",
    "current_process",
    "active_children",
    "get_start_method",
    "set_start_method",
    "freeze_support",
    "TimeoutError",
    "ProcessError",
]

SUPPORTED = (
    "Process (start, join, is_alive, exitcode, terminate), Pool (map, starmap, apply, "
    "apply_async, close, join, terminate, with), cpu_count, current_process, active_children"
)

# What CPython's multiprocessing has and this one does not, named in the error a reader gets.
_UNSUPPORTED = {
    "Queue", "SimpleQueue", "JoinableQueue", "Pipe", "Manager", "Value", "Array", "RawValue",
    "RawArray", "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event",
    "Barrier", "get_context", "get_logger", "log_to_stderr", "Listener", "Client",
    "shared_memory", "managers", "connection", "sharedctypes", "synchronize", "queues",
    "parent_process", "set_executable", "set_forkserver_preload", "allow_connection_pickling",
}


class ProcessError(Exception):
    pass


class TimeoutError(ProcessError):
    pass


class NotSupportedError(NotImplementedError):
    """Raised for the parts of multiprocessing that the lab's Web Worker processes do not have."""


def _unsupported(what):
    return NotSupportedError(
        f"multiprocessing.{what} is not available in this browser lab: each process is a Web "
        f"Worker with its own interpreter, and only these are supported: {SUPPORTED}."
    )


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name in _UNSUPPORTED:
        raise _unsupported(name)
    raise AttributeError(f"module 'multiprocessing' has no attribute {name!r} here (supported: {SUPPORTED})")


# --- the wire: JSON messages to the page, pickles as base64 -------------------------------------

ROLE = _lab_mp.role  # "main", "process" or "pool"
_NAME = _lab_mp.name  # "MainProcess", "Process-1", "SpawnPoolWorker-1"


def _post(message):
    _lab_mp.post(json.dumps(message))


def _dumps(obj):
    return base64.b64encode(pickle.dumps(obj)).decode("ascii")


def _loads(text):
    return pickle.loads(base64.b64decode(text))


class _StopMain(BaseException):
    """Ends a child's copy of an unguarded main script where it would start a process."""


_bootstrapping = False  # True while a child runs its copy of the main script


def _check_may_start(what):
    if _bootstrapping:
        raise _StopMain()
    if ROLE != "main":
        raise NotSupportedError(
            f"{what} inside a child process is not supported in this browser lab: only the main "
            f"program starts processes (supported: {SUPPORTED})."
        )


# --- the main interpreter's view of its children -------------------------------------------------

_exitcodes = {}  # pid -> exit code, as the page reports them
_results = {}  # task id -> message with "ok", "value" or "error"
_callbacks = {}  # task id -> AsyncResult whose callbacks run when the result arrives
_ids = itertools.count(1)  # pids and task ids: one counter, like CPython's process identity
_children = {}  # pid -> Process started and not yet joined
_pools = []


def _handle(message):
    kind = message["type"]
    if kind == "exit":
        _exitcodes[message["pid"]] = message["exitcode"]
    elif kind == "result":
        _results[message["task"]] = message
        pending = _callbacks.pop(message["task"], None)
        if pending is not None:
            pending._arrived()
    elif kind == "failed":
        raise ProcessError(message["message"])


def _pump(timeout_ms):
    """Take one message from the page, waiting up to `timeout_ms` (-1: no limit). True if one came."""
    raw = _lab_mp.next_message(timeout_ms)
    if raw is None:
        return False
    _handle(json.loads(raw))
    return True


def _drain():
    while _pump(0):
        pass


def _wait_until(done, timeout=None):
    """Block (in Atomics.wait, no core used) until `done()` or `timeout` seconds. True if done."""
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


def cpu_count():
    """The cores the browser reports (navigator.hardwareConcurrency)."""
    return int(_lab_mp.cpu_count)


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


def freeze_support():
    pass


class Process:
    """One process: a Web Worker with its own interpreter, started by the page."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        assert group is None, "group argument must be None for now"
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._pid = None
        self._name = name
        self.daemon = bool(daemon)
        self._closed = False

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    @property
    def name(self):
        return self._name or (f"Process-{self._pid}" if self._pid else "Process")

    @name.setter
    def name(self, value):
        self._name = value

    @property
    def pid(self):
        return self._pid

    ident = pid

    def start(self):
        _check_may_start("Process.start()")
        assert self._pid is None, "cannot start a process twice"
        self._pid = next(_ids)
        if self._name is None:
            self._name = f"Process-{self._pid}"
        payload = _dumps(self)
        _children[self._pid] = self
        _post({"type": "spawn", "pid": self._pid, "name": self._name, "payload": payload})

    def join(self, timeout=None):
        assert self._pid is not None, "can only join a started process"
        if _wait_until(lambda: self._pid in _exitcodes, timeout):
            _children.pop(self._pid, None)

    def is_alive(self):
        if self._pid is None:
            return False
        _drain()
        return self._pid not in _exitcodes

    @property
    def exitcode(self):
        if self._pid is None:
            return None
        _drain()
        return _exitcodes.get(self._pid)

    def terminate(self):
        if self._pid is not None and self._pid not in _exitcodes:
            _post({"type": "terminate", "pid": self._pid})

    kill = terminate

    def close(self):
        if self.is_alive():
            raise ValueError("Cannot close a process while it is still running.")
        self._closed = True

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items()}

    def __repr__(self):
        if self._pid is None:
            state = "initial"
        elif self._pid in _exitcodes:
            state = f"stopped exitcode={_exitcodes[self._pid]}"
        else:
            state = "started"
        return f"<{type(self).__name__} name={self.name!r} {state}>"


class _CurrentProcess:
    def __init__(self, name):
        self.name = name
        self.daemon = False

    @property
    def pid(self):
        return _lab_mp.pid

    def __repr__(self):
        return f"<_CurrentProcess name={self.name!r}>"


_current = _CurrentProcess(_NAME)


def current_process():
    return _current


def active_children():
    _drain()
    return [p for pid, p in list(_children.items()) if pid not in _exitcodes]


# --- Pool -----------------------------------------------------------------------------------


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
        for t in self._tasks:
            _callbacks[t] = self

    def ready(self):
        _drain()
        return all(t in _results for t in self._tasks)

    def _arrived(self):
        if all(t in _results for t in self._tasks) and not self._done:
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
        _wait_until(lambda: all(t in _results for t in self._tasks), timeout)

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
        if initializer is not None or maxtasksperchild is not None:
            raise NotSupportedError(
                f"Pool(initializer=…, maxtasksperchild=…) is not supported in this browser lab "
                f"(supported: {SUPPORTED})."
            )
        self._processes = processes
        self._id = next(_ids)
        self._state = "RUN"
        _pools.append(self)
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
            _post({"type": "close", "pool": self._id})

    def terminate(self):
        if self._state != "TERMINATE":
            self._state = "TERMINATE"
            _post({"type": "terminate-pool", "pool": self._id})

    def join(self):
        if self._state == "RUN":
            raise ValueError("Pool is still running")
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


# --- what the Workers call ------------------------------------------------------------------


def _import_main(path):
    """A child's copy of the main script, as `__mp_main__` (and `__main__`, as CPython does)."""
    global _bootstrapping
    import types

    module = types.ModuleType("__mp_main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules["__mp_main__"] = sys.modules["__main__"] = module
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    _bootstrapping = True
    try:
        exec(code, module.__dict__)
    except _StopMain:
        pass
    finally:
        _bootstrapping = False


def _run_main(path):
    """The main program, as `__main__`; then, as CPython's exit does, join the children still
    running and end the pools. Returns the exit code; tracebacks go to stderr."""
    import types

    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules["__main__"] = module
    code = 0
    try:
        with open(path) as f:
            source = f.read()
        exec(compile(source, path, "exec"), module.__dict__)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        for pool in list(_pools):
            pool.terminate()
        for p in list(_children.values()):
            if not p.daemon:
                p.join()
    except BaseException:
        traceback.print_exc()
        code = code or 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _run_process(payload):
    """A Process child: run its target; the exit code as CPython gives it."""
    try:
        process = _loads(payload)
        _current.name = process.name
        process._children = {}
        process.run()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        sys.stderr.write(f"Process {_NAME}:\n")
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _run_task(payload):
    """One chunk of a pool's tasks: a JSON reply with the pickled list of values, or the error."""
    try:
        func, chunk, star = _loads(payload)
        values = [func(*args) if star else func(args) for args in chunk]
        reply = {"ok": True, "value": _dumps(values)}
    except BaseException as e:
        text = traceback.format_exc()
        try:
            error = _dumps(e)
        except Exception:
            error = _dumps(RuntimeError(repr(e)))
        reply = {"ok": False, "error": error, "traceback": text}
    sys.stdout.flush()
    sys.stderr.flush()
    return json.dumps(reply)


def _sleep(seconds):
    """time.sleep without spinning: Atomics.wait on a private cell (Pyodide's own spins)."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _lab_mp.sleep(float(seconds) * 1000.0)


time.sleep = _sleep
os.cpu_count = cpu_count
