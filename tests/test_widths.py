"""Tables read at 60, 80 and 120 columns: every line fits, and no number is cut or split.

Each README example, and an example of every other view, runs piped with COLUMNS set. Every
number in the table must be one the JSON holds, to the digits shown (a number cut by an
ellipsis or split across lines leaves a piece that is not), and the numbers the table is for
must all be there.
"""

from __future__ import annotations

import json
import math
import re
import shlex

import pytest
from rich.cells import cell_len
from test_readme import examples
from typer.testing import CliRunner

from numdiff_cli.cli import app

WIDTHS = (60, 80, 120)
OTHER_VIEWS = [
    'diff "x^2*y" --at x=2,y=3 --wrt y --order 2',  # a partial derivative; a row's note in the value column
    'diff "0.01x^2 + 0.1x" --at 5 --at 10 -m central -m forward --h 1e-50',
    'grad "sin(x)*y^3 + exp(x*z)" --at 1,2,3 --hessian',  # a derivative that wraps, a 3x3 Hessian
    'grad "x*y, x + y, sin(x)*z" --at 1,2,3',  # the Jacobian
    'diff "sin(x)" --at 1 --explain -m five-point -m richardson -m complex-step',  # the arithmetic, each kind
    'diff "log(x)" --at 2 -n 4 --explain -m complex-step',  # the complex step's circles, its row note
    "descend --lr 0.1",  # the trace
    'descend "x^2 + 3y^2" --from 1,1 --lr 0.1,0.4 --optimizer sgd,momentum',  # several optimizers
    'descend "x^2 + 3y^2" --from 1,1 --lr-sweep 1e-3:1',  # a learning-rate sweep, the marks between its rows
    'diff "x*exp(-x^2)/(1+x^2)" --at 1 --derivation',  # the tree above the table
    'grad "x0^2*x1 + sigmoid(x0*x1)" --at 1,2 --derivation --depth 2',  # a folded tree per partial
    'check "x^2 + 3y^2" --claim "[2x, 6x]"',  # a gradient claimed: a row per partial
    "check --code tests/data/check/lecture.py",  # three functions, their caveats
]
# --format and --latex print text to paste, not a table for the terminal: no width applies
COMMANDS = [args for args, _ in examples() if "--format" not in args and "--latex" not in args] + OTHER_VIEWS
# a number: not part of a name (x0) and not a superscript; a sign only where it cannot be a minus between terms
NUMBER = re.compile(r"(?<![\w.′])-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?(?![\w.])")
SAYING_SO = ("significant digits", "more step")  # lines about the table's digits or a folded tree, not the result


def run(args: str, width: int) -> str:
    result = CliRunner().invoke(app, shlex.split(args), env={"NO_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def leaves(data, numbers: list[float], texts: list[str]) -> None:
    """Every number and every string in a JSON document."""
    if isinstance(data, dict):
        for value in data.values():
            leaves(value, numbers, texts)
    elif isinstance(data, list):
        for value in data:
            leaves(value, numbers, texts)
    elif isinstance(data, bool) or data is None:
        return
    elif isinstance(data, int | float):
        numbers.append(float(data))
    elif isinstance(data, str):
        texts.append(data)


def derived(data) -> list[float]:
    """Numbers a table derives from the JSON: correct digits, the largest gradient difference."""
    runs = data if isinstance(data, list) else [data]
    found: list[float] = []
    for item in runs:
        for point in item.get("points", []):
            for row in point.get("numeric", []):
                if row["abs_error"] == 0:
                    found.append(16.0)
                elif row["rel_error"]:
                    found.append(float(int(max(0.0, min(16.0, -math.log10(row["rel_error"]))))))
        for row in item.get("trace", []):
            pairs = zip(row["grad_analytic"], row["grad_numeric"])
            found.append(max((abs(a - b) for a, b in pairs), default=0.0))
    return found


def significant(token: str) -> int:
    mantissa = token.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return max(1, len(mantissa))


def agrees(value: float, token: str) -> bool:
    """Whether ``token`` is ``value`` rounded to the significant digits it shows."""
    return float(f"{value:.{significant(token) - 1}e}") == float(token)


def headline(args: str, data) -> list[float]:
    """The numbers the table is for: the ones that must appear."""
    runs = data if isinstance(data, list) else [data]
    values: list[float] = []
    for item in runs:
        for point in item.get("points", []):
            values += [row["value"] for row in point.get("numeric", []) if row["value"] is not None]
            values += [m["value"] for m in point.get("methods", []) if m.get("value") is not None]  # --explain
            values += [v for key in ("claim", "exact") for v in point.get(key, [])]  # check --claim
        if "partials" in item:
            values += [p[key] for p in item["partials"] for key in ("analytic", "numeric")]
        if "jacobian" in item:
            values += [v for key in ("analytic", "numeric") for row in item["jacobian"][key] for v in row]
        if "final" in item:
            values += [*item["final"]["x"], item["final"]["f"]]
    return [v for v in values if v is not None]


def check(args: str, width: int) -> None:
    text = run(args, width)
    data = json.loads(run(args + " --json", width))
    numbers: list[float] = []
    texts: list[str] = []
    leaves(data, numbers, texts)
    numbers += derived(data)
    words = {token for string in texts + [args] for token in NUMBER.findall(string)}

    too_long = [line for line in text.splitlines() if cell_len(line.rstrip()) > width]
    assert not too_long, f"{len(too_long)} lines wider than {width} columns:\n" + "\n".join(too_long)
    assert not re.search(r"[-+\d.e]…|…[-\d.]", text), f"a number cut short at {width} columns:\n{text}"
    shown = [t for line in text.splitlines() if not any(s in line for s in SAYING_SO) for t in NUMBER.findall(line)]
    strangers = [t for t in shown if t not in words and not any(agrees(v, t) for v in numbers)]
    assert not strangers, f"numbers the JSON does not hold, cut or split at {width} columns: {strangers}\n{text}"
    def whole(value: float) -> bool:  # shown with all its digits, or at least 6 of them
        return any(agrees(value, t) and significant(t) >= min(6, significant(repr(value))) for t in shown)

    missing = [v for v in headline(args, data) if not whole(v)]
    assert not missing, f"numbers the table is for, not shown whole at {width} columns: {missing}\n{text}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS)
def test_every_line_fits_and_no_number_is_cut(args, width):
    check(args, width)


def test_the_check_finds_a_cut_and_a_split_number():
    """The check itself: an ellipsis in a number, a number split over two lines, a line too long."""
    numbers = [6.7240348301466037e26, -25898374737328.363]
    assert not any(agrees(v, "6.724034830") for v in numbers)  # the exponent lost
    assert not any(agrees(v, "7328.363") for v in numbers)  # the tail of a split number
    assert any(agrees(v, "-2.58984e+13") for v in numbers) and any(agrees(v, "6.7240348301466037e+26") for v in numbers)
    assert re.search(r"[-+\d.e]…|…[-\d.]", "│ 6.724034830… │")
    assert NUMBER.findall("x0 = 3.0, ∂f/∂x1 = -1.5e-3; f′ = 2*x") == ["3.0", "-1.5e-3", "2"]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_sweep_row_stays_on_one_line(width):
    rows = [line for line in run('diff "sin(x)" --at 1 --sweep', width).splitlines() if re.match(r"\W*1e-\d\d ", line)]
    assert len(rows) == 17 and all(len(NUMBER.findall(row)) == 4 for row in rows), rows  # h and three errors


def test_piped_output_follows_columns_and_is_120_wide_without():
    sweep = ["diff", "sin(x)", "--at", "1", "--sweep"]
    lines = CliRunner().invoke(app, sweep, env={"NO_COLOR": "1", "COLUMNS": "70"}).stdout.splitlines()
    assert max(map(cell_len, lines)) <= 70
    lines = CliRunner().invoke(app, sweep, env={"NO_COLOR": "1", "COLUMNS": None}).stdout.splitlines()
    assert max(map(cell_len, lines)) >= 120  # the sweep's widest layout, and its prose to 120 columns
