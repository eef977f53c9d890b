# CPython's multiprocessing tests, run on the lab's `multiprocessing` in a browser's Python card.
#
# scripts/conformance.mjs builds the program from this file: it puts the test module of the PyPI
# package `multiprocess` (its py314 wheel: CPython's Lib/test/_test_multiprocessing.py, adapted;
# fetched at test time, never kept in this repository) in TESTS_SOURCE, and the tests to run and
# to leave out in SELECT and SKIP. Every interpreter of the run (the main program and each child,
# which imports this program as __mp_main__ under spawn) builds the same modules from it, so that
# the test classes' targets unpickle in the children as they do under CPython.
#
# What is ours here is only the test *infrastructure* the module imports: a small `test.support`
# (the helpers it uses: timeouts, resource switches, temp files), `_multiprocessing`'s flags, and
# `multiprocess` as a name for the lab's `multiprocessing`. Submodules the lab does not have
# (`dummy`, `resource_tracker`, `reduction`) are empty here: the tests that use them fail,
# and count.
#
# Output: for each test, "CONFORMANCE-START <id>" then "CONFORMANCE {json}" with its outcome.

import base64
import contextlib
import importlib
import json
import os
import sys
import tempfile
import time
import types
import unittest
import zlib

TESTS_SOURCE = "@@TESTS_SOURCE@@"
SELECT = json.loads("@@SELECT@@")  # class-name prefixes to run, e.g. ["WithProcessesTestQueue"]
SKIP = set(json.loads("@@SKIP@@"))  # test ids already run, or that hung, in an earlier attempt


def _module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, module)
    return module


# --- test.support: what _test_multiprocessing uses of it ---------------------------------------


def _requires_resource(resource):
    return unittest.skip(f"resource {resource!r} is not enabled (as in CPython's default test run)")


def _sleeping_retry(timeout, err_msg=None, /, *, init_delay=0.010, max_delay=1.0, error=True):
    delay = init_delay
    start = time.monotonic()
    while True:
        yield
        if time.monotonic() - start > timeout:
            if error:
                raise AssertionError(err_msg or f"timeout ({timeout} seconds)")
            break
        time.sleep(delay)
        delay = min(delay * 2, max_delay)


@contextlib.contextmanager
def _captured(name):
    import io

    saved = getattr(sys, name)
    setattr(sys, name, io.StringIO())
    try:
        yield getattr(sys, name)
    finally:
        setattr(sys, name, saved)


def _sub_tests(arg_names, arg_values, /, *, _do_cleanups=False):
    import functools

    single = isinstance(arg_names, str) and "," not in arg_names
    names = [arg_names] if single else [n.strip() for n in arg_names.split(",")] if isinstance(arg_names, str) else list(arg_names)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, /, *args, **kwargs):
            for values in arg_values:
                values = (values,) if single else values
                params = dict(zip(names, values))
                with self.subTest(**params):
                    func(self, *args, **kwargs, **params)

        return wrapper

    return decorator


_not_here = unittest.skip("needs a subprocess (`python -c …`), which a Web Worker cannot start")
support = _module(
    "test.support",
    SHORT_TIMEOUT=30.0,
    LONG_TIMEOUT=300.0,
    PIPE_MAX_SIZE=4 * 1024 * 1024 + 1,
    SOCK_MAX_SIZE=16 * 1024 * 1024 + 1,
    HAVE_ASAN_FORK_BUG=False,
    PGO=False,
    environment_altered=False,
    requires_resource=_requires_resource,
    sleeping_retry=_sleeping_retry,
    print_warning=lambda msg: print(f"Warning -- {msg}", file=sys.stderr),
    gc_collect=lambda: __import__("gc").collect(),
    captured_stderr=lambda: _captured("stderr"),
    captured_stdout=lambda: _captured("stdout"),
    cpython_only=lambda f: f,
    setswitchinterval=lambda interval: None,
    reap_children=lambda: None,
    wait_process=lambda pid, *, exitcode, timeout=None: None,
    check__all__=lambda *a, **k: None,
    subTests=_sub_tests,
)
_module("test", support=support)
sys.modules["test"].support = support
_module("test.support.import_helper", import_module=lambda name, *a, **k: importlib.import_module(name),
        DirsOnSysPath=contextlib.nullcontext)
_module(
    "test.support.os_helper",
    TESTFN=os.path.join(tempfile.gettempdir(), f"@test_{os.getpid()}_tmp"),
    unlink=lambda path: os.path.exists(path) and os.unlink(path),
    FakePath=type("FakePath", (), {"__init__": lambda s, p: setattr(s, "p", p), "__fspath__": lambda s: s.p}),
    temp_dir=lambda *a, **k: tempfile.TemporaryDirectory(),
    temp_cwd=lambda *a, **k: contextlib.nullcontext(os.getcwd()),
    fd_count=lambda: 0,
)
_module("test.support.script_helper", assert_python_ok=lambda *a, **k: _not_here(lambda: None)(),
        assert_python_failure=lambda *a, **k: _not_here(lambda: None)())
_module("test.support.socket_helper", HOST="127.0.0.1")
_module("test.support.threading_helper",
        join_thread=lambda thread, timeout=None: thread.join(timeout),
        start_threads=lambda threads, unlock=None: contextlib.nullcontext())
_module("test.support.warnings_helper", check_warnings=lambda *a, **k: contextlib.nullcontext())
_module("test.support.hashlib_helper", requires_hashdigest=lambda *a, **k: (lambda f: f))
for _name in ("import_helper", "os_helper", "script_helper", "socket_helper", "threading_helper",
              "warnings_helper", "hashlib_helper"):
    setattr(support, _name, sys.modules[f"test.support.{_name}"])

# --- the lab's multiprocessing, under the name the tests import ---------------------------------

import multiprocessing  # noqa: E402  (the lab's)

sys.modules["multiprocess"] = multiprocessing
for _sub in ("connection", "pool", "queues", "managers", "synchronize", "sharedctypes", "process", "util", "heap"):
    sys.modules[f"multiprocess.{_sub}"] = importlib.import_module(f"multiprocessing.{_sub}")
    setattr(multiprocessing, _sub, sys.modules[f"multiprocess.{_sub}"])
def _absent(module):
    def missing(name):
        if name.startswith("__"):
            raise AttributeError(name)

        def call(*args, **kwargs):
            raise NotImplementedError(f"{module}.{name} is not in the browser lab's multiprocessing")

        return call

    return missing


for _sub in ("dummy", "resource_tracker", "reduction"):  # not in the lab: placeholders
    _module(f"multiprocess.{_sub}", _CLEANUP_FUNCS={}, HAVE_SEND_HANDLE=False,
            __getattr__=_absent(f"multiprocessing.{_sub}"))
_module("_multiprocessing", flags={}, HAVE_BROKEN_SEM_GETVALUE=False)

# --- CPython's tests, as the package `multiprocess.tests` ---------------------------------------

tests = types.ModuleType("multiprocess.tests")
tests.__file__ = "/home/pyodide/multiprocess/tests/__init__.py"
tests.__path__ = []
sys.modules["multiprocess.tests"] = tests
_source = zlib.decompress(base64.b64decode(TESTS_SOURCE)).decode("utf-8")
exec(compile(_source, tests.__file__, "exec"), tests.__dict__)
tests.install_tests_in_module_dict(globals(), "spawn", only_type="processes")


def _cases():
    loader = unittest.TestLoader()
    for name in sorted(globals()):
        cls = globals()[name]
        if isinstance(cls, type) and issubclass(cls, unittest.TestCase) and any(name.startswith(p) for p in SELECT):
            for case in loader.loadTestsFromTestCase(cls):
                if case.id() not in SKIP:
                    yield case


class _Result(unittest.TestResult):
    """One line per test, as it ends: its outcome and, when it did not pass, why in one line."""

    def __init__(self):
        super().__init__()
        self.outcome = None

    def _say(self, test, outcome, why=""):
        if self.outcome is None or outcome != "pass":
            self.outcome = (outcome, why)

    def addSuccess(self, test):
        self._say(test, "pass")

    def addFailure(self, test, err):
        self._say(test, "fail", _why(err))

    def addError(self, test, err):
        self._say(test, "error", _why(err))

    def addSkip(self, test, reason):
        self._say(test, "skip", str(reason))

    def addExpectedFailure(self, test, err):
        self._say(test, "pass")

    def addUnexpectedSuccess(self, test):
        self._say(test, "fail", "unexpected success")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._say(test, "fail" if issubclass(err[0], test.failureException) else "error", _why(err))


def _why(err):
    kind, value, _ = err
    text = f"{kind.__name__}: {value}".strip().splitlines()
    return text[0][:240] if text else kind.__name__


def _report(case, outcome, why, seconds=0.0):
    line = {"id": case.id(), "outcome": outcome, "why": why, "s": round(seconds, 3)}
    print("CONFORMANCE " + json.dumps(line), flush=True)


if __name__ == "__main__":
    setUpModule()  # noqa: F821  (put here by install_tests_in_module_dict)
    current = None
    broken = None  # why the current class could not be set up: each of its tests errs with it
    for case in _cases():
        cls = type(case)
        if cls is not current:
            if current is not None and broken is None:
                try:
                    current.tearDownClass()
                except Exception as e:
                    print(f"tearDownClass of {current.__name__}: {e!r}", file=sys.stderr)
            current = cls
            try:
                cls.setUpClass()
                broken = None
            except BaseException as e:
                broken = f"setUpClass: {_why((type(e), e, None))}"
        if broken is not None:
            _report(case, "error", broken)
            continue
        from multiprocessing import _lab as _lab_state

        if _lab_state._started > 60:
            # The card stops a run at 100 processes (its cap on one run): the driver starts the
            # program again, past the tests done so far, before a test could meet that cap.
            print("CONFORMANCE-AGAIN", flush=True)
            break
        print(f"CONFORMANCE-START {case.id()}", flush=True)
        result = _Result()
        t0 = time.monotonic()
        case.run(result)
        outcome, why = result.outcome or ("error", "no outcome")
        _report(case, outcome, why, time.monotonic() - t0)
    else:
        if current is not None and broken is None:
            current.tearDownClass()
        print("CONFORMANCE-DONE", flush=True)
