"""numdiff's prompt: piped (one command per line, in-process and as a real pipe), on a
pseudo-terminal (pexpect), and its completion candidates."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from numdiff_cli import repl
from numdiff_cli.cli import app
from numdiff_cli.repl_completion import Completer, candidates
from numdiff_cli.repl_session import Session

ROOT = Path(__file__).resolve().parent.parent
ENV = {"NO_COLOR": "1", "COLUMNS": "80"}
README = ROOT / "README.md"
TRANSCRIPT = re.compile(r"```text\n\$ numdiff\n(?P<block>.*?)```", re.S)


def piped(*lines: str, args: tuple[str, ...] = ("repl",)):
    """``numdiff ARGS`` with ``lines`` on its standard input (not a terminal), in-process."""
    return CliRunner().invoke(app, list(args), input="".join(line + "\n" for line in lines), env=ENV)


def json_of(text: str, number: int = 0) -> object:
    """The ``number``-th JSON object printed in ``text`` (tables and other lines around it)."""
    decoder, position = json.JSONDecoder(), -1
    for _ in range(number + 1):
        position = text.index("{\n", position + 1)
        document, end = decoder.raw_decode(text, position)
        position = end - 1
    return document


# --- names ---------------------------------------------------------------------------------------


def test_a_name_stands_for_its_expression_in_grad_descend_and_diff():
    result = piped("f = x0^2 + x1^2", "grad f --at 3,4")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("∇(x0**2 + x1**2) at x0 = 3.0, x1 = 4.0")  # piped, a definition is silent
    assert "∇f exact    (6.0, 8.0)" in result.stdout
    by_name = piped("f = x0^2 + x1^2", "descend f --from 1,1 --steps 3").stdout
    spelled = piped("descend x0^2 + x1^2 --from 1,1 --steps 3").stdout  # no quotes needed at the prompt
    assert by_name == spelled and "from (x0, x1) = (1.0, 1.0)" in spelled
    partial = piped("f = x0^2 + x1^2", "diff f --wrt x1 --at 3,4 --json")
    assert json_of(partial.stdout)["points"][0]["analytic"] == 8.0  # ∂(x0² + x1²)/∂x1 = 2·4


def test_a_name_is_substituted_as_a_bracketed_whole_not_as_text():
    # 2g^2 with g = x + 1 is 2(x + 1)², whose derivative 4(x + 1) is 8 at 1; pasted as text,
    # 2x + 1^2 would give 2.
    result = piped("g = x + 1", "diff 2g^2 --at 1 --json")
    assert json_of(result.stdout)["points"][0]["analytic"] == 8.0


def test_a_constant_is_differentiated_by_x_even_where_x_names_a_number():
    # after x = 3, diff 9 --at 1 said "'x' is not a variable name": a constant's default variable x
    # was parsed, and so read as the number 3
    result = piped("x = 3", "diff 9 --at 1 -m central --json")
    assert result.exit_code == 0, result.output
    data = json_of(result.stdout)
    assert data["variable"] == "x" and data["points"][0]["analytic"] == 0.0


def test_a_name_keeps_the_expression_it_was_given():
    result = piped("a = x^2", "b = a + 1", "a = x^3", "vars")
    assert result.stdout.endswith("a = x**3\nb = x**2 + 1\n")


def test_a_name_given_a_number_warns_that_its_variable_is_gone():
    result = piped("f = x0^2", "x = 3", "g = x^2 + z", "diff g --at 1 --json")
    assert result.stderr == "warning: x is now the number 3: an expression that uses x gets 3, so x is no longer a " \
                            "variable there (del x undoes it)\n"  # only for the number
    assert json_of(result.stdout)["derivative"] == "1"  # g = 9 + z


def test_vars_lists_the_names_and_del_forgets_one():
    result = piped("vars", "f = x^2", "g = sin(x)", "vars", "del f", "vars", "diff f --at 2 --json")
    assert result.exit_code == 0, result.output
    listings = result.stdout.split("no names yet: define one with  f = x0^2 + x1^2\n")[1]
    assert "f = x**2\ng = sin(x)\n" in listings
    assert listings.count("g = sin(x)\n") == 2  # in both listings
    assert json_of(result.stdout)["expression"] == "f"  # forgotten: f is a variable again


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("sin = x", "'sin' is a function; choose another name"),
        ("pi = 3", "'pi' is a constant; choose another name"),
        ("diff = x", "'diff' is a command; choose another name"),
        ("f(x) = x^2", "write the name alone: f = x^2 (its variables are the names in it)"),
        ("f = f + 1", "f is not defined yet, so it cannot stand in its own definition"),
        ("f =", "give f an expression: f = x0^2 + x1^2"),
        ("f = x +", "'x +' is not a valid expression"),
        ("f = x, y", "expected one expression but got 2 separated by commas"),
        ("_ = 3", "_ holds the last result's value; choose another name"),
        ("sinx = 3", "'sinx' reads as one variable: did you mean sin(x)?"),
        ("x+y = 3", "'x+y' cannot be a name: use letters, digits and _, starting with a letter"),
        ("2 = 3", "'2' cannot be a name: use letters, digits and _, starting with a letter"),
        ("del g", "g is not defined (vars lists the names)"),
    ],
)
def test_a_wrong_definition_is_one_sentence_and_usage_error(line, sentence):
    result = piped(line, "vars")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {sentence}") and "Traceback" not in result.output
    assert result.stdout == "no names yet: define one with  f = x0^2 + x1^2\n"  # nothing was defined


def test_a_name_written_as_a_call_says_it_is_no_function():
    result = piped("f = x^2", "diff f(3) --at 1", "f(3)")
    assert result.stderr.splitlines() == [
        "error: 'f' at position 1 is a name for an expression, not a function: write f alone, or f*(...) for a product",
        "error: f is a name, not a command: use it in one, such as  diff f --at 1",
    ]


# --- _ -------------------------------------------------------------------------------------------


def test_underscore_is_diffs_recommended_value_grads_gradient_and_descends_final_x():
    result = piped(
        "diff x^2 --at 3",  # recommended: 6 (exact for a quadratic)
        "diff x^2 --at _ --json",  # so at x = 6: 12
        "grad x0^2 + x1^2 --at 3,4",  # ∇ = (6, 8), exact
        "descend x0^2 + x1^2 --from _ --lr 0.5 --steps 1 --grad analytic --json",  # x - 0.5·2x = 0
        "vars",
    )
    assert result.exit_code == 0, result.output
    assert json_of(result.stdout)["points"][0]["at"] == {"x": 6.0}
    assert json_of(result.stdout, 1)["start"] == [6.0, 8.0]
    assert result.stdout.endswith("_ = 0.0,0.0   (descend's final x)\n")


def test_underscore_without_a_value_is_a_sentence():
    result = piped("diff x^2 --at _", "diff x^2 --at 1 --sweep", "grad x^2 --at _")
    assert result.stderr.splitlines() == [
        "error: _ has no value yet: it holds the value of the last diff, grad or descend",
        "error: _ has no value: the last result, a sweep, has no single value",
    ]


# --- errors, exit codes, help, the budget ---------------------------------------------------------


def test_an_error_then_a_good_command_and_the_session_code_is_the_last_failure():
    result = piped("diff x^2", "diff log(x) --at -1", "diff x^2 --at 3 --json")
    assert result.stderr.splitlines() == [
        "error: give the point with --at (the variables are x)",
        "error: log(x) is not real at x = -1",
    ]
    assert json_of(result.stdout)["points"][0]["analytic"] == 6.0
    assert result.exit_code == 1  # the last line that failed: the maths
    assert piped("diff log(x) --at -1", "diff x").exit_code == 2
    assert piped("diff x^2 --at 3", "# a comment", "", "numdiff diff x --at 1").exit_code == 0


def test_quit_ends_the_script_there():
    result = piped("f = x", "vars", "quit", "g = x", "vars")
    assert result.exit_code == 0 and result.stdout == "f = x\n"
    assert piped("exit now").stderr == "error: exit takes nothing after it, not 'now'\n"


def test_help_lists_the_commands_and_help_diff_is_diffs_own_help():
    general = piped("help").stdout
    assert re.search(r"^  diff +Differentiate EXPRESSION", general, re.M)
    assert re.search(r"^  descend +Gradient descent", general, re.M)
    assert "Each command may take 10 s" in general
    assert "Each command may take 3 s" in piped("help", args=("--timeout", "3", "repl")).stdout
    assert max(len(line) for line in general.splitlines()) < 80
    own = piped("help diff")
    assert own.stdout == CliRunner().invoke(app, ["diff", "--help"], env=ENV).stdout
    assert piped("help nosuch").stderr == "error: no command 'nosuch'; help lists them\n"


def test_the_budget_is_each_commands_and_a_line_may_set_its_own():
    result = piped(
        "--timeout 0.3 descend x^2 + y^2 --from 1,1 --steps 10000000",  # no quotes after global options either
        "descend --steps 10000000",
        "diff x^2 --at 3 --json",  # after more than the session's 1 s: each command has its own
        args=("--timeout", "1", "repl"),
    )
    first, second = result.stderr.splitlines()
    assert first.startswith("error: the command ran past its 0.3 s budget") and first.endswith("--timeout sets another")
    assert second.startswith("error: the command ran past its 1 s budget")
    assert json_of(result.stdout)["points"][0]["analytic"] == 6.0


@pytest.mark.parametrize("args", [("--lang", "ko", "repl"), ("repl", "--lang", "ko")])
def test_the_sessions_language_is_every_commands_and_a_line_may_choose_its_own(args):
    result = piped("diff x^2 --at 3 -m central", "diff x^2 + 1 --at 3 -m central --lang en", args=args)
    assert result.exit_code == 0, result.output
    korean, english = "x = 3.0에서:  정확한 f′ = 6.0", "at x = 3.0:  exact f′ = 6.0"
    assert korean in result.stdout and english in result.stdout
    assert result.stdout.index(korean) < result.stdout.index(english)


def test_in_korean_the_prompt_speaks_korean_within_80_columns():
    import wcwidth

    from numdiff_cli import i18n

    try:
        result = piped("help", "vars", "del q", args=("--lang", "ko", "repl"))
    finally:
        i18n.use("en")
    assert "이름:" in result.stdout and "명령마다 10초까지 걸릴 수 있습니다" in result.stdout
    assert "아직 이름이 없습니다: f = x0^2 + x1^2 처럼 정의하세요" in result.stdout
    assert result.stderr == "오류: q은(는) 정의되지 않았습니다 (vars가 이름들을 보여 줍니다)\n"
    assert max(wcwidth.wcswidth(line) for line in result.stdout.splitlines()) < 80
    i18n.use("ko")
    try:
        assert max(wcwidth.wcswidth(repl._banner(plain)) for plain in (True, False)) < 80
    finally:
        i18n.use("en")


def test_every_message_of_the_prompt_has_its_korean():
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "catalogs.py")
    catalogs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogs)
    ours = [m for m in catalogs.extract() if any(Path(where).stem.startswith("repl") for where, _ in m.locations)]
    assert len(ours) > 30
    korean = catalogs.read(ROOT / "numdiff_cli" / "locale" / "ko" / "LC_MESSAGES" / "numdiff.po")
    assert [m.id for m in ours if not korean.get(m.id) or not korean.get(m.id).string] == []


# --- through a real pipe, and plain numdiff ------------------------------------------------------


def test_plain_numdiff_reads_a_pipe_and_loads_no_prompt_library():
    probe = (
        "import sys; from numdiff_cli.cli import app; code = app([], prog_name='numdiff', standalone_mode=False); "
        "print('prompt_toolkit loaded:', 'prompt_toolkit' in sys.modules, 'code', code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], input="f = x^3\ndiff f --at 2 --json\ndiff f\n", capture_output=True,
        text=True, cwd=ROOT, env={**os.environ, **ENV},
    )
    assert json_of(done.stdout.partition("prompt_toolkit loaded:")[0])["points"][0]["analytic"] == 12.0
    assert done.stdout.endswith("prompt_toolkit loaded: False code 2\n")
    assert done.stderr == "error: give the point with --at (the variables are x)\n"


def test_help_and_the_command_line_load_no_prompt_library():
    probe = (
        "import sys; from numdiff_cli.cli import app; app(['--help'], prog_name='numdiff', standalone_mode=False); "
        "print('LOADED:', [m for m in ('prompt_toolkit', 'numdiff_cli.repl_session') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.endswith("LOADED: []\n")
    assert re.search(r"^  repl +An interactive prompt", done.stdout, re.M)  # the command is listed


# --- completion ----------------------------------------------------------------------------------


def offered(session: Session, line: str) -> list[str]:
    return [c.text for c in candidates(session, line)]


def test_completion_of_commands_options_and_their_values():
    session = Session()
    commands = [name for name in session.commands() if name != "repl"]  # refused at the prompt: it is one
    assert offered(session, "") == [*commands, "help", "vars", "del", "quit", "exit"]
    assert {"diff", "grad", "descend"} <= set(commands)
    assert offered(session, "gr") == ["grad"]
    assert offered(session, "d") == ["diff", "descend", "del"]
    assert offered(session, "--timeout 5 de") == ["descend", "del"]  # global options come first
    assert offered(session, "--timeout ") == []  # its value
    assert offered(session, "--lang k") == ["ko"]
    assert offered(session, "diff x --at 1 --lang k") == ["ko"]  # also after the command
    assert offered(session, "descend --opt") == ["--optimizer"]
    assert offered(session, "descend --optimizer sgd,ad") == ["sgd,adagrad", "sgd,adam"]
    assert offered(session, "diff x^2 --method c") == ["central", "complex-step"]
    assert offered(session, "diff x^2 --dtype ") == ["float64", "float32"]
    assert offered(session, "grad x --at 1 --he") == ["--hessian"]
    assert "--at" not in offered(session, "grad x --at 1 --")  # given once already
    assert "--at" in offered(session, "diff x --at 1 --")  # diff takes several points
    assert offered(session, "help gr") == ["grad"]
    for odd in ("#", '"', "diff 'x^2 + si", "--", "del", "  ", "diff x --at '"):  # nothing raises
        assert isinstance(offered(session, odd), list)
    assert offered(session, "diff 'x^2 + si") == ["sin(", "sinh(", "sign(", "sinc(", "sigmoid("]


def test_completion_of_functions_constants_names_and_underscore():
    session = Session()
    session.run("speed = x^2")
    assert offered(session, "diff 3 + si") == ["sin(", "sinh(", "sign(", "sinc(", "sigmoid("]
    assert offered(session, "grad sp") == ["speed"]
    assert offered(session, "diff p") == ["pi"]
    assert offered(session, "del ") == ["speed", "_"]
    assert offered(session, "diff x --at ") == []  # no value to offer yet
    session.run("diff x^2 --at 3")
    assert candidates(session, "diff x --at ")[0].meta == "diff's recommended value"
    completions = list(Completer(session).get_completions(_document("diff x*lo"), None))
    assert [(c.text, c.start_position) for c in completions] == [("log(", -2), ("log10(", -2), ("log2(", -2)]


def test_completion_of_file_options_offers_paths(monkeypatch, tmp_path):
    (tmp_path / "lesson").mkdir()
    (tmp_path / "lecture.py").write_text("")
    (tmp_path / ".hidden").write_text("")
    monkeypatch.chdir(tmp_path)
    session = Session()
    assert offered(session, "diff x --at 1 --plot ") == ["term", "lecture.py", "lesson/"]
    assert offered(session, "check --code le") == ["lecture.py", "lesson/"]
    assert offered(session, f"check --code {tmp_path}/lec") == ["lecture.py"]
    assert offered(session, "check --code .h") == [".hidden"]
    assert offered(session, "check --code nowhere/x") == []


def _document(text: str):
    from prompt_toolkit.document import Document

    return Document(text)


def test_shell_completion_offers_every_command():
    env = {**os.environ, "_NUMDIFF_COMPLETE": "complete_bash", "COMP_WORDS": "numdiff ", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "numdiff_cli"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.stdout.split() == list(Session().commands())


# --- history -------------------------------------------------------------------------------------


def test_history_lives_in_the_xdg_state_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert repl.history_path() == tmp_path / "numdiff" / "history"
    monkeypatch.setenv("XDG_STATE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path))
    assert repl.history_path() == tmp_path / ".local" / "state" / "numdiff" / "history"


# --- on a pseudo-terminal --------------------------------------------------------------------------

def spawn(tmp_path: Path, command: str, *args: str):
    """``command`` on a pseudo-terminal 80 columns wide, its history under ``tmp_path``."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(command, list(args), env=env, cwd=ROOT, dimensions=(50, 80), encoding="utf-8", timeout=30)


def test_on_a_terminal_plain_numdiff_is_the_prompt(tmp_path):
    prompt = spawn(tmp_path, sys.executable, "-m", "numdiff_cli")
    prompt.expect_exact("numdiff --help: usage")
    prompt.expect_exact("numdiff>")
    prompt.send("f = x0^2 + x1^2\r")
    prompt.expect_exact("f = x0**2 + x1**2")
    prompt.send("gr\t")  # Tab completes the command
    prompt.expect_exact("grad")
    prompt.send(" f --at 3,4\r")
    prompt.expect_exact("∇f exact    (6.0, 8.0)")
    prompt.send("diff junk")
    prompt.sendintr()  # Ctrl-C clears the line: nothing runs
    prompt.send("descend --steps 10000000\r")
    prompt.expect_exact("descending")  # the progress bar: the run is under way
    prompt.sendintr()
    prompt.expect_exact("interrupted")  # "error:" in bold
    prompt.expect_exact("numdiff>")
    prompt.send("diff x^2 --at 3\r")
    prompt.expect_exact("exact f′ = 6.0")
    prompt.expect_exact("numdiff>")
    prompt.sendeof()  # Ctrl-D
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus == 0
    assert "junk" not in prompt.before
    history = (tmp_path / "numdiff" / "history").read_text()
    typed = [line[1:] for line in history.splitlines() if line.startswith("+")]
    assert typed == ["f = x0^2 + x1^2", "grad f --at 3,4", "descend --steps 10000000", "diff x^2 --at 3"]


def test_on_a_terminal_with_the_output_redirected_plain_numdiff_shows_the_help(tmp_path):
    shell = spawn(tmp_path, "bash", "-c", f"{sys.executable} -m numdiff_cli | cat")
    shell.expect_exact("Usage: numdiff [OPTIONS] COMMAND [ARGS]...")
    shell.expect(pexpect.EOF)
    shell.close()
    assert shell.exitstatus == 0


# --- the README's transcript -----------------------------------------------------------------------


def transcript(commands: list[str]) -> str:
    """What a terminal 80 columns wide shows for ``commands`` typed at plain ``numdiff``'s prompt
    (without colour, lines stripped)."""
    shown = [repl._banner(plain=True)]
    session = Session(echo=True)
    with _environment(ENV):
        for command in commands:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                session.run(command)
            shown += [repl.PROMPT + command, *(err.getvalue() + out.getvalue()).splitlines()]
    return "".join(line.rstrip() + "\n" for line in shown)


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)


def _typed(block: str) -> list[str]:
    return [line.removeprefix(repl.PROMPT) for line in block.splitlines() if line.startswith(repl.PROMPT)]


def test_the_readme_transcript_is_what_the_prompt_shows():
    block = TRANSCRIPT.search(README.read_text())["block"]
    assert len(_typed(block)) >= 3
    assert block == transcript(_typed(block)), "README.md is stale: run python tests/test_repl.py"


if __name__ == "__main__":  # refresh the README's transcript
    text = README.read_text()
    README.write_text(TRANSCRIPT.sub(lambda m: f"```text\n$ numdiff\n{transcript(_typed(m['block']))}```", text))
