"""Files between processes. Each process here is a Worker with a file system of its own (Pyodide's
in-memory one), where CPython's processes share the disk. So that the common patterns work — the
main program writes an input a child reads, a child writes a result the parent reads after
join() — files travel at the two moments a process hands over to another:

- at `Process.start()`, the child gets the files the parent has written (in the working directory
  and /tmp, where a program writes), as they are then;
- when the child ends, the parent gets the files the child wrote or changed, before join() returns.

What is not shared: a file written while both run is not seen by the other until that process
ends; deletions do not travel; pool workers get no files (their tasks' results travel instead).
At most MAX_BYTES go each way; past that the rest stay behind, said on stderr.
"""

import os
import sys

MAX_BYTES = 16 * 1024 * 1024
_LAB_DIR = "/home/pyodide/lab"  # this package (python.worker.js writes it)
_MAIN = "/home/pyodide/main.py"  # the program's own source, every process has it


def _roots():
    return sorted({"/tmp", os.getcwd(), "/home/pyodide"})


def _walk():
    """(path, mtime_ns, size) of every regular file a program may have written."""
    seen = set()
    for root in _roots():
        for top, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(top, d) != _LAB_DIR]
            for name in files:
                path = os.path.join(top, name)
                if path in seen or path == _MAIN:
                    continue
                seen.add(path)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                yield path, st.st_mtime_ns, st.st_size


def snapshot():
    """What is on disk now: path -> (mtime, size); a child compares its end against it."""
    return {path: (mtime, size) for path, mtime, size in _walk()}


def collect(since=None):
    """{path: bytes} of the files written or changed since `since` (a snapshot), or all of them;
    at most MAX_BYTES in all."""
    files = {}
    total = 0
    left_out = []
    for path, mtime, size in _walk():
        if since is not None and since.get(path) == (mtime, size):
            continue
        if total + size > MAX_BYTES:
            left_out.append(path)
            continue
        try:
            with open(path, "rb") as f:
                files[path] = f.read()
        except OSError:
            continue
        total += size
    if left_out:
        sys.stderr.write(
            f"(the lab: {len(left_out)} file(s) stay in {os.path.basename(sys.argv[0]) or 'this'} "
            f"process's own file system, past the {MAX_BYTES // (1024 * 1024)} MB that travel "
            f"between processes: {', '.join(left_out[:3])}{'…' if len(left_out) > 3 else ''})\n"
        )
    return files


def write(files):
    """Put files that came from another process in place (directories made as needed)."""
    for path, data in (files or {}).items():
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        except OSError as e:
            sys.stderr.write(f"(the lab: {path} could not be copied from another process: {e})\n")
