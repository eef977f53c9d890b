"""multiprocessing.heap.BufferWrapper: a block of bytes shared by processes (_block.py: real
shared memory on the lab's page, a page object elsewhere). `create_memoryview()` gives a view
that reads and writes the block; it supports what is done with such a block: `cast(format)`,
`len`, and reading and writing items and slices."""

import struct

from ._block import Block


class Heap:
    """CPython's allocator of shared blocks; here each block is an object of the page."""

    _DISCARD_FREE_SPACE_LARGER_THAN = 4 * 1024 * 1024


class BufferWrapper:
    _heap = Heap()

    def __init__(self, size):
        if size < 0:
            raise ValueError(f"Size {size!r} out of range")
        self._size = int(size)
        self._block = Block(self._size)

    def create_memoryview(self):
        return SharedView(self._block, self._size, "B")


class SharedView:
    """A memoryview-like window on a shared block (see the module's doc)."""

    def __init__(self, block, nbytes, fmt):
        self._block = block
        self._nbytes = nbytes
        self.format = fmt
        self.itemsize = struct.calcsize(fmt)

    def cast(self, fmt):
        if self._nbytes % struct.calcsize(fmt):
            raise TypeError("memoryview: length is not a multiple of itemsize")
        return SharedView(self._block, self._nbytes, fmt)

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
        raw = self._block.read(start * self.itemsize, (start + count) * self.itemsize)
        return list(struct.unpack(f"{count}{self.format}", raw))

    def _write(self, start, values):
        raw = struct.pack(f"{len(values)}{self.format}", *values)
        self._block.write(start * self.itemsize, raw)

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
        return self._block.read(0, self._nbytes)

    def release(self):
        pass
