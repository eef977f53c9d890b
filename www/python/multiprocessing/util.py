"""multiprocessing.util as far as the lab's processes have it: the logger (get_logger,
log_to_stderr, the level names), Finalize with exit priorities, and get_temp_dir."""

import atexit
import itertools
import logging
import os
import tempfile
import weakref

NOTSET = 0
SUBDEBUG = 5
DEBUG = 10
INFO = 20
SUBWARNING = 25
WARNING = 30

LOGGER_NAME = "multiprocessing"
DEFAULT_LOGGING_FORMAT = "[%(levelname)s/%(processName)s] %(message)s"

_logger = None
_log_to_stderr = False


def _logs_at(level, name):
    """CPython's util.debug, util.info…: log at `level` once a logger exists."""

    def log(msg, *args):
        if _logger:
            _logger.log(level, msg, *args, stacklevel=2)

    log.__name__ = name
    return log


sub_debug = _logs_at(SUBDEBUG, "sub_debug")
debug = _logs_at(DEBUG, "debug")
info = _logs_at(INFO, "info")
sub_warning = _logs_at(SUBWARNING, "sub_warning")
warn = _logs_at(WARNING, "warn")


def get_logger():
    """The package's logger, made once (CPython's util.get_logger)."""
    global _logger
    if not _logger:
        _logger = logging.getLogger(LOGGER_NAME)
        _logger.propagate = 0
        logging.addLevelName(SUBDEBUG, "SUBDEBUG")
        logging.addLevelName(SUBWARNING, "SUBWARNING")
    return _logger


def log_to_stderr(level=None):
    """Send the package's log to stderr (CPython's util.log_to_stderr)."""
    global _log_to_stderr
    logger = get_logger()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(DEFAULT_LOGGING_FORMAT))
    logger.addHandler(handler)
    if level:
        logger.setLevel(level)
    _log_to_stderr = True
    return _logger


abstract_sockets_supported = False

_temp_dir = None


def get_temp_dir():
    global _temp_dir
    if _temp_dir is None:
        _temp_dir = tempfile.mkdtemp(prefix="pymp-")
    return _temp_dir


_afterfork_registry = weakref.WeakValueDictionary()
_finalizer_registry = {}
_finalizer_counter = itertools.count()


class Finalize:
    """Call `callback(*args, **kwargs)` when `obj` is collected or at exit, by exit priority
    (CPython's util.Finalize)."""

    def __init__(self, obj, callback, args=(), kwargs=None, exitpriority=None):
        if exitpriority is not None and not isinstance(exitpriority, int):
            raise TypeError(f"Exitpriority ({exitpriority!r}) must be None or int, not {type(exitpriority)}")
        if obj is not None:
            self._weakref = weakref.ref(obj, self)
        elif exitpriority is None:
            raise ValueError("Without object, exitpriority cannot be None")
        self._callback = callback
        self._args = args
        self._kwargs = kwargs or {}
        self._key = (exitpriority, next(_finalizer_counter))
        self._pid = os.getpid()
        _finalizer_registry[self._key] = self

    def __call__(self, wr=None):
        try:
            del _finalizer_registry[self._key]
        except KeyError:
            return None
        res = self._callback(*self._args, **self._kwargs)
        self._weakref = self._callback = self._args = self._kwargs = self._key = None
        return res

    def cancel(self):
        try:
            del _finalizer_registry[self._key]
        except KeyError:
            pass
        else:
            self._weakref = self._callback = self._args = self._kwargs = self._key = None

    def still_active(self):
        return self._key in _finalizer_registry


def _run_finalizers(minpriority=None):
    """Run the finalizers with a priority of at least `minpriority` (all with one, if None),
    highest first."""
    if _finalizer_registry is None:
        return
    if minpriority is None:
        f = lambda p: p[0] is not None  # noqa: E731
    else:
        f = lambda p: p[0] is not None and p[0] >= minpriority  # noqa: E731
    keys = [key for key in list(_finalizer_registry) if f(key)]
    keys.sort(reverse=True)
    for key in keys:
        finalizer = _finalizer_registry.get(key)
        if finalizer is not None:
            try:
                finalizer()
            except Exception:
                import traceback

                traceback.print_exc()
    if minpriority is None:
        _finalizer_registry.clear()


def _exit_function():
    _run_finalizers(0)
    _run_finalizers()


atexit.register(_exit_function)


def _cleanup_tests():
    """What CPython's test suite calls at its end: the finalizers run."""
    _run_finalizers()


class ForkAwareThreadLock:
    def __init__(self):
        import threading

        self._lock = threading.Lock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)
