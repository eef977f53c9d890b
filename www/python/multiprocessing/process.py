"""Process: one child process, a Web Worker with its own interpreter that the page starts.

As CPython's: a name numbered when the object is made (`Process-1`, or `Worker-1` for a subclass
named Worker), a pid given at start() (and the child's os.getpid()), exit codes negative after
terminate (-SIGTERM) or kill (-SIGKILL), current_process() and parent_process() in the child.
"""

import signal
import weakref

import _lab_mp  # the JS side of this package, registered by python.worker.js

from . import _lab
from ._lab import _NAME, _check_may_start, _children, _drain, _dumps, _exitcodes, _ids, _post, _wait_until

# CPython's multiprocessing.process._exitcode_to_name: -15 is shown as -SIGTERM.
_exitcode_to_name = {}
for _name, _signum in list(signal.__dict__.items()):
    if _name[:3] == "SIG" and "_" not in _name:
        _exitcode_to_name[-_signum] = f"-{_name}"
del _name, _signum


class Process:
    """One process: a Web Worker with its own interpreter, started by the page."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        assert group is None, "group argument must be None for now"
        count = next(_lab._identity)
        self._identity = (count,)
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._key = None  # the page's key for this child, once started
        self._pid = None
        self._parent_pid = _lab.PID
        self._parent_name = _current.name
        self._name = name or f"{type(self).__name__}-{count}"
        self._daemon = bool(daemon) if daemon is not None else _current.daemon
        self._closed = False

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        assert isinstance(value, str), "name must be a string"
        self._name = value

    @property
    def daemon(self):
        return self._daemon

    @daemon.setter
    def daemon(self, value):
        assert self._pid is None, "process has already started"
        self._daemon = bool(value)

    @property
    def pid(self):
        return self._pid

    ident = pid

    @property
    def authkey(self):
        return b"speedup-lab"

    @property
    def sentinel(self):
        """A number that connection.wait() takes, ready once the process has ended (CPython's is a
        file descriptor; a Worker has none)."""
        self._check_closed()
        if self._key is None:
            raise ValueError("process not started") from None
        if getattr(self, "_sentinel", None) is None:
            from .connection import _handle_for

            self._sentinel = _handle_for(self)
        return self._sentinel

    def _ready(self):
        _drain()
        return self._key in _exitcodes

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    def start(self):
        self._check_closed()
        _check_may_start("Process.start()")
        assert self._pid is None, "cannot start a process twice"
        assert self._parent_pid == _lab.PID, "can only start a process object created by current process"
        _lab._check_count(1, "Process.start()")
        self._key = next(_ids)
        self._pid = next(_lab._pids)
        if _lab.INLINE:
            _children[self._key] = self
            _dangling.add(self)
            from .inline import start_process

            start_process(self)
            return
        from . import _files

        _lab._pickling_for = self._name
        _lab._spawning = True
        self._lab_files = _files.collect()  # the child starts with this process's files (_files.py)
        try:
            payload = _dumps(self)
        except BaseException:
            # Not started (a target or argument that cannot be pickled): as in CPython, the
            # object stays unstarted, and nothing waits for it at the program's end.
            self._key = self._pid = None
            raise
        finally:
            _lab._pickling_for = None
            _lab._spawning = False
            del self._lab_files
        _children[self._key] = self
        _dangling.add(self)
        # As CPython's start(): the parent lets go of the target and its arguments (the child has
        # its own copies), so they can be collected.
        del self._target, self._args, self._kwargs
        _post({"type": "spawn", "pid": self._key, "ospid": self._pid, "name": self._name, "payload": payload})

    def join(self, timeout=None):
        self._check_closed()
        assert self._key is not None, "can only join a started process"
        if _wait_until(lambda: self._key in _exitcodes, timeout):
            _children.pop(self._key, None)

    def is_alive(self):
        self._check_closed()
        if self._key is None:
            return False
        _drain()
        return self._key not in _exitcodes

    @property
    def exitcode(self):
        self._check_closed()
        if self._key is None:
            return None
        _drain()
        return _exitcodes.get(self._key)

    def _signal(self, signum):
        self._check_closed()
        if self._key is not None and self._key not in _exitcodes:
            if _lab.INLINE:
                from .inline import cancel_process

                cancel_process(self._key, -signum)
                return
            if signum in (signal.SIGTERM, signal.SIGKILL):
                _post({"type": "terminate", "pid": self._key, "signal": signum})
            else:
                _lab._send_signal(self._pid, signum)

    def interrupt(self):
        """SIGINT, as CPython's (3.14): the child's handler runs where it next waits — the default
        one raises KeyboardInterrupt there (exit code 1); with SIG_DFL it ends with -SIGINT."""
        self._signal(signal.SIGINT)

    def terminate(self):
        self._signal(signal.SIGTERM)

    def kill(self):
        self._signal(signal.SIGKILL)

    def close(self):
        if self._closed:
            return
        if self._key is not None and self.is_alive():
            raise ValueError("Cannot close a process while it is still running. You should first call join() or terminate().")
        _children.pop(self._key, None)
        self._closed = True

    def __getstate__(self):
        return dict(self.__dict__)

    def __repr__(self):
        exitcode = None
        if self._closed:
            status = "closed"
        elif self._key is None:
            status = "initial"
        else:
            exitcode = _exitcodes.get(self._key)
            status = "stopped" if exitcode is not None else "started"
        info = [type(self).__name__, f"name={self._name!r}"]
        if self._pid is not None:
            info.append(f"pid={self._pid}")
        info.append(f"parent={self._parent_pid}")
        info.append(status)
        if exitcode is not None:
            info.append(f"exitcode={_exitcode_to_name.get(exitcode, exitcode)}")
        if self.daemon:
            info.append("daemon")
        return "<{}>".format(" ".join(info))


class _CurrentProcess:
    """This interpreter's own process: MainProcess in the main program, the child's Process in a
    child (its name, pid, daemon flag)."""

    def __init__(self, name):
        self.name = name
        self.daemon = False
        self._identity = ()

    @property
    def pid(self):
        return _lab.PID

    ident = pid
    exitcode = None

    @property
    def authkey(self):
        return b"speedup-lab"

    def is_alive(self):
        return True

    def __repr__(self):
        if _lab.ROLE == "main" and not _lab._in_child:
            return f"<_MainProcess name={self.name!r} parent=None started>"
        return f"<Process name={self.name!r} parent={_lab.PPID} started{' daemon' if self.daemon else ''}>"


class _ParentProcess:
    """What parent_process() gives a child: the main program, as CPython's _ParentProcess."""

    name = "MainProcess"
    daemon = False

    @property
    def pid(self):
        return _lab.PPID

    ident = pid

    def is_alive(self):
        return True

    def join(self, timeout=None):
        raise ValueError("a child in the browser lab cannot join its parent")

    def __repr__(self):
        return f"<_ParentProcess name={self.name!r} parent=None started>"


_current = _CurrentProcess(_NAME)


def current_process():
    return _current


def parent_process():
    return None if _lab.ROLE == "main" and not _lab._in_child else _ParentProcess()


_dangling = weakref.WeakSet()  # CPython's: every started Process object still referenced


def _cleanup():
    """Forget the children that have ended (CPython's process._cleanup)."""
    _drain()
    for key in [k for k in _children if k in _exitcodes]:
        _children.pop(key, None)


def active_children():
    _drain()
    return [p for key, p in list(_children.items()) if key not in _exitcodes]
