"""Pipe and its two Connection ends between processes: each direction is a queue of the page
(www/python/sync.js). `recv` after the other end closed, with nothing left, raises EOFError, and
`poll(timeout)` waits up to `timeout` seconds for something to read, as in CPython."""

import base64
import itertools
import pickle
import weakref

from . import _lab
from ._sync import Shared, _new, request, timeout_of

__all__ = ["Pipe", "Connection", "wait", "Listener", "Client"]

families = ["AF_INET"]  # CPython lists its socket families; here Listener and Client say none work


# What stands for a file descriptor here: fileno() and Process.sentinel give numbers from this
# counter (above the few fds an interpreter has open), and wait() takes them as CPython's takes
# fds. Each number names a Connection or a started process of this interpreter.
_handles = itertools.count(64)
_by_handle = weakref.WeakValueDictionary()


def _handle_for(obj):
    number = next(_handles)
    _by_handle[number] = obj
    return number


class Connection(Shared):
    def __init__(self, reads, writes):
        self._reads = reads  # the id of the queue this end reads, or None
        self._writes = writes  # the id of the queue this end writes, or None
        self._closed = False

    def __getstate__(self):
        if self._closed:
            raise OSError("handle is closed")
        # Pickled for a process being started: it gets its own copy of the write end, as
        # CPython duplicates the handle for the child (the reader sees EOF once all are closed).
        if self._writes is not None and _lab._pickling_for is not None:
            _lab._post({"type": "sync", "op": "hold", "id": self._writes, "for": _lab._pickling_for})
        return {"_reads": self._reads, "_writes": self._writes, "_closed": False, "_fileno": None}

    @property
    def _id(self):
        return self._reads or self._writes

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._reads is not None

    @property
    def writable(self):
        return self._writes is not None

    def _check(self, reading):
        if self._closed:
            raise OSError("handle is closed")
        if reading and self._reads is None:
            raise OSError("connection is write-only")
        if not reading and self._writes is None:
            raise OSError("connection is read-only")

    def send(self, obj):
        self._check(False)
        data = pickle.dumps(obj)
        request(self._writes, "put", item="o" + base64.b64encode(data).decode("ascii"), block=True, timeout=None)

    def send_bytes(self, buf, offset=0, size=None):
        self._check(False)
        view = memoryview(buf).cast("B")
        if offset < 0:
            raise ValueError("offset is negative")
        if offset > len(view):
            raise ValueError("buffer length < offset")
        if size is None:
            size = len(view) - offset
        if size < 0:
            raise ValueError("size is negative")
        if offset + size > len(view):
            raise ValueError("buffer length < offset + size")
        data = bytes(view[offset : offset + size])
        request(self._writes, "put", item="b" + base64.b64encode(data).decode("ascii"), block=True, timeout=None)

    def _recv(self):
        self._check(True)
        item = request(self._reads, "get", block=True, timeout=None)
        return base64.b64decode(item[1:])

    def recv(self):
        return pickle.loads(self._recv())

    def recv_bytes(self, maxlength=None):
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = self._recv()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError("bad message length")
        return data

    def recv_bytes_into(self, buf, offset=0):
        data = self._recv()
        view = memoryview(buf).cast("B")
        if offset < 0 or offset > len(view):
            raise ValueError("offset out of bounds" if offset > len(view) else "negative offset")
        if len(data) > len(view) - offset:
            from multiprocessing import BufferTooShort

            raise BufferTooShort(data)
        view[offset : offset + len(data)] = data
        return len(data)

    def poll(self, timeout=0.0):
        self._check(True)
        if timeout is not None and timeout < 0:
            timeout = 0  # as CPython's: a negative timeout does not wait
        return request(self._reads, "poll", timeout=timeout_of(True, timeout))

    def fileno(self):
        """A number standing for this end, which wait() takes (no file descriptor in a Worker)."""
        self._check_open()
        if getattr(self, "_fileno", None) is None:
            self._fileno = _handle_for(self)
        return self._fileno

    def _check_open(self):
        if self._closed:
            raise OSError("handle is closed")

    def _ready(self):
        return self._closed or not self.readable or self.poll(0)

    def close(self):
        if not self._closed:
            self._closed = True
            if self._writes is not None:
                request(self._writes, "close-writer")

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


def Pipe(duplex=True):
    """(conn1, conn2): with duplex, both ends send and receive; without, conn1 only receives and
    conn2 only sends, as in CPython."""
    forward = _new("queue", maxsize=0, writer=_lab._NAME)  # conn2 → conn1
    if not duplex:
        return Connection(forward, None), Connection(None, forward)
    back = _new("queue", maxsize=0, writer=_lab._NAME)  # conn1 → conn2
    return Connection(forward, back), Connection(back, forward)


def wait(object_list, timeout=None):
    """The objects of `object_list` that are ready, waiting up to `timeout` seconds for one, as
    CPython's connection.wait: Connections (something to read, or EOF), the numbers fileno() and
    Process.sentinel give (a sentinel is ready once its process has ended), and objects with a
    fileno() giving one of those."""
    from ._lab import _wait_until

    def ready_of(obj):
        target = obj
        if not isinstance(target, int) and not isinstance(target, Connection):
            target = obj.fileno()
        if isinstance(target, int):
            target = _by_handle.get(target)
            if target is None:
                raise OSError(9, "Bad file descriptor")
        return target

    import time

    objects = [(obj, ready_of(obj)) for obj in object_list]
    found = []

    def any_ready():
        found[:] = [obj for obj, target in objects if target._ready()]
        return bool(found)

    readers = [t for _, t in objects if isinstance(t, Connection) and t.readable and not t.closed]
    if len(objects) == 1 and readers:  # one Connection: the page's poll waits for it
        return [objects[0][0]] if readers[0].poll(timeout) else []
    if not readers:  # processes only: their ends come as news, so wait for news
        _wait_until(any_ready, timeout)
        return found
    # The page answers polls, not a select() over many: look again soon, then less often.
    end = None if timeout is None else time.monotonic() + timeout
    step = 0.001
    while not any_ready():
        left = None if end is None else end - time.monotonic()
        if left is not None and left <= 0:
            break
        _wait_until(lambda: False, step if left is None else min(step, left))
        step = min(step * 2, 0.05)
    return found


def Listener(*args, **kwargs):
    raise _unsupported_sockets("Listener")


def Client(*args, **kwargs):
    raise _unsupported_sockets("Client")


def _unsupported_sockets(what):
    from ._lab import NotSupportedError

    return NotSupportedError(
        f"multiprocessing.connection.{what} needs sockets, which a Web Worker does not have: use Pipe() or a Queue."
    )
