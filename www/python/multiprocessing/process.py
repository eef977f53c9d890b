"""Process: one child process, a Web Worker with its own interpreter that the page starts."""

import _lab_mp  # the JS side of this package, registered by python.worker.js

from . import _lab
from ._lab import _NAME, _check_may_start, _children, _drain, _dumps, _exitcodes, _ids, _post, _wait_until


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
        _lab._check_count(1, "Process.start()")
        self._pid = next(_ids)
        if self._name is None:
            self._name = f"Process-{self._pid}"
        _children[self._pid] = self
        if _lab.INLINE:
            from .inline import start_process

            start_process(self)
            return
        payload = _dumps(self)
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
            if _lab.INLINE:
                from .inline import cancel_process

                cancel_process(self._pid)
                return
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

