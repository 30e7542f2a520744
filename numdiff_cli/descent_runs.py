"""The runs a descent makes: each optimizer with its learning rate.

``--optimizer sgd,adam --lr 0.1,0.3`` compares every optimizer at every rate (four runs);
``--optimizer sgd:0.95,momentum:0.1,adagrad:1.5,adam:0.3`` pairs each optimizer with a rate of
its own (four runs), as a textbook figure compares optimizers each at the rate that suits it.
A name without a rate of its own takes the single ``--lr`` (default the lecture's 0.1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from numdiff_cli.errors import UsageError

Run = tuple[str, float]  # an optimizer's name and the learning rate it runs at
Choice = str | tuple[str, float]  # "adam", "adam:0.3" or ("adam", 0.3)


def plan(optimizers: Sequence[Choice], lrs: Sequence[float] | None, default: float) -> tuple[Run, ...]:
    """The (optimizer, learning rate) of each run, in the order given: every optimizer at every
    rate of ``lrs`` (``default`` where None), or, where an optimizer names its own rate, each
    optimizer once at its own rate or the single rate of ``lrs``.

    Raises
    ------
    UsageError
        Naming ``optimizer`` for a pairing that is not NAME:LR; naming ``lr`` where an optimizer
        has its own rate and ``lrs`` holds several rates, or one that no optimizer would use.

    Examples
    --------
    >>> plan(["sgd", "adam"], [0.1, 1.0], 0.1)
    (('sgd', 0.1), ('sgd', 1.0), ('adam', 0.1), ('adam', 1.0))
    >>> plan(["sgd:0.95", "adam"], None, 0.1)
    (('sgd', 0.95), ('adam', 0.1))
    """
    chosen = [_pair(choice) for choice in optimizers]
    if all(own is None for _, own in chosen):
        return _once((name, lr) for name, _ in chosen for lr in (lrs or [default]))
    if lrs is not None and len(lrs) > 1:
        raise UsageError(
            "{optimizer} gives {name} its own learning rate, so {lr} may give only one rate (to the optimizers "
            "without their own), not {count}", parameter="lr", name=next(name for name, own in chosen if own is not None),
            count=len(lrs),
        )
    if lrs is not None and all(own is not None for _, own in chosen):
        raise UsageError(
            "every optimizer in {optimizer} has its own learning rate, so {lr} {value:g} would apply to none",
            parameter="lr", value=lrs[0],
        )
    shared = lrs[0] if lrs else default
    return _once((name, shared if own is None else own) for name, own in chosen)


def _once(runs: Iterable[Run]) -> tuple[Run, ...]:
    """``runs`` in their order, each the first time only: a run given twice would print the same rows twice."""
    return tuple(dict.fromkeys(runs))


def pairs(optimizers: Sequence[Choice]) -> bool:
    """True where an optimizer names its own learning rate."""
    return any(_pair(choice)[1] is not None for choice in optimizers)


def _pair(choice: Choice) -> tuple[str, float | None]:
    """An optimizer's name and its own learning rate (None where it has none)."""
    if isinstance(choice, tuple):
        name, lr = choice
        return name, lr
    name, colon, rate = choice.partition(":")
    if not colon:
        return choice.strip(), None
    try:
        lr = float(rate)
    except ValueError:
        lr = math.nan
    if not name.strip() or not (math.isfinite(lr) and lr > 0):
        raise UsageError(
            "{optimizer} pairs an optimizer with its learning rate as NAME:LR (adam:0.3, LR a positive number), "
            "not {text!r}", parameter="optimizer", text=choice,
        )
    return name.strip(), lr
