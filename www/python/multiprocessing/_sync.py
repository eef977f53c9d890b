"""What processes share: each shared object lives on the page (www/python/sync.js), and this
module is every process's way to it. A request is one JSON message to the page; a process that
must wait for the answer (an empty queue, a held lock) waits as it waits for a child, on its
page's blocking rung, using no core.

A shared object pickles as its kind and id, so it travels in a Process's arguments or a pool's
`initargs` exactly as CPython's do, and the copy in the child reaches the same object.
"""

import itertools

from . import _lab

_counter = itertools.count(1)
_requests = itertools.count(1)


def _new_id():
    return f"{_lab._NAME}:{next(_counter)}"


def _new(kind, **params):
    """Make a shared object on the page; returns its id (no answer is awaited: the page takes a
    process's messages in order, so the object exists before any request that names it)."""
    _check_rung(kind)
    oid = _new_id()
    _lab._post({"type": "sync", "op": "new", "id": oid, "kind": kind, **params})
    return oid


def _check_rung(what):
    if _lab.INLINE:
        raise _lab.NotSupportedError(
            f"multiprocessing's shared objects ({what}) need processes that can wait for one "
            "another, and this page's processes run one at a time (no shared memory, no JSPI "
            "here): open the program on the lab's page, where they run at once."
        )


def _error(name, message):
    import queue
    import threading

    kinds = {
        "Empty": queue.Empty,
        "Full": queue.Full,
        "EOFError": EOFError,
        "OSError": OSError,
        "ValueError": ValueError,
        "AssertionError": AssertionError,
        "BrokenBarrierError": threading.BrokenBarrierError,
        "KeyError": KeyError,
    }
    kind = kinds.get(name, RuntimeError)
    return kind(message) if message else kind()


def request(oid, op, **args):
    """Ask the page `op` on object `oid`, wait for its answer, and return its value (or raise
    the exception CPython raises there: queue.Empty, EOFError, …)."""
    req = next(_requests)
    _lab._post({"type": "sync", "op": op, "id": oid, "req": req, **args})
    try:
        _lab._wait_until(lambda: req in _lab._replies)
    except BaseException:
        # A signal's handler raised while this process waited (KeyboardInterrupt): the page
        # forgets the wait (a Condition gives the lock back first, as CPython's finally does).
        if req not in _lab._replies:
            request(oid, "abandon", of=req)
        late = _lab._replies.pop(req, None)
        if late and late.get("ok") and op == "acquire" and late.get("value") is True:
            request(oid, "release")  # granted just before the page took the abandon: undone
        raise
    answer = _lab._replies.pop(req)
    if not answer.get("ok"):
        raise _error(answer.get("error"), answer.get("message") or "")
    return answer.get("value")


def timeout_of(block, timeout):
    """CPython's (block, timeout) pair as the page takes it: None waits for ever; a negative
    timeout is refused as CPython's queue does."""
    if not block:
        return 0
    if timeout is None:
        return None
    if timeout < 0:
        raise ValueError("'timeout' must be a non-negative number")
    return float(timeout)


class Shared:
    """A handle on one object of the page: what pickles is its id and its settings."""

    _kind = ""

    def __reduce__(self):
        return (_rebuild, (type(self), self.__getstate__()))

    def __getstate__(self):
        return {"_id": self._id}

    def __setstate__(self, state):
        self.__dict__.update(state)


def _rebuild(cls, state):
    obj = cls.__new__(cls)
    obj.__setstate__(state)
    return obj

