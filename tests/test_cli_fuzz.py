"""Random formulas from the whole vocabulary through the CLI: always an answer or a sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numdiff_cli.cli import app
from numdiff_cli.vocabulary import FUNCTIONS

ATOMS = ["x", "y", "0", "1", "2", "-1", "0.5", "1e-300", "1e300", "pi", "e", "x^2", "1/0", "(-1)^(1/2)"]


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


formulas = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.builds(_call, st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, min_size=1, max_size=2)),
        st.builds(lambda a, op, b: f"({a}){op}({b})", inner, st.sampled_from("+-*/^"), inner),
    ),
    max_leaves=8,
)
commands = st.one_of(
    st.builds(lambda f, at: ["diff", f, "--at", at, "--wrt", "x"], formulas, st.sampled_from(["1", "0", "-2", "x=1,y=2"])),
    st.builds(lambda f, at: ["grad", f, "--at", at], formulas, st.sampled_from(["1,2", "0,0", "x=1,y=-1"])),
)


@settings(max_examples=150, deadline=None)
@given(commands)
def test_any_formula_gets_a_result_or_one_sentence(command):
    result = CliRunner().invoke(app, command, env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
