"""multiprocessing.heap.BufferWrapper: a block of bytes shared by processes. CPython maps it
into each process; here it lives on the page (www/python/sync.js) and `create_memoryview()`
gives a view whose every read and write is a request there: slower, and correct across
processes. The view supports what is done with such a block: `cast(format)`, `len`, and
reading and writing items and slices."""

import struct

from ._sync import Shared, _new, request


class Heap:
    """CPython's allocator of shared blocks; here each block is an object of the page."""

    _DISCARD_FREE_SPACE_LARGER_THAN = 4 * 1024 * 1024


class BufferWrapper(Shared):
    _heap = Heap()

    def __init__(self, size):
        if size < 0:
            raise ValueError(f"Size {size!r} out of range")
        self._size = int(size)
        self._id = _new("store", values=[0] * self._size)

    def __getstate__(self):
        return {"_id": self._id, "_size": self._size}

    def create_memoryview(self):
        return SharedView(self._id, self._size, "B")


class SharedView:
    """A memoryview-like window on a shared block (see the module's doc)."""

    def __init__(self, oid, nbytes, fmt):
        self._id = oid
        self._nbytes = nbytes
        self.format = fmt
        self.itemsize = struct.calcsize(fmt)

    def cast(self, fmt):
        if self._nbytes % struct.calcsize(fmt):
            raise TypeError("memoryview: length is not a multiple of itemsize")
        return SharedView(self._id, self._nbytes, fmt)

    def __len__(self):
        return self._nbytes // self.itemsize

    @property
    def nbytes(self):
        return self._nbytes

    def _index(self, i):
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("index out of bounds on dimension 1")
        return i

    def _read(self, start, count):
        raw = bytes(request(self._id, "get_values", start=start * self.itemsize, stop=(start + count) * self.itemsize))
        return list(struct.unpack(f"{count}{self.format}", raw))

    def _write(self, start, values):
        raw = struct.pack(f"{len(values)}{self.format}", *values)
        request(self._id, "set", start=start * self.itemsize, values=list(raw))

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            values = self._read(0, len(self)) if step != 1 else self._read(start, max(0, stop - start))
            return values[start:stop:step] if step != 1 else values
        return self._read(self._index(index), 1)[0]

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise NotImplementedError("a shared view takes slices with step 1")
            self._write(start, list(value)[: max(0, stop - start)])
            return
        self._write(self._index(index), [value])

    def tolist(self):
        return self._read(0, len(self))

    def tobytes(self):
        return bytes(request(self._id, "get_values", start=0, stop=self._nbytes))

    def release(self):
        pass
