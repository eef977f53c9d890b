"""Value and Array (and RawValue, RawArray) between processes: the numbers live on the page
(www/python/sync.js), converted on every write by ctypes itself, so a `c_int` wraps and a
`c_double` rounds as CPython's shared ctypes do. `Value(...)` and `Array(...)` come with a lock
(an RLock, as CPython's default), `get_lock()` gives it: `v.value += 1` is a read and a write, not
atomic, here as in CPython.

This is the correct, slower route of issue 22: each access is a request to the page (tens of
microseconds with shared memory, more on the other rungs), not a load from shared memory."""

import ctypes
import math

from ._sync import Shared, _new, request
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


def _to_wire(ctype, value):
    """A Python value, as the C type stores it, as JSON: ints wrap, floats round, chars are ints."""
    stored = ctype(value).value
    if isinstance(stored, bytes):
        return stored[0] if stored else 0
    if isinstance(stored, float) and not math.isfinite(stored):
        return repr(stored)
    return stored


def _from_wire(ctype, wire):
    if ctype is ctypes.c_char:
        return bytes([wire])
    if ctype in (ctypes.c_double, ctypes.c_float):
        return float(wire)  # JSON gives 10.0 back as 10
    return wire


class _Raw(Shared):
    def __getstate__(self):
        return {"_id": self._id, "_ctype": self._ctype, "_length": self._length}


class RawValue(_Raw):
    def __init__(self, typecode_or_type, *args):
        self._ctype = _ctype(typecode_or_type)
        self._length = 1
        initial = self._ctype(*args)
        self._id = _new("store", values=[_to_wire(self._ctype, initial.value)])

    @property
    def value(self):
        return _from_wire(self._ctype, request(self._id, "get_values", start=0, stop=1)[0])

    @value.setter
    def value(self, new):
        request(self._id, "set", start=0, values=[_to_wire(self._ctype, new)])

    def __repr__(self):
        return f"{self._ctype.__name__}({self.value!r})"


class RawArray(_Raw):
    def __init__(self, typecode_or_type, size_or_initializer):
        self._ctype = _ctype(typecode_or_type)
        if isinstance(size_or_initializer, int):
            values = [self._ctype().value] * size_or_initializer
        else:
            values = list(size_or_initializer)
        self._length = len(values)
        self._id = _new("store", values=[_to_wire(self._ctype, v) for v in values])

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            values = request(self._id, "get_values", start=0, stop=self._length)
            return [_from_wire(self._ctype, values[i]) for i in range(start, stop, step)]
        i = self._index(index)
        return _from_wire(self._ctype, request(self._id, "get_values", start=i, stop=i + 1)[0])

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            positions = list(range(start, stop, step))
            values = list(value)
            if len(values) != len(positions):
                raise ValueError("Can only assign sequence of same size")
            if step == 1:
                request(self._id, "set", start=start, values=[_to_wire(self._ctype, v) for v in values])
            else:
                for i, v in zip(positions, values):
                    request(self._id, "set", start=i, values=[_to_wire(self._ctype, v)])
            return
        request(self._id, "set", start=self._index(index), values=[_to_wire(self._ctype, value)])

    def _index(self, index):
        index = int(index)
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("invalid index")
        return index

    def __iter__(self):
        return iter(self[:])

    @property
    def value(self):
        if self._ctype is not ctypes.c_char:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'value'")
        return b"".join(self[:]).split(b"\0", 1)[0]

    @value.setter
    def value(self, new):
        if self._ctype is not ctypes.c_char:
            raise AttributeError("value")
        data = bytes(new)
        if len(data) > self._length:
            raise ValueError("byte string too long")
        self[: len(data) + (len(data) < self._length)] = [bytes([b]) for b in data] + ([b"\0"] if len(data) < self._length else [])

    def __repr__(self):
        return f"<{self._ctype.__name__}_Array_{self._length} {self[:]!r}>"


class _Synchronized:
    """The object with its lock, as CPython's `Synchronized` wrappers: get_lock(), get_obj(),
    acquire(), release(), and the object's own `value` or items."""

    def __init__(self, obj, lock=None):
        self._obj = obj
        self._lock = lock if lock is not None else RLock()

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
        return self._obj.value

    @value.setter
    def value(self, new):
        self._obj.value = new

    def __len__(self):
        return len(self._obj)

    def __getitem__(self, index):
        return self._obj[index]

    def __setitem__(self, index, value):
        self._obj[index] = value

    def __iter__(self):
        return iter(self._obj)

    def __repr__(self):
        kind = "Synchronized" if isinstance(self._obj, RawValue) else "SynchronizedArray"
        return f"<{kind} wrapper for {self._obj!r}>"


def synchronized(obj, lock=None):
    return _Synchronized(obj, lock)


def _with_lock(obj, lock):
    if lock is False:
        return obj
    if lock in (True, None):
        lock = RLock()
    if not hasattr(lock, "acquire"):
        raise AttributeError(f"{lock!r} has no method 'acquire'")
    return _Synchronized(obj, lock)


def Value(typecode_or_type, *args, lock=True, ctx=None):
    return _with_lock(RawValue(typecode_or_type, *args), lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    return _with_lock(RawArray(typecode_or_type, size_or_initializer), lock)


def copy(obj):
    """A new raw object with the same type and contents (CPython's sharedctypes.copy)."""
    if isinstance(obj, _Synchronized):
        obj = obj.get_obj()
    if isinstance(obj, RawArray):
        return RawArray(obj._ctype, obj[:])
    return RawValue(obj._ctype, obj.value)
