"""The one-at-a-time rung: a browser that can neither share memory on this page nor suspend
WebAssembly (JSPI) cannot make a Worker wait for another, so the main program runs its children
itself, in its own interpreter, one after another (www/python/blocking.js).

What stays as CPython does it: each child gets a pickled copy of its Process (or task), its
output is its own (tagged with its name on the card), `current_process().name` is its name, exit
codes and tracebacks are CPython's. What differs, and the card says so: nothing runs in parallel
(no speedup); a child runs when the main program first waits or asks about it (`join`,
`is_alive`, `exitcode`, `active_children`, a pool's `get`/`map`/`join`, `time.sleep`) or at its
exit, not at `start()`; a child shares the main program's interpreter, so its module state is the
main program's (under spawn it would import its own copy); and `time.sleep` spins a core.
"""

import json

import _lab_mp

from . import _lab

_pending = []  # callables: children started and pool chunks submitted, not yet run
_running = False


def start_process(process):
    """Process.start(): the child is announced now and runs at the next waiting point."""
    _lab._post({"type": "spawn-inline", "pid": process._key, "name": process.name})
    payload = _lab._dumps(process)  # pickled now, as spawn would: later changes do not reach it
    item = lambda: _run_child(process._key, process.name, payload, process.pid)  # noqa: E731
    item.pid = process._key
    _pending.append(item)


def cancel_process(pid, exitcode=-15):
    """Process.terminate() or kill() before it ran: it never runs, and ends as CPython's
    terminated child (-SIGTERM, or -SIGKILL)."""
    for item in list(_pending):
        if getattr(item, "pid", None) == pid:
            _pending.remove(item)
            _lab._exitcodes[pid] = exitcode
            _lab._post({"type": "inline-end", "pid": pid, "exitcode": exitcode})


def run_pending():
    """Run every child and chunk waiting, in the order they were started (not re-entrant: a
    child that waits does not run its siblings inside itself)."""
    global _running
    if _running:
        return
    _running = True
    try:
        while _pending:
            _pending.pop(0)()
    finally:
        _running = False


def _as(name, run, pid=None):
    """Run `run()` as process `name`: its prints tagged with it, current_process() naming it,
    os.getpid() its pid and os.getppid() the main program's."""
    from .process import _current

    own = _current.name
    own_pid, own_ppid = _lab.PID, _lab.PPID
    _lab._in_child = True
    _lab_mp.set_process(name)
    _current.name = name
    if pid is not None:
        _lab.PID, _lab.PPID = pid, own_pid
    try:
        return run()
    finally:
        _current.name = own
        _lab.PID, _lab.PPID = own_pid, own_ppid
        _lab_mp.set_process(own)
        _lab._in_child = False


def _run_child(pid, name, payload, ospid):
    from ._run import _run_process

    _lab._post({"type": "inline-start", "pid": pid})
    code = _as(name, lambda: _run_process(payload), ospid)
    _lab._exitcodes[pid] = code
    _lab._post({"type": "inline-end", "pid": pid, "exitcode": code})


def start_pool(pool_id, names):
    """A pool's workers, named as CPython names them; no Worker starts for them."""
    _lab._post({"type": "pool-inline", "pool": pool_id, "names": names})
    return names


def submit(pool, task, size, payload):
    """One chunk of a pool's tasks, run at the next waiting point by the pool's next worker in turn."""

    def item():
        member = pool._next_member
        pool._next_member = (member + 1) % len(pool._names)
        t0 = _lab_mp.now()
        from ._run import _run_task

        reply = json.loads(_as(pool._names[member], lambda: _run_task(payload), pool._pids[member]))
        t1 = _lab_mp.now()
        _lab._post({"type": "inline-task", "pool": pool._id, "member": member, "task": task, "size": size,
                    "t0": t0, "t1": t1, "ok": reply["ok"]})
        _lab._handle({"type": "result", "task": task, **reply})

    item.pool = pool._id
    _pending.append(item)


def end_pool(pool, terminated):
    """close()+join() ran its chunks; terminate() drops those not run yet."""
    if terminated:
        _pending[:] = [item for item in _pending if getattr(item, "pool", None) != pool._id]
    else:
        run_pending()
    _lab._exitcodes[pool._id] = -15 if terminated else 0
    _lab._post({"type": "pool-end", "pool": pool._id, "exitcode": _lab._exitcodes[pool._id]})
