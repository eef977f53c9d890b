"""Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition and Barrier between processes, with
CPython's signatures and timeouts: each is an object of the page (www/python/sync.js)."""

import threading

from . import _lab
from ._sync import Shared, _new, request, timeout_of

__all__ = ["Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier"]


class _Acquirable(Shared):
    def acquire(self, block=True, timeout=None):
        return request(self._id, "acquire", block=bool(block), timeout=timeout_of(block, timeout))

    def release(self):
        request(self._id, "release")

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        self.release()

    def _is_owned(self):
        return request(self._id, "owned")

    def locked(self):
        return request(self._id, "holder")["count"] > 0

    def _owner(self):
        """CPython's repr names the holder if it is this process, else SomeOtherProcess."""
        held = request(self._id, "holder")
        if held["count"] <= 0:
            return None, 0
        from .process import current_process

        mine = held["holder"] == _lab._NAME
        return (current_process().name if mine else "SomeOtherProcess"), held["count"]


class Semaphore(_Acquirable):
    def __init__(self, value=1, *, ctx=None):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._id = _new("semaphore", value=int(value), max=None)

    def get_value(self):
        return request(self._id, "value")

    def __repr__(self):
        return f"<{type(self).__name__}(value={self.get_value()})>"


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1, *, ctx=None):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._id = _new("semaphore", value=int(value), max=int(value))
        self._max = int(value)

    def __getstate__(self):
        return {"_id": self._id, "_max": self._max}

    def __repr__(self):
        return f"<BoundedSemaphore(value={self.get_value()}, maxvalue={self._max})>"


class Lock(_Acquirable):
    def __init__(self, *, ctx=None):
        self._id = _new("lock")

    def __repr__(self):
        return f"<Lock(owner={self._owner()[0]})>"


class RLock(_Acquirable):
    """An RLock: the page knows which process holds it; the holder counts its own re-entries
    (as CPython's RLock counts them in its owner), so `with v.get_lock(): v.value += 1` — three
    acquires, each value access takes the lock again — is one round trip to the page, not three."""

    def __init__(self, *, ctx=None):
        self._id = _new("rlock")
        self._depth = 0  # this object's holds in this process (0: not held through it)

    def __getstate__(self):
        return {"_id": self._id, "_depth": 0}  # a copy in another process holds nothing yet

    def acquire(self, block=True, timeout=None):
        if self._depth:
            self._depth += 1
            return True
        got = super().acquire(block, timeout)
        if got:
            self._depth = 1
        return got

    def release(self):
        if self._depth > 1:
            self._depth -= 1
            return
        super().release()  # not held through this object: the page answers CPython's error
        self._depth = 0

    def __repr__(self):
        owner, count = self._owner()
        if self._depth and owner is not None:
            count += self._depth - 1
        return f"<RLock({owner}, {count})>"


class Condition(Shared):
    def __init__(self, lock=None, *, ctx=None):
        self._lock = lock if lock is not None else RLock()
        self._id = _new("condition", lock=self._lock._id)

    def __getstate__(self):
        return {"_id": self._id, "_lock": self._lock}

    def acquire(self, block=True, timeout=None):
        return self._lock.acquire(block, timeout)

    def release(self):
        self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def wait(self, timeout=None):
        return request(self._id, "wait", timeout=timeout_of(True, timeout))

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        if result:
            return result
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while not result:
            if end is not None:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self.wait(left)
            else:
                self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        request(self._id, "notify", n=int(n))

    def notify_all(self):
        request(self._id, "notify", all=True)

    def __repr__(self):
        return f"<Condition({self._lock!r})>"


class Event(Shared):
    def __init__(self, *, ctx=None):
        self._id = _new("event")

    def is_set(self):
        return request(self._id, "is-set")

    def set(self):
        request(self._id, "set")

    def clear(self):
        request(self._id, "clear")

    def wait(self, timeout=None):
        return request(self._id, "wait", timeout=timeout_of(True, timeout))

    def __repr__(self):
        return f"<Event at {id(self):#x} {'set' if self.is_set() else 'unset'}>"


class Barrier(Shared):
    def __init__(self, parties, action=None, timeout=None, *, ctx=None):
        if parties < 1:
            raise ValueError("parties must be >= 1")
        self._parties = int(parties)
        self._action = action
        self._timeout = timeout
        self._id = _new("barrier", parties=self._parties, timeout=timeout)

    def __getstate__(self):
        return {"_id": self._id, "_parties": self._parties, "_action": self._action, "_timeout": self._timeout}

    def wait(self, timeout=None):
        action = self._action is not None
        index = request(
            self._id, "wait", timeout=None if timeout is None else timeout_of(True, timeout), action=action
        )
        if index == self._parties - 1 and action:
            # As CPython's: the last to arrive runs the action before the others go on.
            try:
                self._action()
            except BaseException:
                self.abort()
                raise
            request(self._id, "go")
        return index

    def abort(self):
        request(self._id, "abort")

    def reset(self):
        request(self._id, "reset")

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        return request(self._id, "state")["waiting"]

    @property
    def broken(self):
        return request(self._id, "state")["broken"]


BrokenBarrierError = threading.BrokenBarrierError
