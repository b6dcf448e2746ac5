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
"""
from __future__ import annotations

import collections
import os
from typing import Any, Callable, Iterable, Iterator

__all__ = ["available_cpus", "resolve_jobs", "start_method", "worker_pool", "SerialExecutor", "map_ordered",
           "rss_tree"]

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


def _init_worker(env: dict, initializer: Callable | None, initargs: tuple) -> None:
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
        Use it as a context manager so the workers are shut down.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context(start_method())
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)  # no effect once the server runs: then it has them already
    env = {k: os.environ[k] for k in _ENV if k in os.environ}
    return ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(env, initializer, initargs))


class LazyPool:
    """A :func:`worker_pool` started on the first ``submit``: a run whose work is all cached starts no workers.

    Use as a context manager (the workers, if started, are shut down on exit). ``max_pending``
    is what callers keep in flight (three tasks a worker).
    """

    def __init__(self, n_workers: int, *, initializer: Callable | None = None, initargs: tuple = ()):
        self.n_workers = n_workers
        self.initializer, self.initargs = initializer, initargs
        self.max_pending = 3 * n_workers
        self.pool = None

    def submit(self, fn: Callable, *args, **kwargs):
        if self.pool is None:
            self.pool = worker_pool(self.n_workers, initializer=self.initializer, initargs=self.initargs)
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
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
