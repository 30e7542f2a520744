"""A time limit for work that the input decides: symbolic steps and building what was typed."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from numdiff_cli.errors import LimitError


@contextmanager
def time_limit(seconds: float, task: str) -> Iterator[None]:
    """Raise :class:`LimitError` if the block runs longer than ``seconds``.

    sympy and mpmath are pure Python, so an interval-timer signal can interrupt them. An
    enclosing limit keeps running: the inner one ends no later than it. Off the main
    thread, or where there is no SIGALRM, the block runs unbounded.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise LimitError(f"{task} took longer than {seconds:g} s; the expression is too complex for that")

    start = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # give the enclosing limit what is left of its time
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 1e-3))
