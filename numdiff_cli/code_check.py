"""The core of ``numdiff check --code FILE.py[:FUNCTION]``: run a student's own differentiation or
descent code on a battery of functions and points, and name its bugs.

The student's file is never run in numdiff's process: :mod:`numdiff_cli.code_runner` imports it
in a separate Python (``sys.executable``, the file's folder first on the path, as ``python FILE``
has it), in its own session so that everything it starts can be stopped, with a time limit.
The two talk JSON. The exact answers are numdiff's (sympy), and
:mod:`numdiff_cli.code_diagnosis` reads the pattern of the errors.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import mpmath
import sympy as sp

from numdiff_cli import code_diagnosis, parsing, points, symbolic
from numdiff_cli.code_diagnosis import Call, Outcome
from numdiff_cli.errors import CodeError, UsageError
from numdiff_cli.i18n import Message
from numdiff_cli.results.check import CodeResult
from numdiff_cli.timeout import UNLIMITED, remaining

# The runner starts with the working directory off the path: `python FILE` puts FILE's folder there,
# not the directory it is run from (whose numpy.py, say, would otherwise shadow numpy).
_RUNNER = "import sys; del sys.path[0]; from numdiff_cli import code_runner; code_runner.main()"
MARGIN = 0.5  # seconds of the command's budget kept for judging and printing after the student's code
LONGEST_WAIT = (2**31 - 1) // 1000  # seconds: poll(2) waits at most 2³¹ − 1 ms; a longer limit is none

_QUADRATIC = "x0**2 + x0*x1 + 3*x1**2"  # not separable: a partial taken at a shifted point shows
BATTERY: dict[str, tuple[Call, ...]] = {
    "numerical_diff": (
        Call("0.01*x**2 + 0.1*x", 5.0, "quadratic"),  # the lecture's: 0.1999999999990898
        Call("0.01*x**2 + 0.1*x", 10.0, "quadratic"),
        Call("x**2", 3.0, "quadratic"),
        Call("x**3", 2.0, "cubic"),
        Call("x**3", 1.0, "cubic"),
        Call("3*x + 1", 2.0, "linear"),
        Call("sin(x)", 1.0),
        Call("exp(x)", 1.0),
    ),
    "numerical_gradient": (
        Call("x0**2 + x1**2", [3.0, 4.0], "quadratic"),  # the lecture's: [6, 8]
        Call("x0**2 + x1**2", [0.0, 2.0], "quadratic"),
        Call("x0**2 + x1**2", [3.0, 0.0], "quadratic"),
        Call(_QUADRATIC, [1.0, 2.0], "quadratic"),
        Call("x0**3 + x1**3", [2.0, 1.0], "cubic"),
        Call("3*x0 - 2*x1 + 1", [2.0, 1.0], "linear"),
        Call("x0**2 + x1**2", [3, 4], "integer", dtype="int64"),
        Call(_QUADRATIC, [[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]], "batch"),
    ),
    "gradient_descent": (
        Call("x0**2 + x1**2", [-3.0, 4.0], lr=0.1, steps=100),  # the lecture's demo
        Call("x0**2 + 3*x1**2", [1.0, 2.0], "steps", lr=0.05, steps=7),  # each step count lands elsewhere
        Call("x0**2 + x1**2", [-3, 4], "integer", dtype="int64", lr=0.1, steps=100),
    ),
}


def check_code(target: str, *, timeout: float | None = 10.0, strict: bool = False) -> CodeResult:
    """Run ``target`` (``FILE.py`` or ``FILE.py:FUNCTION``) on the battery and judge each function.

    Without FUNCTION, every one of ``numerical_diff``, ``numerical_gradient`` and
    ``gradient_descent`` the file defines is checked. The student's code may run ``timeout``
    seconds (None: no limit), and no longer than the command's own budget allows.

    Raises
    ------
    UsageError
        Where the file does not exist or is not a Python file.
    CodeError
        Where the file cannot be run: a syntax error, an exception on import, no such function,
        no answer within the time limit.
    """
    path, function = _target(target)
    reply = _run(path, function, timeout)
    name = path.name
    if "error" in reply:
        raise CodeError(_failure(name, reply))
    checks = []
    for found in reply["functions"]:
        battery = BATTERY[found["kind"]]
        outcomes = [Outcome(call, record, _exact(call)) for call, record in zip(battery, found["calls"])]
        checks.append(code_diagnosis.judge(found["name"], found["kind"], outcomes, strict=strict))
    return CodeResult(file=name, functions=tuple(checks), strict=strict)


def _target(target: str) -> tuple[Path, str | None]:
    """FILE.py[:FUNCTION] as a resolved path and a function name (or None)."""
    if not isinstance(target, str) or not target.strip():
        raise UsageError("{code} takes FILE.py or FILE.py:FUNCTION, not {value!r}", parameter="code", value=target)
    file, function = target, None
    head, colon, tail = target.rpartition(":")
    if colon and tail.isidentifier():
        file, function = head, tail
    path = Path(file).expanduser()
    if not path.is_file():
        raise UsageError("{code} names {file}, which is not a file", parameter="code", file=file)
    if path.suffix != ".py":
        raise UsageError("{code} takes a Python file (.py), not {file}", parameter="code", file=file)
    return path.resolve(), function


def _run(path: Path, function: str | None, timeout: float | None) -> dict[str, Any]:
    """The runner's answer for ``path``; the process and all it started are stopped at the time limit."""
    request = {"file": str(path), "function": function, "battery": {k: [c.request() for c in v] for k, v in BATTERY.items()}}
    limit = min(timeout or UNLIMITED, remaining() - MARGIN)
    process = subprocess.Popen(
        [sys.executable, "-c", _RUNNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MPLBACKEND": "Agg"},  # a plt.show() in the file draws nothing and waits for no one
        start_new_session=True,
        text=True,
    )
    try:
        out, _ = process.communicate(json.dumps(request), timeout=None if limit > LONGEST_WAIT else max(limit, 0.1))
    except subprocess.TimeoutExpired:
        raise CodeError(
            "{file} was stopped after {seconds:g} s, the time limit (an endless loop?); {timeout} sets another",
            parameter="timeout",
            file=path.name,
            seconds=round(timeout or limit, 1),
        ) from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        raise CodeError("the Python process running {file} ended without an answer (exit code {code})",
                        file=path.name, code=process.returncode) from None


def _failure(name: str, reply: dict[str, Any]) -> Message:
    """One sentence for a file that could not be run."""
    kind = reply["error"]
    defined = ", ".join(reply.get("defined", [])) or Message("no functions")
    if kind == "syntax":
        return Message("{file} has a syntax error on line {line}: {message} ({text})", file=name, line=reply["line"],
                       message=reply["message"], text=reply["text"])
    if kind == "import":
        return Message("{file} raised {error} while being imported", file=name,
                       error=code_diagnosis.exception_text(reply))
    if kind == "none":
        return Message("{file} defines none of {kinds} (it defines {defined}); name the function as {file}:FUNCTION",
                       file=name, kinds=", ".join(code_diagnosis.KINDS), defined=defined)
    if kind == "missing":
        return Message("{file} has no function {function} (it defines {defined})", file=name, function=reply["name"],
                       defined=defined)
    return Message("numdiff could not check {file}: {message}", file=name, message=reply["message"])


def _exact(call: Call) -> Any:
    """The exact answer to ``call``: f′(x), ∇f(x) (a row per point of a batch), or where exact gradient
    descent ends."""
    f = parsing.parse_expression(call.function)
    variables = points.ordered_variables([f])
    if call.lr is not None:
        return _descent(f, variables, call.x, call.lr, call.steps)
    rows = call.x if call.role == "batch" else [call.x]
    values = [_gradient(f, variables, row if isinstance(row, list) else [row]) for row in rows]
    if call.role == "batch":
        return values
    return values[0] if isinstance(call.x, list) else values[0][0]


def _gradient(f: sp.Expr, variables: Sequence[sp.Symbol], at: Sequence[float]) -> list[float]:
    point = {v: float(value) for v, value in zip(variables, at)}
    return [float(symbolic.exact_value(symbolic.derivative(f, v), point, what=f"∂f/∂{v}")) for v in variables]


def _descent(f: sp.Expr, variables: Sequence[sp.Symbol], start: Sequence[float], lr: float, steps: int) -> dict[str, Any]:
    """Exact gradient descent at 30 digits: where ``k`` steps end for each k up to twice ``steps``, and
    where ``steps`` steps of ascent end (for telling a step count or a sign apart)."""
    gradient = [symbolic.compile_mpmath(symbolic.derivative(f, v), variables) for v in variables]
    with mpmath.workdps(30):

        def run(sign: int, count: int) -> list[list[float]]:
            x = [mpmath.mpf(float(v)) for v in start]
            path = [[float(v) for v in x]]
            for _ in range(count):
                g = [d(*x) for d in gradient]
                x = [xi - sign * lr * gi for xi, gi in zip(x, g)]
                path.append([float(v) for v in x])
            return path

        return {"descent": run(1, 2 * steps + 2), "ascent": run(-1, steps)[-1]}
