"""Runs a student's file in its own Python process, for ``numdiff check --code``; never imported by numdiff.

Started by :mod:`numdiff_cli.code_check` in a Python of its own (see ``code_check._RUNNER``), it reads one
request as JSON on stdin (the file, the function, the calls to make), imports the file by its
path as ``python FILE`` would see it (its folder first on ``sys.path``; its
``if __name__ == "__main__":`` block is not run), makes the calls and writes one JSON answer on
stdout. What the student's code prints is thrown away, so it cannot disturb the answer.

The functions handed to the student's code are plain numpy code, keyed by the expression that
numdiff parses for the exact values (a test checks that each agrees with its expression).
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import numpy as np

KINDS = ("numerical_diff", "numerical_gradient", "gradient_descent")

FUNCTIONS = {
    "0.01*x**2 + 0.1*x": lambda x: 0.01 * x**2 + 0.1 * x,  # the lecture's function_1
    "x**2": lambda x: x**2,
    "x**3": lambda x: x**3,
    "3*x + 1": lambda x: 3 * x + 1,
    "sin(x)": np.sin,
    "exp(x)": np.exp,
    "x0**2 + x1**2": lambda x: x[0] ** 2 + x[1] ** 2,  # the lecture's function_2
    "x0**2 + x0*x1 + 3*x1**2": lambda x: x[0] ** 2 + x[0] * x[1] + 3 * x[1] ** 2,
    "x0**3 + x1**3": lambda x: x[0] ** 3 + x[1] ** 3,
    "3*x0 - 2*x1 + 1": lambda x: 3 * x[0] - 2 * x[1] + 1,
    "x0**2 + 3*x1**2": lambda x: x[0] ** 2 + 3 * x[1] ** 2,
}


class PointShapeError(TypeError):
    """Raised by a test function handed something that is not one point (a whole batch, say)."""


def main() -> None:
    request = json.loads(sys.stdin.read())
    answer = os.fdopen(os.dup(1), "w")  # the answer's own channel, before the student's prints are silenced
    silence = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silence, 1)
    os.dup2(silence, 2)
    try:
        reply = _run(request)
    except BaseException as error:  # noqa: BLE001 - a SystemExit or KeyboardInterrupt from the student's code too
        reply = {"error": "internal", "message": "".join(traceback.format_exception_only(type(error), error)).strip()}
    answer.write(json.dumps(reply))
    answer.flush()
    os._exit(0)  # no atexit handlers or threads of the student's code may change the answer


def _run(request: dict[str, Any]) -> dict[str, Any]:
    path = Path(request["file"])
    sys.path.insert(0, str(path.parent))  # as `python FILE` has it
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        return {"error": "syntax", "message": error.msg, "line": error.lineno, "text": (error.text or "").strip()}
    except BaseException as error:  # noqa: BLE001 - whatever the file does on import is reported, never raised
        return {"error": "import", **_exception(error, path)}
    names = [request["function"]] if request["function"] else [n for n in KINDS if callable(getattr(module, n, None))]
    if not names:
        return {"error": "none", "defined": _defined(module)}
    missing = [n for n in names if not callable(getattr(module, n, None))]
    if missing:
        return {"error": "missing", "name": missing[0], "defined": _defined(module)}
    results = []
    for name in names:
        function = getattr(module, name)
        kind = _kind(name, function)
        calls = [_call(function, call, path) for call in request["battery"][kind]]
        results.append({"name": name, "kind": kind, "calls": calls})
    return {"functions": results}


def _defined(module: object) -> list[str]:
    return sorted(n for n, v in vars(module).items() if inspect.isfunction(v) and not n.startswith("_"))


def _kind(name: str, function: Any) -> str:
    """Which of KINDS ``function`` is: by its name, else by its signature and one trial call."""
    lowered = name.lower()
    try:
        if len(inspect.signature(function).parameters) >= 3 or "descent" in lowered or "ascent" in lowered:
            return "gradient_descent"
    except (TypeError, ValueError):
        pass
    for key, kind in (("grad", "numerical_gradient"), ("diff", "numerical_diff")):
        if key in lowered:
            return kind
    try:
        shape = np.shape(function(FUNCTIONS["x0**2 + x1**2"], np.array([1.0, 2.0])))
    except Exception:  # noqa: BLE001 - a function that fails here is checked as a derivative and fails there
        shape = ()
    return "numerical_gradient" if shape == (2,) else "numerical_diff"


def _test_function(key: str, point_shape: list[int] | None, start: Any, record: dict[str, Any]) -> Any:
    """The numpy function of ``key``. It records in ``record`` how often it is called (``calls``),
    the shape of each argument (``seen``) and how far each argument lies from ``start``, the point
    asked about (``steps``: the distinct nonzero distances, the steps h the caller took); it refuses
    an argument that is not one point of ``point_shape``."""
    plain = FUNCTIONS[key]
    origin = np.array(start, dtype=float)
    record.update(calls=0, seen=[], steps=[])

    def f(x: Any) -> Any:
        record["calls"] += 1
        shape = list(np.shape(x))
        if shape not in record["seen"]:
            record["seen"].append(shape)
        if point_shape is not None and shape != point_shape:
            raise PointShapeError(f"f takes one point of shape {tuple(point_shape)}, not an array of shape {tuple(shape)}")
        if shape == list(origin.shape) and len(record["steps"]) < 10:
            moved = np.abs(np.asarray(x, dtype=float) - origin)
            for step in moved[moved != 0].tolist() if moved.ndim else ([float(moved)] if moved else []):
                if step not in record["steps"]:
                    record["steps"].append(step)
        return plain(x)

    return f


def _call(function: Any, call: dict[str, Any], path: Path) -> dict[str, Any]:
    """One call of the student's function, with what it returned or raised and what it did to x."""
    record: dict[str, Any] = {"id": call["id"]}
    x = np.array(call["x"], dtype=call["dtype"]) if isinstance(call["x"], list) else call["x"]
    f = _test_function(call["function"], call.get("point_shape"), call["x"], record)
    before = np.array(x, copy=True)
    args = [f, x] + ([call["lr"], call["steps"]] if "lr" in call else [])
    try:
        returned = function(*args)
    except PointShapeError as error:
        record["error"] = {"type": "PointShapeError", "message": str(error), "where": None}
    except BaseException as error:  # noqa: BLE001 - the student's exception is the result of this call
        record["error"] = _exception(error, path)
    else:
        record["returned"], record["returned_dtype"] = _numbers(returned)
    if isinstance(x, np.ndarray):
        record["x_after"] = x.tolist() if not np.array_equal(x, before) else None
    return record


def _numbers(value: Any) -> tuple[Any, str | None]:
    """What came back, as JSON numbers (a tuple such as (x, history) is read by its first part)."""
    if isinstance(value, tuple) and value:
        value = value[0]
    if value is None:
        return None, "NoneType"
    try:
        array = np.asarray(value)
        if np.iscomplexobj(array) and np.any(array.imag):
            return None, str(array.dtype)  # complex numbers are no derivative of a real function
        return np.asarray(array.real if np.iscomplexobj(array) else array, dtype=float).tolist(), str(array.dtype)
    except (TypeError, ValueError):
        return None, type(value).__name__


def _exception(error: BaseException, path: Path) -> dict[str, Any]:
    """The exception as its type and message, and the last line of the student's file it passed."""
    where = None
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename) == path:
            where = {"line": frame.lineno, "text": (frame.line or "").strip()}
    return {"type": type(error).__name__, "message": str(error), "where": where}

