"""A block of bytes that processes share: what Value, Array and heap.BufferWrapper are made of.

Where the page has shared memory (the lab's own, cross-origin isolated page), the block is a
SharedArrayBuffer that the creating process makes and the page hands to every process it starts
afterwards (in the Worker's start-up message), so a read or a write is a load or a store in this
Worker, as CPython maps one shared block into each process. A Value or an Array travels only
with a starting process (its arguments, a pool's initargs), as CPython allows, so every process
that can hold one has its block.

Without shared memory (an article's page, on JSPI or the service-worker channel) the block is an
object of the page (www/python/sync.js) and each read or write is a request there: correct,
slower.
"""

from . import _lab
from ._sync import Shared, _check_rung, _new, _new_id, request

import _lab_mp  # the JS side of this package, registered by python.worker.js

MAX_BLOCK_BYTES = 256 * 1024 * 1024  # one block; past it, MemoryError (the run's budget is GBs)


class Block(Shared):
    def __init__(self, nbytes, initial=b"", on_page=False):
        _check_rung("Value, Array")
        nbytes = int(nbytes)
        if nbytes > MAX_BLOCK_BYTES:
            raise MemoryError(f"a shared block of {nbytes} bytes: the lab makes at most {MAX_BLOCK_BYTES} bytes each")
        self._nbytes = nbytes
        data = bytes(initial).ljust(nbytes, b"\0")
        self._id = _new_id()
        # on_page: a block any process may reach later (a Manager's Value travels anywhere).
        self._mapped = not on_page and bool(_lab_mp.block_new(self._id, nbytes))
        if self._mapped:
            self.write(0, data)
        else:
            self._id = _new("store", values=list(data))

    def __getstate__(self):
        return {"_id": self._id, "_nbytes": self._nbytes, "_mapped": self._mapped}

    def __len__(self):
        return self._nbytes

    def read(self, start=0, stop=None):
        stop = self._nbytes if stop is None else stop
        if self._mapped:
            return _lab_mp.block_read(self._id, start, stop).to_bytes()
        return bytes(request(self._id, "get_values", start=start, stop=stop))

    def write(self, start, data):
        data = bytes(data)
        if start < 0 or start + len(data) > self._nbytes:
            raise IndexError("write out of the block")
        if self._mapped:
            from pyodide.ffi import to_js

            _lab_mp.block_write(self._id, start, to_js(data))
        else:
            request(self._id, "set", start=start, values=list(data))


def assert_spawning(obj):
    """CPython's context.assert_spawning: these objects travel only with a process being started."""
    if not _lab._spawning:
        raise RuntimeError(
            f"{type(obj).__name__} objects should only be shared between processes through inheritance"
        )
