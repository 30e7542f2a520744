"""``--format markdown|latex``: a result's rows ready to paste into notes (a GitHub pipe table)
or a paper or slides (a LaTeX ``tabular``), under the formula they are about.

The rows are the result's own ``to_rows()``, what ``--csv`` writes, with the same keys as
``--json``: the columns a reader needs are kept (the codes for scripts are left out, as is a
column empty in every row), and a value every row shares (the point, the exact derivative)
is stated once above the table. Any result with ``to_rows()`` can be exported; a command adds
an entry to ``COLUMNS`` to say which of its columns are codes or are stated in the heading.
No rich here: like JSON and CSV, an export loads no terminal rendering.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from numdiff_cli.results import number

FORMATS = ("markdown", "latex")
CODES = frozenset({"status", "reason"})  # machine-readable codes: the note column says them in words
MISSING = "—"
PROSE_FROM = 30  # characters from which a LaTeX text column wraps as a paragraph
PROSE_WIDTH = "6cm"


@dataclass(frozen=True)
class Columns:
    """Which of a result's row keys to leave out (``hidden``), which to state once above the
    table where every row has the same value (``hoisted``), and which hold formulas (``code``)."""

    hidden: frozenset[str] = CODES
    hoisted: tuple[str, ...] = ()
    code: frozenset[str] = frozenset({"expression", "derivative", "at"})


COLUMNS: dict[str, Columns] = {  # by result type; others get Columns()
    "DiffResult": Columns(CODES | {"expression", "variable", "order"}, ("at", "analytic")),
    "SweepResult": Columns(),
    "GradResult": Columns(CODES | {"expression"}, ("at",)),
    "JacobianResult": Columns(CODES, ("at",)),
    "DescentResult": Columns(CODES, ("lr", "optimizer")),
    "DescentComparison": Columns(CODES, ("lr", "optimizer")),
    # a check's status (right, wrong) is the word its reader wants, so it stays
    "ClaimResult": Columns(frozenset({"expression"}), ("variable", "claim"), frozenset({"claim", "at"})),
    "CodeResult": Columns(frozenset({"case"}), ("file", "function", "kind"), frozenset({"f", "arguments"})),
}


@dataclass(frozen=True)
class Sheet:
    """What a pasted table shows: the values every row shares, then the columns that vary."""

    shared: dict[str, Any]
    header: list[str]
    rows: list[list[Any]]
    code: frozenset[str] = field(default_factory=frozenset)


def sheet(result: Any) -> Sheet:
    """The rows of ``result`` (its ``to_rows()``) as they are pasted: see the module's docstring."""
    rows = result.to_rows()
    spec = COLUMNS.get(type(result).__name__, Columns())
    keys = [key for key in (rows[0] if rows else {}) if key not in spec.hidden]
    keys = [key for key in keys if any(row[key] not in (None, "") for row in rows)]
    shared = {key: rows[0][key] for key in spec.hoisted if key in keys and all(row[key] == rows[0][key] for row in rows)}
    keys = [key for key in keys if key not in shared]
    return Sheet(shared, keys, [[row[key] for key in keys] for row in rows], spec.code)


def heading(result: Any) -> tuple[str, str]:
    """What the table is about, as words and a formula: ``("d/dx", "x**2 = 2*x")``."""
    kind = type(result).__name__
    if kind in ("DiffResult", "SweepResult"):
        operator = _operator(result.variable, result.order, result.partial)
        if kind == "SweepResult":
            return f"error against the step h of {operator}", result.expression
        return operator, f"{result.expression} = {result.derivative}"
    if kind == "GradResult":
        return "gradient of", result.expression
    if kind == "JacobianResult":
        return "Jacobian of", ", ".join(result.expressions)
    if kind == "ClaimResult":
        return f"check ({result.verdict.value.replace('_', ' ')}) of a claimed derivative of", result.expression
    if kind == "CodeResult":
        return f"check ({'right' if result.right else 'wrong'}) of the code in", result.file
    if kind == "RateSweep":
        return f"gradient {'ascent' if result.ascent else 'descent'} at {len(result.rows)} learning rates on", \
            result.expression
    runs = getattr(result, "runs", [result])
    if kind in ("DescentResult", "DescentComparison"):
        return f"gradient {'ascent' if runs[0].ascent else 'descent'} on", runs[0].expression
    return kind, str(getattr(result, "expression", ""))


def _operator(variable: str, order: int, partial: bool) -> str:
    d = "∂" if partial else "d"
    power = "" if order == 1 else f"^{order}"
    return f"{d}{power}/{d}{variable}{power}"


def markdown(result: Any) -> str:
    """A GitHub pipe table under its heading (and the values every row shares)."""
    s = sheet(result)
    words, formula = heading(result)
    lines = [f"**{_markdown_text(words)}** `{formula}`", ""]
    if s.shared:
        lines += [" · ".join(f"{key}: {_markdown_cell(key, value, s.code)}" for key, value in s.shared.items()), ""]
    lines.append("| " + " | ".join(_markdown_text(key) for key in s.header) + " |")
    lines.append("|" + "|".join(":---" if _textual(s, i) else "---:" for i in range(len(s.header))) + "|")
    lines += ["| " + " | ".join(_markdown_cell(key, v, s.code) for key, v in zip(s.header, row)) + " |" for row in s.rows]
    return "\n".join(lines) + "\n"


def _markdown_cell(key: str, value: Any, code: frozenset[str]) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, str) and key in code:
        return f"`{value.replace('|', '¦')}`"  # a code span cannot escape a pipe; expressions hold none
    return _markdown_text(_plain(value))


def _markdown_text(text: str) -> str:
    """Text in which Markdown reads no emphasis, link or cell border."""
    return "".join("\\" + char if char in "\\`*_[]<>|#" else char for char in text)


def _plain(value: Any) -> str:
    """A cell's value as text: a float as its shortest round-trip repr, anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    return number(value) if math.isfinite(value) else str(value)


def _textual(s: Sheet, column: int) -> bool:
    return any(isinstance(row[column], str) for row in s.rows)


def latex(result: Any, formulas: Sequence[str]) -> str:
    """A LaTeX ``tabular`` (no packages needed: plain ``\\hline`` rules) under the ``formulas`` in
    display math, the values every row shares in a line between."""
    s = sheet(result)
    packages = sorted({package for command, package in _PACKAGES.items() for f in formulas if command in f})
    needs = f"the formulas need \\usepackage{{{','.join(packages)}}}" if packages else "it needs no package"
    lines = [f"% numdiff: a plain tabular with \\hline rules; {needs}"]
    lines += [f"\\[ {formula} \\]" for formula in formulas]
    if s.shared:
        shared = "; ".join(f"{latex_text(key)}: {_latex_cell(key, value, s.code)}" for key, value in s.shared.items())
        lines.append(f"\\noindent {shared}\\par")
    lines.append("\\begin{tabular}{" + "".join(_latex_column(s, i) for i in range(len(s.header))) + "}")
    lines.append("\\hline")
    lines.append(" & ".join(latex_text(key) for key in s.header) + " \\\\")
    lines.append("\\hline")
    lines += [" & ".join(_latex_cell(key, v, s.code) for key, v in zip(s.header, row)) + " \\\\" for row in s.rows]
    lines += ["\\hline", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def _latex_column(s: Sheet, column: int) -> str:
    """``r`` for numbers, ``l`` for short text, a paragraph column that wraps for prose (a note)."""
    if not _textual(s, column):
        return "r"
    longest = max(len(str(row[column])) for row in s.rows)
    return f"p{{{PROSE_WIDTH}}}" if longest > PROSE_FROM else "l"


def _latex_cell(key: str, value: Any, code: frozenset[str]) -> str:
    if value is None or value == "":
        return "---"
    text = latex_text(_plain(value))
    return f"\\texttt{{{text}}}" if isinstance(value, str) and key in code else text


_PACKAGES = {  # commands sympy's printer may write, and the package that defines each
    "\\operatorname": "amsmath", "\\text{": "amsmath", "\\begin{cases}": "amsmath", "\\mathbb": "amssymb",
}
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "—": "---", "–": "--", "…": r"\ldots{}",
}
_LATEX_MATH = {  # symbols numdiff prints, in math mode, so that pdflatex needs no Unicode set-up
    "π": r"\pi", "≈": r"\approx", "′": "'", "·": r"\cdot", "−": "-", "‖": r"\|", "∇": r"\nabla", "λ": r"\lambda",
    "ε": r"\varepsilon", "μ": r"\mu", "α": r"\alpha", "β": r"\beta", "×": r"\times", "≤": r"\le", "≥": r"\ge",
    "→": r"\to", "←": r"\leftarrow", "∂": r"\partial", "√": r"\surd", "★": r"\star", "²": "^2", "³": "^3",
    "∝": r"\propto", "″": "''", "‴": "'''",
}


def latex_text(text: str) -> str:
    """``text`` for LaTeX's text mode: special characters escaped, numdiff's symbols as math, any
    other non-ASCII character as its ASCII stand-in (or ``?``)."""
    from numdiff_cli.output import ascii_symbol

    out = []
    for char in text:
        if char in _LATEX_SPECIAL:
            out.append(_LATEX_SPECIAL[char])
        elif char in _LATEX_MATH:
            out.append(f"${_LATEX_MATH[char]}$")
        elif ord(char) < 128:
            out.append(char)
        else:
            out.append(latex_text(ascii_symbol(char)) if ascii_symbol(char).isascii() else "?")
    return "".join(out)
