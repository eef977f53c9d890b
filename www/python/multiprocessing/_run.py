"""What a process's Worker calls in its interpreter (python.worker.js, through the package's
names): the main program, a Process child, a pool worker's initializer and its chunks — each run as
CPython runs it, with its exit code, its traceback on stderr and its streams flushed at its end.

Apart from __init__.py, which is the package's API: these are the other side, the entry points a
process is started through. __init__.py exports them, where the Worker looks them up.
"""

import json
import sys
import traceback

import _lab_mp  # the JS side of this package, registered by python.worker.js

from . import _lab
from ._lab import _NAME, _children, _dumps, _loads, _pools, _StopMain
from .process import _current


def _import_main(path):
    """A child's copy of the main script, as `__mp_main__` (and `__main__`, as CPython does)."""
    import types

    module = types.ModuleType("__mp_main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules["__mp_main__"] = sys.modules["__main__"] = module
    # Compiled ahead in an interpreter booted before it was needed (python.worker.js), else now.
    code = getattr(sys.modules.pop("_lab_precompiled", None), "main", None)
    if code is None:
        with open(path) as f:
            code = compile(f.read(), path, "exec")
    _lab._bootstrapping = True
    try:
        exec(code, module.__dict__)
    except _StopMain:
        pass
    finally:
        _lab._bootstrapping = False


def _flush_std_streams():
    """As CPython's util._flush_std_streams: a program may have closed or removed them."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError):
            pass


def _say_budget(e):
    """After CPython's traceback of a MemoryError, one line more when it was the lab's memory
    budget (www/python/memory.js) that refused the memory, not the browser."""
    if isinstance(e, MemoryError) and _lab_mp.memory_refused():
        sys.stderr.write(_lab_mp.memory_refused() + "\n")


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
    except _lab._Killed as e:
        code = -e.signum
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:
        # As `python main.py` prints it: from the script's own frame, not this function's exec.
        _lab._trimmed(e)
        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
        traceback.print_exception(type(e), e, tb)
        _say_budget(e)
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
    _flush_std_streams()
    return code


def _run_process(payload):
    """A Process child: run its target; the exit code as CPython gives it."""
    from . import _files

    before = None
    try:
        process = _loads(payload)
        _files.write(process.__dict__.pop("_lab_files", None))  # the parent's files (_files.py)
        before = _files.snapshot()
        _current.name = process.name
        _current.daemon = process.daemon
        _current._identity = process._identity
        process._children = {}
        process.run()
        code = 0
    except _lab._Killed as e:  # a signal's default action: the process ends, no traceback
        code = -e.signum
    except SystemExit as e:
        # As CPython's _bootstrap: an int is the exit code; anything else is printed, and 1.
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            sys.stderr.write(str(e.code) + "\n")
            code = 1
    except BaseException as e:
        sys.stderr.write(f"Process {_NAME}:\n")
        traceback.print_exception(_lab._trimmed(e))
        _say_budget(e)
        code = 1
    _flush_std_streams()
    if before is not None:
        written = _files.collect(since=before)  # back to the parent before its join() returns
        if written:
            _lab._post({"type": "files", "files": _dumps(written)})
    return code


def _run_init(payload):
    """A pool worker's initializer, once, before its first task (CPython's pool worker). If it
    raises, its traceback is printed here; the worker stays (CPython's would die and be replaced
    again and again)."""
    try:
        initializer, initargs = _loads(payload)
        initializer(*initargs)
    except BaseException:
        sys.stderr.write(f"Process {_NAME}:\n")
        traceback.print_exc()
    _flush_std_streams()
    return 0


def _run_tasks(payloads):
    """A pool worker's batch of chunks, in one call (one crossing between JS and Python, not one
    per chunk): the JSON list of their replies, each timed on the page's clock, with the seconds
    it spent in time.sleep (a chunk that sleeps needs no core: the card's advice says so)."""
    replies = []
    for payload in json.loads(payloads):
        t0 = _lab_mp.now()
        slept = _lab.SLEPT
        reply = json.loads(_run_task(payload))
        reply["t0"] = t0
        reply["t1"] = _lab_mp.now()
        reply["slept"] = _lab.SLEPT - slept
        replies.append(reply)
    return json.dumps(replies)


def _slept(_=None):
    """Seconds this process has spent in time.sleep (the main program's and a Process's)."""
    return _lab.SLEPT


def _run_task(payload):
    """One chunk of a pool's tasks: a JSON reply with the pickled list of values, or the error."""
    try:
        func, chunk, star = _loads(payload)
        w0 = _lab_mp.now()  # the work alone: unpickling before it, pickling after, are the transfer
        values = [func(*args) if star else func(args) for args in chunk]
        w1 = _lab_mp.now()
        reply = {"ok": True, "value": _dumps(values), "w0": w0, "w1": w1}
    except BaseException as e:
        text = "".join(traceback.format_exception(_lab._trimmed(e)))
        if isinstance(e, MemoryError) and _lab_mp.memory_refused():
            text += _lab_mp.memory_refused() + "\n"
        try:
            error = _dumps(e)
        except Exception:
            error = _dumps(RuntimeError(repr(e)))
        reply = {"ok": False, "error": error, "traceback": text}
    _flush_std_streams()
    return json.dumps(reply)
