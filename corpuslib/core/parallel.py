"""Worker pools for the corpus stages: every core by default, chunks of work, results in input order.

The stages (:func:`corpuslib.documents.table.ingest`, :func:`corpuslib.text.tokens.tokenize`, the Dask path of
:mod:`corpuslib.run.build`) cut their input into tasks of a few hundred kilobytes of text, hand them to
an *executor* and read the results back in submission order, so the output never depends on which
worker finished first. An executor is anything with ``submit(fn, *args) -> future`` whose future has
``result()``: a :class:`concurrent.futures.ProcessPoolExecutor` from :func:`worker_pool`, the
in-process :class:`SerialExecutor`, or a ``dask.distributed.Client``.

Worker processes are forked from a single-threaded parent (scripts, the CLI: instant start, nothing
imported again, and a script needs no ``if __name__ == "__main__":`` guard); a parent with threads
(Jupyter, Dask) starts them from a ``forkserver`` that has already imported corpuslib, since forking
a process with threads can deadlock. ``CORPUSLIB_START_METHOD`` overrides the choice. Every worker
runs the stage's initializer once, so jieba, pyvi, pymorphy3 and the language model are loaded
once per worker, not once per task.

No process outlives the command that started it: each worker asks the kernel to kill it when its
parent dies (``PR_SET_PDEATHSIG``) and, when its parent is a forkserver, watches the command's pid;
the forkserver and the resource tracker end once no worker holds their pipes, and are stopped at
exit (:func:`stop_helpers`). Normal exit, an error, Ctrl-C, SIGTERM and SIGKILL of the command
are tested (``tests/core/test_parallel.py``).
"""
from __future__ import annotations

import collections
import functools
import logging
import os
from typing import Any, Callable, Iterable, Iterator

__all__ = ["available_cpus", "resolve_jobs", "start_method", "worker_pool", "SerialExecutor", "map_ordered",
           "rss_tree", "die_with_parent", "stop_helpers", "free_cpus", "plan_workers"]

#: Modules imported once in the forkserver, so every worker starts with them loaded.
PRELOAD = ["corpuslib.documents.table", "corpuslib.text.tokens"]
#: Environment variables a worker copies from the parent at start (the forkserver may be older).
_ENV = ("CORPUSLIB_CACHE", "CORPUSLIB_ROOT")


def available_cpus() -> int:
    """Return the number of CPUs this process may run on (affinity-aware)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(n_jobs: int | None) -> int:
    """Return the number of worker processes ``n_jobs`` asks for.

    Parameters
    ----------
    n_jobs : int or None
        ``-1`` (or None): every available CPU; ``-2``: all but one, and so on (as in joblib);
        a positive number: that many.

    Returns
    -------
    int
        At least 1.
    """
    if n_jobs is None:
        n_jobs = -1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero int (-1 = all CPUs), not {n_jobs!r}")
    if n_jobs < 0:
        return max(1, available_cpus() + 1 + n_jobs)
    return n_jobs


#: Seconds over which :func:`free_cpus` measures what the other processes use.
LOAD_SAMPLE_S = 0.3
#: A k-th worker is started when at least ``k - WORKER_SLACK`` CPUs are free (below that the
#: pool's own cost, and the parent's serial share, make it slower than one process fewer).
WORKER_SLACK = 0.75
_log = logging.getLogger("corpuslib.parallel")


def _cpu_ticks(cpus: set[int] | None) -> tuple[float, float] | None:
    """Return (busy, total) clock ticks since boot of ``cpus`` (all when None), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            lines = [line.split() for line in fh if line.startswith("cpu")]
    except OSError:
        return None
    rows = [f for f in lines if f[0] != "cpu" and (cpus is None or int(f[0][3:]) in cpus)] or \
        [f for f in lines if f[0] == "cpu"]
    busy = total = 0.0
    for f in rows:
        ticks = [float(x) for x in f[1:9]]  # user nice system idle iowait irq softirq steal
        total += sum(ticks)
        busy += sum(ticks) - ticks[3] - ticks[4]
    return busy, total


def free_cpus(sample_s: float = LOAD_SAMPLE_S) -> float:
    """Return how many of this process's CPUs the other processes of the machine leave free now.

    Measured over ``sample_s`` seconds from ``/proc/stat`` (the CPUs of this process's affinity),
    minus what this process itself used meanwhile; where that is not available, from the
    one-minute load average (``os.getloadavg``) minus one for this process.

    Returns
    -------
    float
        Between 0 and :func:`available_cpus`.
    """
    import time

    cpus = available_cpus()
    try:
        mine = os.sched_getaffinity(0)
    except AttributeError:  # pragma: no cover - not Linux
        mine = None
    before, own0 = _cpu_ticks(mine), time.process_time()
    if before is not None and sample_s > 0:
        time.sleep(sample_s)
        after, own = _cpu_ticks(mine), time.process_time() - own0
        if after is not None and after[1] > before[1]:
            busy_share = (after[0] - before[0]) / (after[1] - before[1])  # of all these CPUs
            others = busy_share * cpus - own / sample_s
            return float(min(cpus, max(0.0, cpus - others)))
    try:
        others = os.getloadavg()[0] - 1.0  # this process is one of the runnable ones
    except (OSError, AttributeError):  # pragma: no cover
        return float(cpus)
    return float(min(cpus, max(0.0, cpus - others)))


def plan_workers(n_jobs: int | None, work: int, *, min_work: int, work_per_worker: int | None = None,
                 stage: str = "") -> int:
    """Return how many worker processes a stage should start for ``work`` (1: stay in this process).

    An explicit ``n_jobs`` (anything but ``-1``/None) is obeyed. ``-1`` is a choice, so that it
    never loses to ``n_jobs=1``: small work (under ``min_work``, or under ``work_per_worker`` a
    worker) stays in this process, and no more workers start than CPUs are actually free
    (:func:`free_cpus`: on a machine loaded by other processes, one process is faster than a
    pool fighting them and the parent for the cores).

    Parameters
    ----------
    n_jobs : int or None
        As for :func:`resolve_jobs`.
    work : int
        The stage's work in its own unit (bytes of input, characters of text).
    min_work : int
        Below this, one process (a pool costs about a second to start and load its models).
    work_per_worker : int, optional
        At least this much work per worker (default ``min_work / 2``).
    stage : str
        Named in the log line that records the choice.

    Returns
    -------
    int
        At least 1.
    """
    n = resolve_jobs(n_jobs)
    if n_jobs not in (-1, None) or n == 1:
        return n
    if work < min_work:
        _log.info("%s: %d units of work < %d: one process", stage, work, min_work)
        return 1
    per = work_per_worker or max(1, min_work // 2)
    n = min(n, max(1, work // per))
    free = free_cpus()
    n = min(n, max(1, int(free + WORKER_SLACK)))
    _log.info("%s: %d units of work, %.2f of %d CPUs free: %d process(es)", stage, work, free, available_cpus(), n)
    return n


def start_method() -> str:
    """Return how worker processes start: ``fork`` from a single-threaded process, else ``forkserver``.

    ``CORPUSLIB_START_METHOD`` (``fork``, ``forkserver`` or ``spawn``) overrides the choice.
    """
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    chosen = os.environ.get("CORPUSLIB_START_METHOD")
    if chosen:
        if chosen not in methods:
            raise ValueError(f"CORPUSLIB_START_METHOD={chosen!r} is not one of {methods}")
        return chosen
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


#: ``prctl`` option: the signal the kernel sends this process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int | None = None) -> bool:
    """Ask the kernel to kill this process when its parent process dies (Linux ``PR_SET_PDEATHSIG``).

    A pool worker waits for tasks on a pipe whose writing end it inherited itself, so it never sees
    the end of the input when the parent is killed (SIGKILL, SIGTERM, a crash): without this it
    would live on as an orphan (PPID 1) and keep the forkserver and the resource tracker alive.

    Parameters
    ----------
    sig : int, optional
        The signal to receive (default ``SIGKILL``: nothing to clean up in a worker).

    Returns
    -------
    bool
        True when the kernel took the request (False off Linux).
    """
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):  # pragma: no cover - other systems
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL if sig is None else sig), 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no prctl
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, not ours
        return True
    return True


def _watch_owner(owner: int) -> None:
    """Kill this process as soon as process ``owner`` ends (a thread blocked on a pidfd, or polling)."""
    import signal
    import threading

    def watch():
        try:
            fd = os.pidfd_open(owner)
        except ProcessLookupError:
            fd = None
        except (OSError, AttributeError):  # pragma: no cover - kernel < 5.3: poll
            import time

            while _alive(owner):
                time.sleep(0.5)
            fd = None
        if fd is not None:
            import select

            select.select([fd], [], [])  # readable when the process has ended
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="corpuslib-owner-watch", daemon=True).start()


def _init_worker(env: dict, initializer: Callable | None, initargs: tuple, owner: int | None = None) -> None:
    # First of all: die with the command. A forked worker's parent is the command, so the kernel's
    # parent-death signal does it. A forkserver's worker is the forkserver's child, and every such
    # worker keeps the forkserver alive (it holds the server's "alive" pipe), so it watches the
    # command itself; once the workers are gone, the forkserver and the resource tracker end too.
    die_with_parent()
    if owner is not None:
        if not _alive(owner):
            os._exit(1)  # the command was killed while this worker started
        if os.getppid() != owner:
            _watch_owner(owner)
    os.environ.update(env)
    if initializer is not None:
        initializer(*initargs)


def worker_pool(n_workers: int, *, initializer: Callable | None = None, initargs: tuple = ()):
    """Return a process pool of ``n_workers`` started from a forkserver that preloads corpuslib.

    Parameters
    ----------
    n_workers : int
        Number of worker processes.
    initializer : callable, optional
        Run once in every worker (e.g. to load the segmenters), with ``initargs``.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        Use it as a context manager so the workers are shut down; left by an exception, the
        tasks not yet started are dropped. The workers die with this process however it ends.
    """
    import multiprocessing

    ctx = multiprocessing.get_context(start_method())
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)  # no effect once the server runs: then it has them already
        _stop_helpers_at_exit()
    env = {k: os.environ[k] for k in _ENV if k in os.environ}
    return _pool_class()(max_workers=n_workers, mp_context=ctx, initializer=_init_worker,
                         initargs=(env, initializer, initargs, os.getpid()))


@functools.lru_cache(maxsize=1)
def _pool_class():  # made on first use: importing this module stays cheap
    from concurrent.futures import ProcessPoolExecutor

    class Pool(ProcessPoolExecutor):
        """A process pool that, left by an exception (an error, Ctrl-C), drops the tasks not started."""

        def __exit__(self, exc_type, exc, tb):
            self.shutdown(wait=True, cancel_futures=exc_type is not None)
            return False

    return Pool


_STOP_REGISTERED = False


def _stop_helpers_at_exit() -> None:
    global _STOP_REGISTERED
    if not _STOP_REGISTERED:
        import atexit

        atexit.register(stop_helpers)
        _STOP_REGISTERED = True


def _reap(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for child ``pid`` to end; True once it has been reaped."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True  # not ours any more, or already reaped
        if done:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)


def stop_helpers(timeout: float = 5.0) -> None:
    """Stop multiprocessing's forkserver and resource tracker, if this process started them.

    Both would end by themselves a moment after this process, but "no process outlives its
    command" means before it ends: this runs at exit once a forkserver pool was made (the pools'
    workers are gone by then). Harmless when neither runs; they restart if needed later.
    """
    from multiprocessing import forkserver, resource_tracker, util

    server = getattr(forkserver, "_forkserver", None)
    pid, fd = getattr(server, "_forkserver_pid", None), getattr(server, "_forkserver_alive_fd", None)
    if pid is not None and fd is not None:
        try:
            os.close(fd)  # closing the "alive" pipe asks the server to stop
        except OSError:
            pass
        server._forkserver_alive_fd = None
        if _reap(pid, timeout):
            server._forkserver_pid = None
            address = getattr(server, "_forkserver_address", None)
            if address and not util.is_abstract_socket_namespace(address):
                try:
                    os.unlink(address)
                except OSError:
                    pass
            server._forkserver_address = None
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    pid, fd = getattr(tracker, "_pid", None), getattr(tracker, "_fd", None)
    if pid is not None and fd is not None:
        try:
            os.close(fd)  # the tracker ends when every writer closed its pipe
        except OSError:
            pass
        tracker._fd = None
        if _reap(pid, timeout):
            tracker._pid = None


class LazyPool:
    """A :func:`worker_pool` started on the first ``submit``: a run whose work is all cached starts no workers.

    Use as a context manager (the workers, if started, are shut down on exit). ``max_pending``
    is what callers keep in flight (three tasks a worker). ``plan``, when given, is called at
    the first ``submit`` and returns the number of workers to start then (as
    :func:`plan_workers`, which measures the free CPUs: a cached rerun never pays for that);
    1 runs every task in this process.
    """

    def __init__(self, n_workers: int, *, initializer: Callable | None = None, initargs: tuple = (),
                 plan: Callable[[], int] | None = None):
        self.n_workers = n_workers
        self.initializer, self.initargs = initializer, initargs
        self.plan = plan
        self.max_pending = 3 * n_workers
        self.pool = None

    def submit(self, fn: Callable, *args, **kwargs):
        if self.pool is None:
            n = self.n_workers if self.plan is None else max(1, min(self.n_workers, int(self.plan())))
            if n == 1:
                self.pool = SerialExecutor()
            else:
                self.pool = worker_pool(n, initializer=self.initializer, initargs=self.initargs)
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None and not isinstance(self.pool, SerialExecutor):
            self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        self.pool = None

    def __enter__(self) -> "LazyPool":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown(cancel_futures=exc[0] is not None)


class _Done:
    """A finished future (what :class:`SerialExecutor` returns)."""

    __slots__ = ("_value", "_error")

    def __init__(self, value=None, error: BaseException | None = None):
        self._value, self._error = value, error

    def result(self, timeout=None):
        if self._error is not None:
            raise self._error
        return self._value


class SerialExecutor:
    """Run tasks in this process when they are submitted (the ``n_jobs=1`` path)."""

    def submit(self, fn: Callable, *args, **kwargs) -> _Done:
        try:
            return _Done(fn(*args, **kwargs))
        except Exception as exc:  # re-raised by result(), as a pool would
            return _Done(error=exc)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def map_ordered(fn: Callable, tasks: Iterable, *, executor, max_pending: int = 8) -> Iterator[Any]:
    """Yield ``fn(task)`` for every task, in task order, with at most ``max_pending`` tasks in flight.

    Tasks are submitted as the iterator is consumed, so a long input streams through in bounded
    memory. Works with any executor whose ``submit`` returns a future with ``result()``
    (process pools, :class:`SerialExecutor`, ``dask.distributed.Client``).
    """
    pending: collections.deque = collections.deque()
    for task in tasks:
        pending.append(executor.submit(fn, task))
        if len(pending) >= max_pending:
            yield _take(pending.popleft())
    while pending:
        yield _take(pending.popleft())


def _take(future):
    from concurrent.futures.process import BrokenProcessPool

    try:
        value = future.result()
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "a worker process died. If this is a script, put its code under `if __name__ == \"__main__\":` "
            "(workers start by importing the main module, as on macOS and Windows); otherwise pass "
            "n_jobs=1 to stay in one process."
        ) from exc
    release = getattr(future, "release", None)  # dask: drop the result from the cluster once read
    if release is not None:
        release()
    return value


def rss_tree(pid: int | None = None) -> int:
    """Return the resident memory (bytes) of a process and all its descendants (psutil; 0 if absent)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover
        return 0
    try:
        proc = psutil.Process(pid or os.getpid())
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total
