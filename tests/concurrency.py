"""Runs the same callable in several threads at once, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def run_in_threads(count: int, target: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Starts `count` threads behind a barrier so they hit the database together; returns results and errors.

    results[i] is thread i's return value (None when it raised); errors lists what was raised.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results, errors
