"""numdiff tour: every stop is shown, and every number its sentences quote is the library's own.

The numbers are checked against the test's own calls of the library (not the tour's), in
English and in Korean; a number in a sentence that is neither one of those values nor written
in the sentence's template fails the test.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import numdiff_cli as nd
from numdiff_cli import i18n, tour
from numdiff_cli.cli import app
from numdiff_cli.render import error, vector
from numdiff_cli.results import number

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![A-Za-z0-9_]|\.\d)")


def _first(result):
    return result.points[0].numeric


def _quoted() -> dict[int, list[str]]:
    """Stop -> the numbers it must quote, from this test's own library calls."""
    central = nd.diff("x**2", at=3, methods="central").points[0]
    secant = _first(nd.diff("x**2", at=3, methods="forward", h=0.1))[0]
    tiny = _first(nd.diff("x**2", at=3, methods="forward", h=1e-50))[0]
    small = _first(nd.diff("x**2", at=3, methods="forward", h=1e-4))[0]
    forward, both = _first(nd.diff("x**2", at=3, methods=["forward", "central"]))
    by_x0 = _first(nd.diff("x0^2 + x1^2", at=(3, 4), wrt="x0", methods="central"))[0]
    by_x1 = _first(nd.diff("x0^2 + x1^2", at=(3, 4), wrt="x1", methods="central"))[0]
    gradient = nd.grad("x0^2 + x1^2", at=(3, 4))
    descent = nd.descend()
    saddle = nd.grad("x0^2 - x1^2", at=(0, 0), hessian=True)
    good, large, slow = nd.descend(lr=[0.1, 10, 1e-10]).runs
    return {
        1: [number(central.analytic), number(central.numeric[0].value), error(central.numeric[0].abs_error)],
        2: [number(secant.value), error(secant.abs_error)],
        3: [number(tiny.value), number(small.value), error(small.abs_error)],
        4: [number(both.value), error(both.abs_error), error(forward.abs_error)],
        5: [number(by_x0.value), number(by_x1.value)],
        6: [vector(gradient.gradient_numeric), number(gradient.norm), vector(gradient.descent_direction)],
        7: [str(descent.steps), vector(descent.final_x), vector(saddle.hessian.eigenvalues)],
        8: [number(large.final_f), str(large.frozen_at), vector(slow.final_x), number(good.final_f)],
    }


@pytest.fixture(scope="module")
def quoted():
    return _quoted()


@pytest.fixture(autouse=True)
def language_kept():
    """A test that chooses a language in this process leaves the one before it (English, by the locale)."""
    before = i18n.current()
    yield
    i18n.restore(before)


def run_tour(*args: str) -> str:
    result = CliRunner().invoke(app, ["tour", *args], env={"NO_COLOR": "1", "COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result.stdout


def _prose(out: str, stop: int) -> str:
    """The sentences of ``stop``: the lines under its heading, up to the first blank line."""
    shown = tour.STOPS[stop - 1]()
    heading = i18n._("Stop {number} of {count}: {title}").format(number=stop, count=len(tour.STOPS),
                                                                 title=i18n._(shown.title))
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    end = lines.index("", start)
    return " ".join(lines[start + 1 : end])


def _written(stop: int) -> set[str]:
    """The numbers a stop's sentence templates spell out themselves (3, 1e-50, 0.1), as shown."""
    templates = " ".join(i18n._(sentence.template) for sentence in tour.STOPS[stop - 1]().sentences)
    return set(NUMBER.findall(re.sub(r"\{\w+\}", " ", templates)))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_stop_quotes_the_librarys_numbers(language, quoted):
    out = run_tour("--lang", language) if language != "en" else run_tour()
    i18n.use(language)
    for stop, values in quoted.items():
        prose = _prose(out, stop)
        for value in values:  # each as a whole, not inside a longer number (6.0 in 6.000000000012662)
            whole = re.compile(rf"(?<![\w.]){re.escape(value)}(?![A-Za-z0-9_]|\.\d)")
            assert whole.search(prose), (stop, value, prose)
            prose = whole.sub(" ", prose)
        assert set(NUMBER.findall(prose)) <= _written(stop), (stop, prose)


def test_each_stop_shows_its_results_as_the_command_line_does_and_a_command_to_try():
    out = run_tour("--stop", "5")
    assert "Stop 4 of 8" not in out and "Stop 5 of 8" in out and "Stop 8 of 8" in out
    cli = CliRunner().invoke(app, ["diff", "x0^2 + x1^2", "--at", "3,4", "--wrt", "x1", "-m", "central"],
                             env={"NO_COLOR": "1", "COLUMNS": "400"})
    assert cli.stdout in out  # the same table, drawn by the same code
    assert 'Try it: numdiff diff "x0^2 + x1^2" --at 3,4 --wrt x1' in out


def test_every_question_is_a_command_that_runs():
    import shlex

    for stop in tour.STOPS:
        args = shlex.split(stop().question)
        assert args[0] == "numdiff"
        result = CliRunner().invoke(app, args[1:], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, (args, result.output)


def test_a_stop_out_of_range_is_a_usage_error():
    result = CliRunner().invoke(app, ["tour", "--stop", "9"])
    assert result.exit_code == 2 and "--stop must be a stop's number, 1 to 8" in result.stderr


def test_on_a_terminal_it_waits_enter_goes_on_a_number_jumps_q_quits(monkeypatch, capsys):
    from rich.console import Console

    answers = iter(["", "7", "9", "q"])
    shown = []
    monkeypatch.setattr(tour, "show", lambda stop, console: shown.append(stop))
    monkeypatch.setattr(Console, "input", lambda self, prompt="": next(answers))
    tour.run(1, interactive=True)
    assert shown == [1, 2, 7]
    assert "'9' is no stop: type 1 to 8, press Enter, or q" in capsys.readouterr().out  # and it asks again


def test_end_of_input_on_a_terminal_ends_the_tour(monkeypatch):
    from rich.console import Console

    def closed(self, prompt=""):
        raise EOFError

    shown = []
    monkeypatch.setattr(tour, "show", lambda stop, console: shown.append(stop))
    monkeypatch.setattr(Console, "input", closed)
    tour.run(3, interactive=True)
    assert shown == [3]


def test_the_timeout_bounds_each_stop_and_never_the_students_pause(monkeypatch):
    import functools

    from rich.console import Console

    from numdiff_cli import timeout

    seen = {}

    def show(stop, console):
        seen["showing"] = [(limit.task, limit.seconds, limit.budget) for limit in timeout._active]

    def pause(self, prompt=""):
        seen["waiting"] = list(timeout._active)
        return "q"

    monkeypatch.setattr(tour, "show", show)
    monkeypatch.setattr(Console, "input", pause)
    monkeypatch.setattr(tour, "run", functools.partial(tour.run, interactive=True))
    result = CliRunner().invoke(app, ["--timeout", "7", "tour"])
    assert result.exit_code == 0, result.output
    assert seen == {"showing": [("the stop", 7.0, True)], "waiting": []}


def _sentences(stop: int) -> list[str]:
    return [i18n.translate(sentence) for sentence in tour.STOPS[stop - 1]().sentences]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_stop_1_says_a_numerical_derivative_has_an_error_only_where_its_own_has_one(language):
    i18n.use(language)
    central = _first(nd.diff("x**2", at=3, methods="central"))[0]
    claimed = i18n.translate(i18n.Message("A numerical derivative usually carries some error, as this one does; a "
                                          "few methods are exact for some functions."))
    assert central.abs_error > 0 and claimed in _sentences(1)
    assert "A numerical derivative always carries some error." not in " ".join(_sentences(1))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_stop_4_credits_centrals_error_to_rounding_where_x_squared_has_no_truncation(language, monkeypatch):
    i18n.use(language)
    assert nd.diff("x**2", at=3, order=3).points[0].analytic == 0  # f‴ = 0: h²/6·f‴ is 0
    central = _first(nd.diff("x**2", at=3, methods="central"))[0]
    rounding = i18n.translate(i18n.Message(
        "Its truncation error, h²/6·f‴(x), shrinks like h², not like h; for x², f‴ = 0, so its truncation error is 0 "
        "and what remains, {central}, is rounding.", central=error(central.abs_error)))
    assert rounding in _sentences(4)
    monkeypatch.setattr(tour, "X2", "x**3")  # f‴ = 6: the truncation error is there, and no sentence says it is 0
    assert nd.diff("x**3", at=3, order=3).points[0].analytic == 6
    assert i18n.translate(i18n.Message("Its truncation error, h²/6·f‴(x), shrinks like h², not like h.")) in _sentences(4)
    assert not any("f‴ = 0" in sentence for sentence in _sentences(4))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_stop_8_says_x_froze_at_the_step_its_run_stood_still_not_that_every_step_overshoots(language):
    i18n.use(language)
    run = nd.descend(lr=10, every=1)
    xs, fs = [row.x for row in run.trace], [row.f for row in run.trace]
    frozen = next(k for k in range(1, len(xs)) if all(x == xs[k] for x in xs[k:]))  # x stood still from here
    assert all(fs[k] > fs[k - 1] for k in range(1, frozen + 1))  # up to it each step overshot: f grew
    sentence = _sentences(8)[0]
    assert f" {frozen}" in sentence and number(run.final_f) in sentence
    assert "every step overshoots" not in sentence
