"""Run one callable from many threads at the same instant (real concurrency against the database).

Use in `@pytest.mark.django_db(transaction=True)` tests: each thread opens its own connection, so rows
must be committed before the threads start, and each thread closes its connection when done."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(task: Callable[[int], T], times: int, *, timeout: float = 60) -> list[T | BaseException]:
    """Call `task(i)` for i in range(times), all released together; results (or the raised
    exceptions) in completion order."""
    barrier = threading.Barrier(times)
    results: list[T | BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcome: T | BaseException = task(index)
        except BaseException as error:
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
