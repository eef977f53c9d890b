"""Value and Array (and RawValue, RawArray) between processes, as CPython's sharedctypes: a
ctypes object's bytes in a block that every process sees (_block.py: real shared memory on the
lab's page, a page object elsewhere). Reads and writes go through ctypes itself, so a `c_int`
wraps, a `c_double` rounds and a Structure's fields sit where C puts them, as in CPython.

`Value(...)` and `Array(...)` come with a lock (an RLock, as CPython's default) that `get_lock()`
gives: `v.value += 1` is a read and a write, not atomic, here as in CPython. As CPython's, they
travel only with a process being started (its arguments, a pool's initargs): sent any other way
they raise its RuntimeError.

One difference: CPython's RawValue *is* the ctypes object, living in shared memory; here it is a
stand-in that reads and writes the block — `value`, items, slices and a Structure's fields work
as on the ctypes object; `ctypes.addressof`, `byref` and pointers into it do not."""

import ctypes

from ._block import Block, assert_spawning
from .synchronize import RLock

__all__ = ["RawValue", "RawArray", "Value", "Array", "copy", "synchronized"]

_TYPECODES = {
    "c": ctypes.c_char, "u": ctypes.c_wchar, "b": ctypes.c_byte, "B": ctypes.c_ubyte,
    "h": ctypes.c_short, "H": ctypes.c_ushort, "i": ctypes.c_int, "I": ctypes.c_uint,
    "l": ctypes.c_long, "L": ctypes.c_ulong, "q": ctypes.c_longlong, "Q": ctypes.c_ulonglong,
    "f": ctypes.c_float, "d": ctypes.c_double,
}


def _ctype(typecode_or_type):
    if isinstance(typecode_or_type, str):
        try:
            return _TYPECODES[typecode_or_type]
        except KeyError:
            raise TypeError(f"bad typecode (must be one of {', '.join(_TYPECODES)})") from None
    return typecode_or_type


def _is_struct(ctype):
    return isinstance(ctype, type) and issubclass(ctype, (ctypes.Structure, ctypes.Union))


class _Raw:
    """A ctypes object's bytes in a shared block (see the module's doc)."""

    _managed = False  # a Manager's Value or Array: its block on the page, and it travels anywhere

    def __reduce__(self):
        if not self._managed:
            assert_spawning(self)
        return (_rebuild, (type(self), self._ctype, self._length, self._block))

    def _load(self, ctype, offset):
        return ctype.from_buffer_copy(self._block.read(offset, offset + ctypes.sizeof(ctype)))

    def _store(self, ctype, offset, value):
        self._block.write(offset, bytes(value if isinstance(value, ctype) else ctype(value)))


def _rebuild(cls, ctype, length, block):
    obj = cls.__new__(cls)
    object.__setattr__(obj, "_ctype", ctype)
    object.__setattr__(obj, "_length", length)
    object.__setattr__(obj, "_block", block)
    return obj


class RawValue(_Raw):
    def __init__(self, typecode_or_type, *args):
        ctype = _ctype(typecode_or_type)
        object.__setattr__(self, "_ctype", ctype)
        object.__setattr__(self, "_length", 1)
        object.__setattr__(self, "_block", Block(ctypes.sizeof(ctype), bytes(ctype(*args)), self._managed))

    @property
    def value(self):
        if _is_struct(self._ctype):
            raise AttributeError(f"'{self._ctype.__name__}' object has no attribute 'value'")
        return self._load(self._ctype, 0).value

    @value.setter
    def value(self, new):
        self._store(self._ctype, 0, new)

    # A Structure's fields, read and written where ctypes places them in its bytes.
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        field = _field(self._ctype, name)
        if field is None:
            raise AttributeError(f"'{self._ctype.__name__}' object has no attribute {name!r}")
        value = self._load(field[1], field[0])
        return value.value if hasattr(value, "value") and not _is_struct(field[1]) else value

    def __setattr__(self, name, value):
        field = _field(self._ctype, name)
        if field is None:
            object.__setattr__(self, name, value)
        else:
            self._store(field[1], field[0], value)

    def _snapshot(self):
        return self._load(self._ctype, 0)

    def __repr__(self):
        if _is_struct(self._ctype):
            return f"<{self._ctype.__name__} object (shared)>"
        return f"{self._ctype.__name__}({self.value!r})"


def _field(ctype, name):
    """(offset, type) of a Structure's field `name`, or None."""
    if not _is_struct(ctype) or name.startswith("_"):
        return None
    for klass in ctype.__mro__:
        for field in getattr(klass, "_fields_", ()):
            if field[0] == name:
                return getattr(ctype, name).offset, field[1]
    return None


class RawArray(_Raw):
    def __init__(self, typecode_or_type, size_or_initializer):
        ctype = _ctype(typecode_or_type)
        if isinstance(size_or_initializer, int):
            length = size_or_initializer
            initial = (ctype * length)()
        else:
            values = list(size_or_initializer)
            length = len(values)
            initial = (ctype * length)(*values)
        object.__setattr__(self, "_ctype", ctype)
        object.__setattr__(self, "_length", length)
        object.__setattr__(self, "_block", Block(ctypes.sizeof(initial), bytes(initial), self._managed))

    def __len__(self):
        return self._length

    def _items(self, start, stop):
        size = ctypes.sizeof(self._ctype)
        count = max(0, stop - start)
        raw = self._block.read(start * size, (start + count) * size)
        return list((self._ctype * count).from_buffer_copy(raw))

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step == 1:
                return self._items(start, stop)
            return self._items(0, self._length)[start:stop:step]
        i = self._index(index)
        return self._items(i, i + 1)[0]

    def __setitem__(self, index, value):
        size = ctypes.sizeof(self._ctype)
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            positions = list(range(start, stop, step))
            values = list(value)
            if len(values) != len(positions):
                raise ValueError("Can only assign sequence of same size")
            if step == 1:
                self._block.write(start * size, bytes((self._ctype * len(values))(*values)))
            else:
                for i, v in zip(positions, values):
                    self._store(self._ctype, i * size, v)
            return
        self._store(self._ctype, self._index(index) * size, value)

    def _index(self, index):
        index = int(index)
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("invalid index")
        return index

    def __iter__(self):
        return iter(self[:])

    def _snapshot(self):
        return (self._ctype * self._length).from_buffer_copy(self._block.read())

    @property
    def value(self):
        if self._ctype not in (ctypes.c_char, ctypes.c_wchar):
            raise AttributeError(f"'{self._ctype.__name__}_Array_{self._length}' object has no attribute 'value'")
        return self._snapshot().value

    @value.setter
    def value(self, new):
        if self._ctype not in (ctypes.c_char, ctypes.c_wchar):
            raise AttributeError("value")
        array = self._snapshot()
        array.value = new  # ctypes' own checks ("byte string too long") and its terminating NUL
        self._block.write(0, bytes(array))

    @property
    def raw(self):
        if self._ctype is not ctypes.c_char:
            raise AttributeError("raw")
        return self._block.read()

    @raw.setter
    def raw(self, new):
        if self._ctype is not ctypes.c_char:
            raise AttributeError("raw")
        array = self._snapshot()
        array.raw = new
        self._block.write(0, bytes(array))

    def __repr__(self):
        return f"<{self._ctype.__name__}_Array_{self._length} {self[:]!r}>"


class _Synchronized:
    """The object with its lock, as CPython's `Synchronized` wrappers: get_lock(), get_obj(),
    acquire(), release(), and the object's own `value`, items or fields."""

    def __init__(self, obj, lock=None):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_lock", lock if lock is not None else RLock())

    def __reduce__(self):
        if not self._obj._managed:
            assert_spawning(self)
        return (synchronized, (self._obj, self._lock))  # the same kind again, in the child

    def get_lock(self):
        return self._lock

    def get_obj(self):
        return self._obj

    def acquire(self, *args):
        return self._lock.acquire(*args)

    def release(self):
        return self._lock.release()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    @property
    def value(self):
        with self._lock:
            return self._obj.value

    @value.setter
    def value(self, new):
        with self._lock:
            self._obj.value = new

    def __getattr__(self, name):  # a Structure's fields, each access under the lock
        if name.startswith("_"):
            raise AttributeError(name)
        if _field(self._obj._ctype, name) is None:
            raise AttributeError(name)
        with self._lock:
            return getattr(self._obj, name)

    def __setattr__(self, name, value):
        if _field(self._obj._ctype, name) is None:
            object.__setattr__(self, name, value)
            return
        with self._lock:
            setattr(self._obj, name, value)

    def __len__(self):
        return len(self._obj)

    def __getitem__(self, index):
        with self._lock:
            return self._obj[index]

    def __setitem__(self, index, value):
        with self._lock:
            self._obj[index] = value

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return f"<{type(self).__name__} wrapper for {self._obj!r}>"


# CPython's names for the wrappers (in its errors and reprs).
class Synchronized(_Synchronized):
    pass


class SynchronizedArray(_Synchronized):
    pass


class SynchronizedString(SynchronizedArray):
    pass


class _ManagedValue(RawValue):
    """Manager().Value: CPython's is a proxy to the manager's process, sent anywhere."""

    _managed = True


class _ManagedArray(RawArray):
    _managed = True


def synchronized(obj, lock=None):
    if isinstance(obj, RawArray):
        kind = SynchronizedString if obj._ctype is ctypes.c_char else SynchronizedArray
    elif _is_struct(obj._ctype):
        # CPython makes a class per Structure, named after it (SynchronizedPoint).
        name = "Synchronized" + obj._ctype.__name__
        kind = _struct_wrappers.get(name) or _struct_wrappers.setdefault(name, type(name, (Synchronized,), {}))
    else:
        kind = Synchronized
    return kind(obj, lock)


_struct_wrappers = {}


def _with_lock(obj, lock):
    if lock is False:
        return obj
    if lock in (True, None):
        lock = RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError(f"{lock!r} has no method 'acquire'")
    return synchronized(obj, lock)


def Value(typecode_or_type, *args, lock=True, ctx=None):
    return _with_lock(RawValue(typecode_or_type, *args), lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    return _with_lock(RawArray(typecode_or_type, size_or_initializer), lock)


def copy(obj):
    """A new raw shared object with the same type and bytes (CPython's sharedctypes.copy): of a
    shared Value or Array, or of a plain ctypes object."""
    if isinstance(obj, _Synchronized):
        obj = obj.get_obj()
    if isinstance(obj, _Raw):
        new = RawValue.__new__(type(obj)) if isinstance(obj, RawValue) else RawArray.__new__(type(obj))
        data = obj._block.read()
        object.__setattr__(new, "_ctype", obj._ctype)
        object.__setattr__(new, "_length", obj._length)
        object.__setattr__(new, "_block", Block(len(data), data))
        return new
    new = RawValue(type(obj))
    new._block.write(0, bytes(obj))
    return new
