"""`--format markdown|latex` and `--latex`: the pasted table holds the JSON's values, row for row,
and the LaTeX is well formed (compiled where a TeX engine is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from numdiff_cli import api
from numdiff_cli.export import latex_text

ROOT = Path(__file__).resolve().parent.parent


def _markdown_table(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the one pipe table in ``text``, cells unescaped; every row must have
    as many cells as the header, and the second line must be the alignment row."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header, rule, *rows = [[_unescape(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    assert all(re.fullmatch(r":?---:?", cell) for cell in rule) and len(rule) == len(header)
    assert all(len(row) == len(header) for row in rows), text
    return header, rows


def _unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell)


def _read(cell: str) -> object:
    """A cell as the JSON value it stands for: null for a dash, a number, or text (a code span's text)."""
    if cell == "—":
        return None
    if cell.startswith("`"):
        return cell.strip("`")
    try:
        return float(cell)
    except ValueError:
        return cell


def test_diff_markdown_holds_the_jsons_values_row_for_row(run):
    args = ("diff", "sin(x)e^x", "--at", "0.5", "--at", "2")
    data = json.loads(run(*args, "--json").stdout)
    out = run(*args, "--format", "markdown").stdout
    assert out.startswith(f"**d/dx** `{data['expression']} = {data['derivative']}`\n")
    header, rows = _markdown_table(out)
    assert header[:3] == ["at", "analytic", "method"] and "status" not in header  # codes are left out
    expected = [(point, row) for point in data["points"] for row in point["numeric"]]
    assert len(rows) == len(expected) == 12
    for cells, (point, numeric) in zip(rows, expected):
        values = dict(zip(header, map(_read, cells)))
        assert values["analytic"] == point["analytic"]
        for key in ("method", "h", "value", "abs_error", "rel_error", "error_estimate"):
            assert values[key] == numeric[key], key


def test_a_value_every_row_shares_is_stated_once_above_the_table(run):
    out = run("diff", "x^2", "--at", "3", "-m", "forward", "-m", "central", "--format", "markdown").stdout
    assert "at: `x=3.0` · analytic: 6.0" in out
    header, rows = _markdown_table(out)
    assert "at" not in header and "analytic" not in header and [row[0] for row in rows] == ["forward", "central"]


def test_grad_markdown_holds_each_partial(run):
    args = ("grad", "x_1^2 + y^2", "--at", "3,4")
    data = json.loads(run(*args, "--json").stdout)
    header, rows = _markdown_table(run(*args, "--format", "markdown").stdout)
    for cells, partial in zip(rows, data["partials"], strict=True):
        values = dict(zip(header, map(_read, cells)))
        assert values["variable"] == partial["variable"] and values["derivative"] == partial["derivative"]
        assert values["numeric"] == partial["numeric"] and values["abs_error"] == partial["abs_error"]


def test_a_learning_rate_sweep_exports_its_rows(run):
    args = ("descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "1e-3:1:3")
    data = json.loads(run(*args, "--json").stdout)
    out = run(*args, "--format", "markdown").stdout
    assert out.startswith("**gradient descent at 3 learning rates on** `x**2 + 3*y**2`")
    header, rows = _markdown_table(out)
    assert [dict(zip(header, map(_read, cells)))["lr"] for cells in rows] == [r["lr"] for r in data["rates"]]


def test_descend_markdown_holds_the_trace(run):
    args = ("descend", "--steps", "5", "--lr", "0.1,10")
    data = json.loads(run(*args, "--json").stdout)
    out = run(*args, "--format", "markdown").stdout
    assert "optimizer: sgd" in out  # the same in every row: stated once
    header, rows = _markdown_table(out)
    trace = [(run_["lr"], step) for run_ in data for step in run_["trace"]]
    assert len(rows) == len(trace)
    for cells, (lr, step) in zip(rows, trace):
        values = dict(zip(header, map(_read, cells)))
        assert values["lr"] == lr and values["step"] == step["step"] and values["f"] == step["f"]
        assert [values["x0"], values["x1"]] == step["x"]


def _latex_tables(text: str) -> list[tuple[int, list[str]]]:
    """Each tabular's column count and its rows (between \\begin and \\end, rules dropped)."""
    found = []
    pattern = r"\\begin\{tabular\}\{((?:[lrc]|p\{[0-9.]+cm\})+)\}\n(.*?)\\end\{tabular\}"
    for spec, body in re.findall(pattern, text, re.S):
        rows = [line for line in body.splitlines() if line != "\\hline"]
        found.append((len(re.findall(r"p\{[^}]*\}|[lrc]", spec)), rows))
    return found


def _check_latex(text: str) -> None:
    """Well formed: each row has the tabular's column count and ends in \\\\, braces balance, no
    special character is left bare in text, math delimiters pair up, every character is ASCII."""
    assert text.isascii(), [c for c in text if not c.isascii()]
    tables = _latex_tables(text)
    assert tables
    for columns, rows in tables:
        assert rows
        for row in rows:
            assert row.endswith(" \\\\"), row
            cells = re.split(r"(?<!\\)&", row[: -len(" \\\\")])
            assert len(cells) == columns, row
            for cell in cells:
                plain = re.sub(r"\\[a-zA-Z]+\{\}|\\[a-zA-Z]+|\\.", "", cell)  # commands and escapes removed
                math_free = re.sub(r"\$[^$]*\$", "", plain)
                assert not re.search(r"[#%&_^~]", math_free), cell
                assert plain.count("$") % 2 == 0, cell
    unescaped = re.sub(r"\\[{}]", "", text)
    depth = 0
    for char in unescaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def _compile(text: str, tmp_path: Path) -> None:
    engine = shutil.which("pdflatex") or shutil.which("lualatex")
    if engine is None:
        pytest.skip("no TeX engine installed (pdflatex or lualatex); the structure test covers the LaTeX")
    document = tmp_path / "table.tex"
    # the packages the first line asks for, as a user would add them
    packages = "".join(f"\\usepackage{{{p}}}\n" for p in re.findall(r"\\usepackage\{([^}]*)\}", text.splitlines()[0]))
    document.write_text("\\documentclass{article}\n" + packages + "\\begin{document}\n" + text + "\\end{document}\n")
    done = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", document.name], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]


LATEX_CASES = [
    ("diff", "x_1^2 + 0.1x_1", "--at", "5", "--h", "1e-50", "-m", "forward", "-m", "central"),
    ("grad", "x_1^2 + y^2, x_1*y", "--at", "3,4"),
    ("descend", "--steps", "3"),
    ("diff", "abs(x)", "--at", "0", "--at", "1"),
]


@pytest.mark.parametrize("args", LATEX_CASES, ids=[" ".join(case[:2]) for case in LATEX_CASES])
def test_latex_is_a_well_formed_tabular_under_the_formula(run, args):
    result = run(*args, "--format", "latex")
    first = result.stdout.splitlines()[0]
    assert first.startswith("% numdiff: a plain tabular") and ("amsmath" in first) == ("operatorname" in result.stdout)
    assert result.exit_code in (0, 1), result.output  # abs at 0 has no derivative: exit 1, table still printed
    _check_latex(result.stdout)
    assert result.stdout.count("\\[") == result.stdout.count("\\]") >= 1


@pytest.mark.parametrize("args", LATEX_CASES, ids=[" ".join(case[:2]) for case in LATEX_CASES])
def test_latex_compiles(run, args, tmp_path):
    _compile(run(*args, "--format", "latex").stdout, tmp_path)


def test_the_latex_check_catches_a_broken_table():
    good = "\\begin{tabular}{lr}\n\\hline\na & 1 \\\\\n\\hline\n\\end{tabular}\n"
    _check_latex(good)
    for broken in (good.replace("a & 1", "a & 1 & 2"), good.replace("a &", "a_b &"), good.replace("a &", "{a &"),
                   good.replace("a &", "π &")):
        with pytest.raises(AssertionError):
            _check_latex(broken)


def test_latex_text_escapes_specials_and_writes_symbols_as_math():
    assert latex_text("50% of a_b & c#d {x} ~ ^ \\") == (
        "50\\% of a\\_b \\& c\\#d \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
    )
    assert latex_text("x ≈ π · ‖∇f‖ — ok") == "x $\\approx$ $\\pi$ $\\cdot$ $\\|$$\\nabla$f$\\|$ --- ok"


def test_latex_alone_prints_the_derivative(run):
    result = run("diff", "x^2*y", "--at", "x=1,y=2", "--wrt", "y", "--latex")
    assert result.exit_code == 0 and result.stdout == "\\frac{\\partial}{\\partial y} x^{2} y = x^{2}\n"
    assert run("diff", "x^3", "--at", "1", "-n", "2", "--latex").stdout == "\\frac{d^{2}}{d x^{2}} x^{3} = 6 x\n"
    grad = run("grad", "x0^2 + x1^2", "--at", "3,4", "--latex").stdout.splitlines()
    assert grad == ["\\frac{\\partial}{\\partial x_{0}} \\left(x_{0}^{2} + x_{1}^{2}\\right) = 2 x_{0}",
                    "\\frac{\\partial}{\\partial x_{1}} \\left(x_{0}^{2} + x_{1}^{2}\\right) = 2 x_{1}"]
    # the formula needs no point: without --at it is the same
    assert run("grad", "x0^2 + x1^2", "--latex").stdout.splitlines() == grad
    assert run("diff", "x^3", "-n", "2", "--latex").stdout == "\\frac{d^{2}}{d x^{2}} x^{3} = 6 x\n"


def test_api_latex_writes_the_function_for_descend():
    assert api.latex("x0^2 + x1^2", formula="function") == ["f{\\left(x_{0},x_{1} \\right)} = x_{0}^{2} + x_{1}^{2}"]
    with pytest.raises(Exception, match="formula is one of derivative, gradient, function"):
        api.latex("x", formula="hessian")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "x^2", "--at", "3", "--format", "latex", "--json"], "choose one of --json and --format"),
        (["diff", "x^2", "--at", "3", "--csv", "--format", "markdown"], "choose one of --csv and --format"),
        (["diff", "x^2", "--at", "3", "--latex", "--json"], "choose one of --json and --latex"),
        (["grad", "x^2", "--at", "3", "--json", "--csv", "--format", "latex"], "choose one of --json, --csv and --format"),
        (["descend", "--format", "latex", "--csv"], "choose one of --csv and --format"),
        (["diff", "x^2", "--at", "3", "--latex", "--explain"], "--latex prints only the derivative"),
        (["diff", "x^2", "--at", "3", "--format", "markdown", "--explain"], "it takes no --sweep, --precision, --csv, --format or --plot"),
        (["diff", "x^2", "--at", "3", "--format", "html"], "Invalid value for '--format'"),
    ],
)
def test_format_is_exclusive_with_the_other_outputs(run, args, message):
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_an_export_loads_no_rich():
    code = ("import sys; from numdiff_cli.cli import app; "
            "app(['diff', 'x^2', '--at', '3', '--format', 'latex'], prog_name='numdiff', standalone_mode=False); "
            "print('LOADED:', 'rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.rpartition("LOADED:")[2].strip() == "False"
