"""Time limits for work that the input decides: symbolic steps, building what was typed, and
the whole command's budget.

Limits nest: an enclosing limit keeps running, an inner one ends no later than it, and when
time runs out the sentence names the limit that ran out and what was being computed then.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from numdiff_cli.errors import LimitError
from numdiff_cli.i18n import Message


@dataclass(frozen=True)
class _Limit:
    task: str
    seconds: float
    deadline: float  # time.monotonic() when it runs out
    budget: bool  # the whole command's budget (the timeout parameter), not one step's limit


_active: list[_Limit] = []  # the limits in force, outermost first
UNLIMITED = 1e8  # seconds (three years): a limit this long or longer is none, only a name for the work


@contextmanager
def time_limit(seconds: float, task: str, *, budget: bool = False) -> Iterator[None]:
    """Raise :class:`LimitError` if the block runs longer than ``seconds``.

    sympy, mpmath and numdiff's loops are Python, so an interval-timer signal can interrupt
    them. Off the main thread, or where there is no SIGALRM, the block runs unbounded. With
    ``budget``, the limit is the whole command's and its sentence names the ``timeout``
    parameter that sets it.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    seconds = min(seconds, UNLIMITED)  # the interval timer holds no larger value (inf included)
    _active.append(_Limit(task, seconds, time.monotonic() + seconds, budget))
    previous = signal.signal(signal.SIGALRM, _expire)
    _arm()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _active.pop()
        signal.signal(signal.SIGALRM, previous)
        if _active:
            _arm()  # the enclosing limits' time goes on


def remaining() -> float:
    """Seconds until the earliest limit in force runs out; UNLIMITED where none is."""
    now = time.monotonic()
    return min((limit.deadline for limit in _active), default=now + UNLIMITED) - now


def _arm() -> None:
    """Set the timer for the earliest deadline in force."""
    left = min(limit.deadline for limit in _active) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


def _expire(signum: int, frame: object) -> None:
    ran_out = min(_active, key=lambda limit: limit.deadline)
    doing = _active[-1].task
    if ran_out.budget:
        if doing == ran_out.task:
            raise LimitError("the command ran past its {seconds:g} s budget; {timeout} sets another",
                             parameter="timeout", seconds=ran_out.seconds)
        raise LimitError("the command ran past its {seconds:g} s budget while {doing}; {timeout} sets another",
                         parameter="timeout", seconds=ran_out.seconds, doing=_task(doing))
    raise LimitError("{task} took longer than {seconds:g} s; the expression is too complex for that",
                     task=_task(ran_out.task), seconds=ran_out.seconds)


def _task(task: str) -> Message:
    """The work a limit names, as a message to translate (a :class:`Message` with values, or a
    plain sentence that is its own msgid)."""
    return task if isinstance(task, Message) else Message(task)
