"""``numdiff tour``: the lecture as a guided walk of eight stops.

Each stop says two or three sentences, shows results computed there and then through
:mod:`numdiff_cli.api` and drawn by the command line's own views, and ends with a command
the student can try (in the shell, or without ``numdiff`` at the REPL's prompt). Every number
in the sentences is read from that stop's results. On a terminal the tour waits between
stops (Enter: on; a stop's number: there; q: quit); piped, it prints every stop.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from numdiff_cli import api, lecture, output
from numdiff_cli.errors import UsageError
from numdiff_cli.i18n import N_, Message, _, translate
from numdiff_cli.render import error, vector
from numdiff_cli.results import number
from numdiff_cli.timeout import UNLIMITED, time_limit

X2 = "x**2"  # stops 1 to 4 differentiate x² at 3, where f′ = 6
F2 = lecture.FUNCTION  # x0² + x1², the lecture's function of two variables
POINT = "3,4"  # where the lecture takes its partial derivatives
SADDLE = "x0**2 - x1**2"  # its saddle point is at (0, 0)
RATES = (lecture.LEARNING_RATE, 10, 1e-10)  # the lecture's learning rates: right, too large, too small


@dataclass(frozen=True)
class Shown:
    """What one stop shows: a title, its sentences, its results (drawn as the command line
    draws them) and a command to try."""

    title: str
    sentences: tuple[Message, ...]
    results: tuple[Any, ...]
    question: str


def _analytic_vs_numerical() -> Shown:
    result = api.diff(X2, 3, methods="central")
    point = result.points[0]
    central = point.numeric[0]
    return Shown(
        N_("Analytic and numerical differentiation"),
        (
            Message("Analytic differentiation derives f′ by rules: for f(x) = x², f′(x) = 2x, so f′(3) = {exact} "
                    "exactly.", exact=number(point.analytic)),
            Message("Numerical differentiation approximates it from values of f a small step apart: the central "
                    "difference gives {value}, off by {error}.", value=number(central.value),
                    error=error(central.abs_error)),
            Message("A numerical derivative usually carries some error, as this one does; a few methods are exact "
                    "for some functions.") if central.abs_error else
            Message("This one happens to be exact, though a numerical derivative usually carries some error."),
        ),
        (result,),
        'numdiff diff "sin(x)" --at 1',
    )


def _definition() -> Shown:
    result = api.diff(X2, 3, methods="forward", h=0.1)
    row = result.points[0].numeric[0]
    return Shown(
        N_("The derivative as a limit"),
        (
            Message("The derivative is the slope of f at x: f′(x) = lim (f(x+h) − f(x)) / h as h → 0."),
            Message("With h = 0.1 the slope from x = 3 to 3.1 is {value}, off by {error}; the smaller h, the "
                    "closer the slope comes to f′(3), until rounding takes over (stop 3).", value=number(row.value), error=error(row.abs_error)),
        ),
        (result,),
        'numdiff diff "x**2" --at 3 --method forward --h 0.01',
    )


def _forward_difference() -> Shown:
    tiny = api.diff(X2, 3, methods="forward", h=1e-50)
    small = api.diff(X2, 3, methods="forward", h=lecture.STEP)
    row = small.points[0].numeric[0]
    return Shown(
        N_("The forward difference: h = 1e-50 fails, h = 1e-4 works"),
        (
            Message("With h = 1e-50 the forward difference gives {tiny}, not 6: in floating point 3 + 1e-50 == 3, "
                    "since a double holds only about 16 significant digits, so f(x+h) − f(x) is exactly 0.",
                    tiny=number(tiny.points[0].numeric[0].value)),
            Message("With h = 1e-4 it gives {value}, off by {error}. Too small a step drowns in rounding error, "
                    "too large a step in truncation error.", value=number(row.value), error=error(row.abs_error)),
        ),
        (tiny, small),
        'numdiff diff "x**2" --at 3 --sweep',
    )


def _central_difference() -> Shown:
    result = api.diff(X2, 3, methods=["forward", "central"])
    forward, central = result.points[0].numeric
    third = api.diff(X2, 3, order=3, methods="central").points[0].analytic  # f‴(3): central's truncation term
    return Shown(
        N_("The central difference"),
        (
            Message("The central difference (f(x+h) − f(x−h)) / 2h looks both ways. With the same h = 1e-4 it "
                    "gives {value}, off by {central}, where the forward difference is off by {forward}.",
                    value=number(central.value), central=error(central.abs_error), forward=error(forward.abs_error)),
            Message("Its truncation error, h²/6·f‴(x), shrinks like h², not like h; for x², f‴ = 0, so its "
                    "truncation error is 0 and what remains, {central}, is rounding.", central=error(central.abs_error))
            if third == 0 else
            Message("Its truncation error, h²/6·f‴(x), shrinks like h², not like h."),
        ),
        (result,),
        'numdiff diff "exp(x)" --at 1 -m forward -m central',
    )


def _partial_derivatives() -> Shown:
    by_x0 = api.diff(F2, POINT, wrt="x0", methods="central")
    by_x1 = api.diff(F2, POINT, wrt="x1", methods="central")
    return Shown(
        N_("Partial derivatives at (3, 4)"),
        (
            Message("For f(x0, x1) = x0² + x1², the partial derivative ∂f/∂x0 holds x1 = 4 still and "
                    "differentiates x0² + 4² at x0 = 3: the central difference gives {x0}.",
                    x0=number(by_x0.points[0].numeric[0].value)),
            Message("Likewise ∂f/∂x1 holds x0 = 3 still and differentiates 3² + x1² at x1 = 4: {x1}.",
                    x1=number(by_x1.points[0].numeric[0].value)),
        ),
        (by_x0, by_x1),
        'numdiff diff "x0^2 + x1^2" --at 3,4 --wrt x1',
    )


def _gradient() -> Shown:
    result = api.grad(F2, POINT)
    return Shown(
        N_("The gradient"),
        (
            Message("The gradient ∇f is the vector of all the partial derivatives: at (3, 4) the central "
                    "difference gives {gradient}; its length ‖∇f‖ is {norm}.",
                    gradient=vector(result.gradient_numeric), norm=number(result.norm)),
            Message("∇f points where f rises fastest, so −∇f/‖∇f‖ = {direction} is the direction of steepest "
                    "descent.", direction=vector(result.descent_direction)),
        ),
        (result,),
        'numdiff grad "x0^2 + x1^2" --at -3,4',
    )


def _descent_and_saddle() -> Shown:
    run = api.descend(every=20)  # a short trace: the ending is what this stop is about
    saddle = api.grad(SADDLE, "0,0", hessian=True)
    return Shown(
        N_("Gradient descent and ascent; the saddle point"),
        (
            Message("Gradient descent repeats x ← x − η∇f(x): from (−3, 4) with the learning rate η = 0.1, after "
                    "{steps} steps it is at {final}, next to the minimum (0, 0), where ∇f = 0. Gradient ascent, "
                    "x ← x + η∇f(x), climbs toward a maximum instead.", steps=run.steps, final=vector(run.final_x)),
            Message("The gradient is 0 at a saddle point too: for x0² − x1² at (0, 0) the Hessian's eigenvalues "
                    "are {eigenvalues}, so f curves up along one direction and down along the other.",
                    eigenvalues=vector(saddle.hessian.eigenvalues)),
        ),
        (run, saddle),
        'numdiff descend "-(x0^2 + x1^2)" --from -3,4 --ascent',
    )


def _learning_rate() -> Shown:
    comparison = api.descend(lr=list(RATES))
    good, large, small = comparison.runs
    return Shown(
        N_("The learning rate: too large, too small"),
        (
            Message("The learning rate η sets the size of each step. With η = 10 each step overshoots, and f "
                    "grows to {large}, until at step {frozen} x is so large that x + h == x: the numerical gradient is "
                    "exactly 0 from there on, and x froze.", large=number(large.final_f), frozen=large.frozen_at)
            if large.frozen_at is not None else
            Message("The learning rate η sets the size of each step. With η = 10 each step overshoots, and after "
                    "{steps} steps f is {large}.", steps=large.steps, large=number(large.final_f)),
            Message("With η = 1e-10 x barely moves: it ends at {small}.", small=vector(small.final_x)),
            Message("With η = 0.1, f ends at {good}, next to its minimum 0.", good=number(good.final_f)),
        ),
        (comparison,),
        "numdiff descend --lr 0.5,0.9,1,1.1",
    )


STOPS: tuple[Callable[[], Shown], ...] = (
    _analytic_vs_numerical, _definition, _forward_difference, _central_difference,
    _partial_derivatives, _gradient, _descent_and_saddle, _learning_rate,
)


def show(number_: int, console: Console) -> None:
    """Print stop ``number_`` (from 1): its title, sentences, results and question."""
    shown = STOPS[number_ - 1]()
    title = _("Stop {number} of {count}: {title}").format(number=number_, count=len(STOPS), title=_(shown.title))
    console.print(Rule(Text(title, style="bold"), align="left"))
    for sentence in shown.sentences:
        console.print(Text(translate(sentence)))
    for result in shown.results:
        console.print()
        output.emit(result, json_out=False, csv_out=False)
    console.print()
    console.print(Text.assemble((_("Try it:") + " ", "bold"), shown.question))
    console.print(Text(_("(at the numdiff repl prompt, leave out 'numdiff')"), style="dim"))
    console.print()


def run(start: int = 1, *, interactive: bool | None = None, timeout: float = 0) -> None:
    """The tour from stop ``start``: every stop when piped; on a terminal, waiting for the
    student between stops. Each stop may take ``timeout`` seconds (0: no limit); the pauses
    between them are the student's.

    Raises
    ------
    UsageError
        Where ``start`` is not a stop's number.
    """
    if not 1 <= start <= len(STOPS):
        raise UsageError("{stop} must be a stop's number, 1 to {count}", parameter="stop", count=len(STOPS))
    console = output.results_console()
    if interactive is None:
        interactive = sys.stdin.isatty() and console.is_terminal
    stop: int | None = start
    while stop is not None:
        with time_limit(timeout or UNLIMITED, "the stop", budget=bool(timeout)):
            show(stop, console)
        stop = _next(stop, console) if interactive else (stop + 1 if stop < len(STOPS) else None)


def _next(current: int, console: Console) -> int | None:
    """Ask where to go after stop ``current``: Enter the next one, a number that stop, q quits."""
    last = current == len(STOPS)
    prompt = _("Enter: the next stop · 1-{count}: go to a stop · q: quit") if not last else _(
        "The end of the tour. 1-{count}: go to a stop · Enter or q: quit")
    while True:
        try:
            answer = console.input(Text(prompt.format(count=len(STOPS)) + " ", style="dim")).strip().lower()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return None
        if answer in ("q", "quit", "exit") or (last and not answer):
            return None
        if not answer:
            return current + 1
        if answer.isdigit() and 1 <= int(answer) <= len(STOPS):
            return int(answer)
        console.print(Text(_("{answer!r} is no stop: type 1 to {count}, press Enter, or q").format(
            answer=answer, count=len(STOPS)), style="dim"))
