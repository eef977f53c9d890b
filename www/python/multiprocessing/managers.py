"""Manager(): shared dict, list and Namespace, and the manager's Queue, Lock, Value… for the
lab's processes.

CPython's manager is a server process that owns the objects and runs every method call on them,
one at a time. Here the page holds each object as one pickled value beside a lock
(www/python/sync.js), and a proxy's method takes the lock, reads the value, runs the method on a
fresh copy, writes it back if it changed, and lets go: each call is atomic, as on CPython's
server, and a value read from a proxy is a copy, as there. The cost grows with the object's size
(each call moves it whole), which is fine for the small shared state a manager is used for."""

from . import _lab
from ._sync import Shared, _new, request

__all__ = ["SyncManager", "BaseManager", "Namespace", "BaseProxy", "RemoteError"]


class RemoteError(Exception):
    pass


class BaseProxy:
    """CPython's base for a custom manager's proxies. A custom manager's objects live in a server
    process, which the lab has not: a subclass can be declared, not used."""

    def _callmethod(self, methodname, args=(), kwds={}):
        raise _custom_manager()


def _custom_manager():
    return _lab.NotSupportedError(
        "a custom manager (BaseManager.register) runs its objects in a server process, which the "
        "browser lab has not: use Manager()'s dict, list, Namespace, Queue, Lock or Value."
    )


class _Held(Shared):
    """A value of the page kept whole, changed under its own lock."""

    def __init__(self, value):
        self._lock = _new("rlock")
        self._id = _new("store", values=[_lab._dumps(value)])

    def __getstate__(self):
        return {"_id": self._id, "_lock": self._lock}

    def _read(self):
        return _lab._loads(request(self._id, "get_values", start=0, stop=1)[0])

    def _call(self, method, *args, **kwargs):
        request(self._lock, "acquire", block=True, timeout=None)
        try:
            value = self._read()
            before = _lab._dumps(value)
            result = getattr(value, method)(*args, **kwargs)
            after = _lab._dumps(value)
            if after != before:
                request(self._id, "set", start=0, values=[after])
            return result
        finally:
            request(self._lock, "release")


def _proxy_methods(cls, names):
    for name in names:
        def method(self, *args, _name=name, **kwargs):
            return self._call(_name, *args, **kwargs)

        method.__name__ = name
        setattr(cls, name, method)
    return cls


class DictProxy(_Held):
    def copy(self):
        return self._read()

    def __repr__(self):
        return repr(self._read())

    def __str__(self):
        return str(self._read())


_proxy_methods(DictProxy, [
    "__contains__", "__delitem__", "__getitem__", "__iter__", "__len__", "__setitem__", "clear",
    "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values", "__eq__", "__ne__",
])
for _name in ("items", "keys", "values"):
    def _listed(self, _n=_name):
        return list(self._call(_n))
    setattr(DictProxy, _name, _listed)
DictProxy.__iter__ = lambda self: iter(list(self._call("keys")))


class ListProxy(_Held):
    def __repr__(self):
        return repr(self._read())

    def __str__(self):
        return str(self._read())

    def __iadd__(self, other):
        self._call("extend", other)
        return self

    def __imul__(self, n):
        self._call("__imul__", n)
        return self

    def __iter__(self):
        return iter(self._read())


_proxy_methods(ListProxy, [
    "__add__", "__contains__", "__delitem__", "__getitem__", "__len__", "__mul__", "__reversed__",
    "__rmul__", "__setitem__", "append", "count", "extend", "index", "insert", "pop", "remove",
    "reverse", "sort", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
])
ListProxy.__reversed__ = lambda self: iter(list(reversed(self._read())))


class Namespace:
    def __init__(self, /, **kwds):
        self.__dict__.update(kwds)

    def __repr__(self):
        items = [f"{k}={v!r}" for k, v in self.__dict__.items() if not k.startswith("_")]
        return f"Namespace({', '.join(items)})"


class NamespaceProxy(_Held):
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._read()
        try:
            return getattr(value, name)
        except AttributeError:
            raise AttributeError(f"'Namespace' object has no attribute {name!r}") from None

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self._call("__setattr__", name, value)

    def __delattr__(self, name):
        if name.startswith("_"):
            object.__delattr__(self, name)
        else:
            self._call("__delattr__", name)

    def __repr__(self):
        return repr(self._read())


class SyncManager:
    """What `multiprocessing.Manager()` returns: start(), shutdown(), the context manager, and
    the objects it makes. There is no server process: `address` is None, `connect()` raises."""

    def __init__(self, address=None, authkey=None, serializer="pickle", ctx=None, *, shutdown_timeout=1.0):
        self._state = "INITIAL"
        self.address = None

    def start(self, initializer=None, initargs=()):
        if self._state == "STARTED":
            raise _lab.ProcessError("Already started server")
        if initializer is not None:
            initializer(*initargs)
        self._state = "STARTED"

    def connect(self):
        raise _lab.NotSupportedError("a Manager in the browser lab has no server to connect to")

    def shutdown(self):
        self._state = "SHUTDOWN"

    def join(self, timeout=None):
        pass

    def __enter__(self):
        if self._state == "INITIAL":
            self.start()
        return self

    def __exit__(self, *args):
        self.shutdown()

    def dict(self, *args, **kwargs):
        return DictProxy(dict(*args, **kwargs))

    def list(self, sequence=()):
        return ListProxy(list(sequence))

    def Namespace(self, **kwargs):
        return NamespaceProxy(Namespace(**kwargs))

    def Queue(self, maxsize=0):
        from .queues import Queue

        return Queue(maxsize)

    def JoinableQueue(self, maxsize=0):
        from .queues import JoinableQueue

        return JoinableQueue(maxsize)

    def Lock(self):
        from .synchronize import Lock

        return Lock()

    def RLock(self):
        from .synchronize import RLock

        return RLock()

    def Semaphore(self, value=1):
        from .synchronize import Semaphore

        return Semaphore(value)

    def BoundedSemaphore(self, value=1):
        from .synchronize import BoundedSemaphore

        return BoundedSemaphore(value)

    def Event(self):
        from .synchronize import Event

        return Event()

    def Condition(self, lock=None):
        from .synchronize import Condition

        return Condition(lock)

    def Barrier(self, parties, action=None, timeout=None):
        from .synchronize import Barrier

        return Barrier(parties, action, timeout)

    def Value(self, typecode, value, lock=True):
        from .sharedctypes import _ManagedValue, _with_lock

        return _with_lock(_ManagedValue(typecode, value), lock)

    def Array(self, typecode, sequence, lock=True):
        from .sharedctypes import _ManagedArray, _with_lock

        return _with_lock(_ManagedArray(typecode, sequence), lock)

    def Pool(self, *args, **kwargs):
        from .pool import Pool

        return Pool(*args, **kwargs)


class BaseManager(SyncManager):
    """A manager class to register types on (CPython's BaseManager.register); making a registered
    object raises NotSupportedError (see BaseProxy)."""

    @classmethod
    def register(cls, typeid, callable=None, proxytype=None, exposed=None, method_to_typeid=None,
                 create_method=True):
        if "_registry" not in cls.__dict__:
            cls._registry = {}
        cls._registry[typeid] = callable
        if create_method:
            def make(self, *args, **kwds):
                raise _custom_manager()

            make.__name__ = typeid
            setattr(cls, typeid, make)


def Manager():
    """A started manager (as CPython's `multiprocessing.Manager()`)."""
    manager = SyncManager()
    manager.start()
    return manager
