"""Queue, JoinableQueue and SimpleQueue between processes: each queue is an object of the page
(www/python/sync.js) holding the items as the processes pickled them, first in, first out.

CPython's Queue pickles in a feeder thread: an object that cannot be pickled does not raise in
`put`; the feeder hands the error to `_on_queue_feeder_error(e, obj)` (which prints it) and goes
on with the next item. The same happens here, with one difference: there is no feeder thread, so
`put` pickles at once and calls the hook before it returns, not a moment later. SimpleQueue has no
feeder and raises in `put`, as CPython's does."""

import queue as _queue

from . import _lab
from ._sync import Shared, _new, request, timeout_of

__all__ = ["Queue", "SimpleQueue", "JoinableQueue"]

Empty = _queue.Empty
Full = _queue.Full


class Queue(Shared):
    def __init__(self, maxsize=0, *, ctx=None):
        if maxsize <= 0:
            maxsize = 0
        self._maxsize = int(maxsize)
        self._closed = False
        self._id = _new("queue", maxsize=self._maxsize)

    def __getstate__(self):
        return {"_id": self._id, "_maxsize": self._maxsize, "_closed": False}

    def _check_closed(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        self._used = True
        try:
            item = _lab._dumps(obj)
        except Exception as e:
            # What CPython's feeder thread does with an item it cannot pickle (see the module's doc).
            self._on_queue_feeder_error(e, obj)
            return
        request(self._id, "put", item=item, block=bool(block), timeout=timeout_of(block, timeout))

    def get(self, block=True, timeout=None):
        self._check_closed()
        self._used = True
        return _lab._loads(request(self._id, "get", block=bool(block), timeout=timeout_of(block, timeout)))

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return request(self._id, "qsize")

    def empty(self):
        # As CPython's: once a used queue is closed, its reader is, and asking raises.
        if self._closed and getattr(self, "_used", False):
            raise OSError("handle is closed")
        return self.qsize() == 0

    def full(self):
        return self._maxsize > 0 and self.qsize() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        assert self._closed, f"Queue {self!r} not closed"

    def cancel_join_thread(self):
        pass

    @staticmethod
    def _on_queue_feeder_error(e, obj):
        """CPython's hook for an item the feeder could not send (overridden by
        concurrent.futures): it prints the traceback."""
        import traceback

        traceback.print_exc()


class JoinableQueue(Queue):
    def task_done(self):
        request(self._id, "task-done")

    def join(self):
        request(self._id, "join")


class SimpleQueue(Shared):
    def __init__(self, *, ctx=None):
        self._closed = False
        self._id = _new("queue", maxsize=0)

    def __getstate__(self):
        return {"_id": self._id, "_closed": False}

    def put(self, obj):
        request(self._id, "put", item=_lab._dumps(obj), block=True, timeout=None)

    def get(self):
        return _lab._loads(request(self._id, "get", block=True, timeout=None))

    def empty(self):
        return request(self._id, "qsize") == 0

    def close(self):
        self._closed = True
