"""Bounded fan-out of blocking calls over a thread pool."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_concurrent(
    fn: Callable[[T], R], items: Iterable[T], *, max_workers: int
) -> Iterator[tuple[T, R | Exception]]:
    """``(item, fn(item))`` pairs in completion order, at most ``max_workers`` at a time.

    A call that raises yields ``(item, exception)`` instead, so no failure is
    lost and one bad item does not stop the others. Items are pulled lazily
    (a few ahead of the workers). Closing the iterator early cancels what has
    not started and waits for what has.
    """
    if max_workers < 1:
        raise ValueError("max_workers must be at least 1")
    source = iter(items)
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="compliance-api")
    pending: dict[Future[R], T] = {}

    def submit_next() -> None:
        for item in source:
            pending[pool.submit(fn, item)] = item
            return

    try:
        for _ in range(2 * max_workers):
            submit_next()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                item = pending.pop(future)
                submit_next()
                error = future.exception()
                yield item, (error if isinstance(error, Exception) else future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
