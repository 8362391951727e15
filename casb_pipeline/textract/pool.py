"""Many files in worker processes, each under a hard time cap.

A reader checks the clock between pages, sheets, slides and members and stops itself
at ``timeout_s``, keeping what it read. A reader stuck inside one library call is
another matter: :mod:`pebble` kills its worker process ``_KILL_GRACE_S`` after the
cap and starts a new one. A worker that dies, or any other failure, is recorded
against its file; the other files go on.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from casb_pipeline.textract.extract import extract_file, head_format
from casb_pipeline.textract.limits import ExtractLimits
from casb_pipeline.textract.result import QUARANTINED, Extraction
from casb_pipeline.textract.signals import describe_error

# Time a worker gets past the cap to stop by itself and hand back its partial text.
_KILL_GRACE_S = 1.0
# Jobs queued per worker: enough to keep workers busy, few enough to bound memory.
_QUEUED_PER_WORKER = 2


@dataclass(frozen=True)
class ExtractJob:
    """One file to extract; ``key`` is the caller's handle (e.g. the blob's file id)."""

    key: str
    path: Path
    filename: str | None = None
    declared_mime: str | None = None


def extract_many(
    jobs: Iterable[ExtractJob],
    *,
    limits: ExtractLimits = ExtractLimits(),  # noqa: B008 - frozen, shared safely
    workers: int = 2,
) -> Iterator[tuple[ExtractJob, Extraction]]:
    """``(job, extraction)`` for every job, in completion order.

    ``jobs`` is consumed lazily. A file that overruns the time cap, or whose worker
    dies, comes back quarantined with the reason; it never stops the others. Should
    the pool itself break (a worker killed while no file was being read), it is
    replaced and the files it dropped are tried once more.
    """
    if workers < 1:
        raise ValueError(f"workers={workers}: at least one worker is needed")
    queue = iter(jobs)
    pending: dict[Future[Extraction], ExtractJob] = {}
    retried: set[ExtractJob] = set()
    pool = _new_pool(workers)
    try:
        refill: Iterable[ExtractJob] = islice(queue, workers * _QUEUED_PER_WORKER)
        broken = False
        while True:
            if broken and not pool.active:
                pool.stop()
                pool.join()
                pool = _new_pool(workers)
            for job in refill:
                pending[_schedule(pool, job, limits)] = job
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            retry = []
            broken = False
            for future in done:
                job = pending.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
                    if job not in retried:
                        retried.add(job)
                        retry.append(job)
                        continue
                yield job, _outcome(future, job, limits)
            refill = chain(retry, islice(queue, len(done) - len(retry)))
    finally:
        pool.stop()
        pool.join()


def _new_pool(workers: int) -> ProcessPool:
    return ProcessPool(max_workers=workers, context=_start_context())


def _schedule(pool: ProcessPool, job: ExtractJob, limits: ExtractLimits) -> Future[Extraction]:
    try:
        return pool.schedule(
            extract_file,
            args=(job.path,),
            kwargs={"filename": job.filename, "declared_mime": job.declared_mime, "limits": limits},
            timeout=limits.timeout_s + _KILL_GRACE_S,
        )
    except RuntimeError as error:  # the pool broke since the last look
        refused: Future[Extraction] = Future()
        refused.set_exception(BrokenProcessPool(str(error)))
        return refused


def _outcome(future: Future[Extraction], job: ExtractJob, limits: ExtractLimits) -> Extraction:
    try:
        return future.result()
    except FutureTimeout:
        reason = f"time cap {limits.timeout_s:g} s exceeded (worker stopped inside a reader)"
    except ProcessExpired as error:
        reason = f"extraction worker died (exit code {error.exitcode})"
    except Exception as error:
        reason = f"extraction failed: {describe_error(error)}"
    return Extraction(QUARANTINED, head_format(job.path), reason, (), False, None)


def _start_context() -> multiprocessing.context.BaseContext:
    """Fork-server where there is one (safe beside threads, cheap restarts), else spawn."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)
