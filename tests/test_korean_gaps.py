"""--lang ko leaves no English in the sentences a wrong input or a limit produces: click's own
usage errors, the time budget's "while …", an unknown command, the REPL's help."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from numdiff_cli import i18n
from numdiff_cli.cli import app

# What may stay in Latin letters: option names, what the user typed (quoted), the command's own
# path (numdiff diff), the names of commands and methods, and the expressions of the commands.
ALLOWED = re.compile(r"--?[\w-]+|'[^']*'|\([^)]*\)$|numdiff(?: \w+)?|EXPRESSION|\b(?:diff|grad|descend|tour|check|repl|"
                     r"help|vars|del|quit|exit|Tab|Ctrl-\w|x\d?|f|h|lr|sgd)\b|[−+*/^=_,.:;()\d\s]")
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(ALLOWED.sub(" ", text))


@pytest.fixture(autouse=True)
def language_kept():
    before = i18n.current()
    yield
    i18n.restore(before)


@pytest.mark.parametrize("args, korean", [
    (["grad", "x", "--at"], "옵션 '--at'에는 값이 필요합니다"),  # click: "Option '--at' requires an argument"
    (["diff", "x", "--at", "1", "--json=yes"], "옵션 '--json'은(는) 값을 받지 않습니다"),
    (["tour", "8"], "예상하지 못한 인자가 더 있습니다(8)"),  # click: "Got unexpected extra argument(s) (8)"
    (["foo"], "그런 명령이 없습니다: 'foo'"),  # click: "No such command 'foo'"
    (["diff", "x", "--at", "1", "--bogus"], "그런 옵션이 없습니다: --bogus"),
    (["diff", "--at", "1"], "빠졌습니다"),
])
def test_click_usage_errors_are_korean_with_lang_ko(args, korean):
    result = CliRunner().invoke(app, ["--lang", "ko", *args])
    assert result.exit_code == 2
    assert korean in result.stderr
    assert english_words(result.stderr) == [], result.stderr


def test_click_usage_errors_stay_english_without_lang():
    result = CliRunner().invoke(app, ["grad", "x", "--at"])
    assert result.exit_code == 2 and "Option '--at' requires an argument" in result.stderr


def _budget_sentence(language: str) -> str:
    """The sentence of a 0.05 s budget that runs out inside descent's own limit, in ``language``."""
    from numdiff_cli.errors import LimitError
    from numdiff_cli.timeout import UNLIMITED, time_limit

    i18n.use(language)
    task = i18n.Message("running {steps:,} steps of gradient descent", steps=5_000_000)
    with pytest.raises(LimitError) as caught, time_limit(0.05, "the command", budget=True), time_limit(UNLIMITED, task):
        while True:
            pass
    return caught.value.worded(lambda name: "--" + name)


def test_the_time_budget_while_running_descent_is_korean():
    korean = _budget_sentence("ko")
    assert korean.startswith("경사하강법 5,000,000단계를 실행하는 동안 명령이 주어진 0.05초를 넘겼습니다")
    assert english_words(korean) == [], korean


def test_the_time_budget_while_running_descent_names_the_work_in_english():
    english = _budget_sentence("en")
    assert english == ("the command ran past its 0.05 s budget while running 5,000,000 steps of gradient descent; "
                       "--timeout sets another")


def test_repl_help_lists_the_commands_in_korean():
    from numdiff_cli import repl_help
    from numdiff_cli.repl_session import Session

    i18n.use("ko")
    text = repl_help.help_text(Session())
    listing = text.split("\n\n")[1]
    assert "diff" in listing and "미분합니다" in listing
    assert english_words(listing) == [], listing
    assert max(map(__import__("rich.cells", fromlist=["cell_len"]).cell_len, text.splitlines())) <= repl_help.WIDTH


def test_every_commands_summary_is_in_the_catalog():
    import typer

    from numdiff_cli import repl_help

    commands = typer.main.get_command(app).commands
    summaries = {c.get_short_help_str(limit=200) for name, c in commands.items() if name != "repl"}
    assert summaries == set(repl_help.SUMMARIES)


def test_a_budget_that_runs_out_during_descend_is_all_korean():
    result = CliRunner().invoke(app, ["--lang", "ko", "--timeout", "1", "descend", "--steps", "5000000"])
    assert result.exit_code == 2 and "1초를 넘겼습니다" in result.stderr, result.output
    assert english_words(result.stderr) == [], result.stderr


def test_the_time_budget_while_evaluating_a_typed_expression_is_korean():
    """points.py and symbolic.py named their task with an f-string, never extracted: 'evaluating x**2'
    stood in English inside the Korean sentence."""
    from numdiff_cli.errors import LimitError
    from numdiff_cli.timeout import UNLIMITED, time_limit

    i18n.use("ko")
    try:
        task = i18n.Message("evaluating {what}", what="sin(x)")
        with pytest.raises(LimitError) as caught, time_limit(0.05, "the command", budget=True), time_limit(UNLIMITED, task):
            while True:
                pass
        sentence = caught.value.worded(lambda name: "--" + name)
    finally:
        i18n.use("en")
    assert sentence.startswith("sin(x)을(를) 계산하는 동안"), sentence
    assert "evaluating" not in sentence
