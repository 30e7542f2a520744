"""Reading a student's bugs from the pattern of their errors, for ``numdiff check --code``.

Each finding rests on an error pattern that one bug produces and the right code does not:
- on a quadratic the central difference is exact, while a one-sided one is off by exactly
  h·f″/2 (forward: +, backward: −), the same h at every point and in every variable;
- on x³ the central difference is off by h²·f‴/6, which gives its h;
- on a straight line every difference formula is exact, so any error there is rounding, which
  grows as h shrinks (ε·|f|/h); an h so small that x + h == x gives exactly 0 everywhere;
- a partial derivative taken at a shifted point shows on a function that is not separable, and
  the shift is left in the caller's x when x[idx] is not restored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from numdiff_cli.i18n import Message
from numdiff_cli.results import number
from numdiff_cli.results.check import Diagnosis, Finding, FunctionCheck, Probe, Severity, Verdict

KINDS = ("numerical_diff", "numerical_gradient", "gradient_descent")
TOLERANCE = 1e-6  # relative error of a derivative counted right (the lecture's central difference: ~1e-9)
DESCENT_TOLERANCE = 1e-6  # of a descent's end, relative to the start's size
ROUNDING = 1e-7  # relative error on a straight line above which rounding swamps the result


@dataclass(frozen=True)
class Call:
    """One call of the battery: f (a key of code_runner.FUNCTIONS), x, and for descent lr and steps.

    ``role`` says what the call can reveal: ``quadratic`` (a one-sided difference's h), ``cubic``
    (a central difference's h), ``linear`` (rounding), ``integer``, ``batch``, ``steps``.
    """

    function: str
    x: float | list[Any]
    role: str = "smooth"
    dtype: str = "float64"
    lr: float | None = None
    steps: int | None = None

    def request(self) -> dict[str, Any]:
        """The call as the runner reads it."""
        data: dict[str, Any] = {"id": f"{self.function} @ {self.x}", "function": self.function, "x": self.x,
                                "dtype": self.dtype, "point_shape": [2] if isinstance(self.x, list) else None}
        if self.lr is not None:
            data.update(lr=self.lr, steps=self.steps)
        return data

    def arguments(self) -> str:
        """The arguments after f as Python: ``np.array([3.0, 4.0])``, ``np.array([-3.0, 4.0]), 0.1, 100``."""
        x = f"np.array({self.x})" if isinstance(self.x, list) else repr(self.x)
        return x + (f", {self.lr}, {self.steps}" if self.lr is not None else "")

    def text(self, name: str) -> str:
        """The call as Python: numerical_gradient(f, np.array([3.0, 4.0]))."""
        return f"{name}(f, {self.arguments()})"


@dataclass(frozen=True)
class Outcome:
    """A call, what the runner saw (``returned``, ``error``, ``x_after``, ``seen`` shapes), and the exact answer."""

    call: Call
    record: dict[str, Any]
    exact: Any

    @property
    def error(self) -> dict[str, Any] | None:
        return self.record.get("error")

    @property
    def value(self) -> np.ndarray | None:
        returned = self.record.get("returned")
        if returned is None:
            return None
        value = np.asarray(returned, dtype=float)
        return value if value.shape == np.shape(self.target) else None

    @property
    def target(self) -> np.ndarray:
        """The right answer: the derivative, or where exact descent ends."""
        if self.call.lr is not None:
            return np.asarray(self.exact["descent"][self.call.steps])
        return np.asarray(self.exact, dtype=float)

    @property
    def abs_error(self) -> float | None:
        value = self.value
        return None if value is None else float(np.max(np.abs(value - self.target)))

    @property
    def passed(self) -> bool:
        err = self.abs_error
        if err is None or not math.isfinite(err):
            return False
        if self.call.lr is not None:
            return err <= DESCENT_TOLERANCE * max(1.0, float(np.max(np.abs(self.call.x))))
        return err <= TOLERANCE * max(1.0, float(np.max(np.abs(self.target))))


def exception_text(error: dict[str, Any]) -> str:
    """``ZeroDivisionError: division by zero (line 7: grad[i] = a / b)``."""
    message = f"{error['type']}: {error['message']}" if error["message"] else error["type"]
    where = error.get("where")
    return f"{message} (line {where['line']}: {where['text']})" if where else message


def _vector(value: Any) -> str:
    if value is None:
        return "—"
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return number(float(array))
    if array.ndim == 1:
        return "[" + ", ".join(number(float(v)) for v in array) + "]"
    return "[" + ", ".join(_vector(row) for row in array) + "]"


def _probe(name: str, outcome: Outcome) -> Probe:
    kind = outcome.record.get("returned_dtype")
    if outcome.record.get("returned") is None:
        returned = "None" if kind == "NoneType" else Message("a {kind}, not real numbers", kind=kind)
    elif outcome.value is None:
        returned = Message("{returned} (not the shape of {target})", returned=_vector(outcome.record["returned"]),
                           target=_vector(outcome.target))
    else:
        returned = _vector(outcome.record["returned"])
    return Probe(
        case=outcome.call.role,
        function=outcome.call.function,
        call=outcome.call.arguments(),
        returned=None if outcome.error else returned,
        error=exception_text(outcome.error) if outcome.error else None,
        exact=_vector(outcome.target),
        abs_error=outcome.abs_error,
        passed=outcome.passed,
    )


def judge(name: str, kind: str, outcomes: list[Outcome], *, strict: bool = False) -> FunctionCheck:
    """The verdict on one function from its outcomes on the battery; caveats are bugs with ``strict``."""
    if kind == "gradient_descent":
        summary, diagnoses = _descent_findings(name, outcomes)
    else:
        summary, diagnoses = _derivative_findings(name, outcomes)
    if strict:
        diagnoses = [Diagnosis(d.finding, Severity.BUG, d.message) for d in diagnoses]
    wrong = any(d.severity is Severity.BUG for d in diagnoses)
    return FunctionCheck(
        name=name,
        kind=kind,
        verdict=Verdict.WRONG if wrong else Verdict.RIGHT,
        summary=summary,
        diagnoses=tuple(diagnoses),
        probes=tuple(_probe(name, o) for o in outcomes),
    )


def _bug(finding: Finding, message: str) -> Diagnosis:
    return Diagnosis(finding, Severity.BUG, message)


def _caveat(finding: Finding, message: str) -> Diagnosis:
    return Diagnosis(finding, Severity.CAVEAT, message)


def _count(outcomes: list[Outcome], runs: bool = False) -> Message:
    right = sum(o.passed for o in outcomes)
    if runs:
        return Message("{right} of {count} runs right", right=right, count=len(outcomes))
    return Message("{right} of {count} calls right", right=right, count=len(outcomes))


def _derivative_findings(name: str, outcomes: list[Outcome]) -> tuple[str, list[Diagnosis]]:
    """numerical_diff and numerical_gradient: the difference scheme and its h, and the bugs."""
    plain = [o for o in outcomes if o.call.role not in ("integer", "batch")]
    valued = [o for o in plain if o.value is not None and np.isfinite(o.value).all()]
    findings: list[Diagnosis] = []
    raised = [o for o in plain if o.error]
    if raised:
        findings.append(_bug(Finding.RAISES, _raised(name, raised[0])))
    if len(valued) < len(plain) / 2:
        scheme, explained = Message("too few numbers returned to tell its difference formula"), False
    else:
        scheme, explained = _scheme(valued, findings)
    failed = [o for o in plain if not o.passed and not o.error]
    changed, shifted = _changed_input(name, plain, failed)
    findings += changed
    if failed and not (explained or shifted):
        first = failed[0]
        findings.append(_bug(
            Finding.WRONG_VALUES,
            Message("{call} returned {value} for f = {f}; the derivative is {target}", call=first.call.text(name),
                    value=_probe(name, first).returned, f=first.call.function, target=_vector(first.target)),
        ))
    findings += _input_caveats(name, outcomes)
    if _wrong_only_on_caveats(outcomes, findings):
        return Message("{scheme}; {count} (to {tolerance:.0e} relative error); wrong only on inputs the lecture never "
                       "passes.", scheme=scheme, count=_count(outcomes), tolerance=TOLERANCE), findings
    return Message("{scheme}; {count} (to {tolerance:.0e} relative error).", scheme=scheme, count=_count(outcomes),
                   tolerance=TOLERANCE), findings


def _wrong_only_on_caveats(outcomes: list[Outcome], findings: list[Diagnosis]) -> bool:
    """True where some call is wrong and every finding is a caveat: the wrong calls are all on inputs
    the lecture never passes (an integer array, a batch of points)."""
    return bool(findings) and not all(o.passed for o in outcomes) and all(d.severity is Severity.CAVEAT for d in findings)


def _raised(name: str, o: Outcome) -> Message:
    return Message("{call} raised {error}", call=o.call.text(name), error=exception_text(o.error))


def _components(outcome: Outcome) -> list[tuple[float, float, int]]:
    """(value, exact, variable index) for each component of a derivative call."""
    value, target = np.atleast_1d(outcome.value), np.atleast_1d(outcome.target)
    return [(float(v), float(t), i) for i, (v, t) in enumerate(zip(value, target))]


def _curvature(outcome: Outcome, index: int, order: int) -> float:
    """f″/2 (order 2) or f‴/6 (order 3) along variable ``index`` of the battery's quadratics and cubics."""
    import sympy as sp

    from numdiff_cli import parsing, points

    f = parsing.parse_expression(outcome.call.function)
    variable = points.ordered_variables([f])[index]
    return float(sp.diff(f, variable, order)) / math.factorial(order)


def _consistent(estimates: list[float], spread: float) -> float | None:
    """The common value of ``estimates`` (two or more, of one sign, within a factor ``spread``), else None."""
    if len(estimates) < 2 or not all(math.isfinite(e) and e != 0 for e in estimates):
        return None
    if len({e > 0 for e in estimates}) != 1:
        return None
    sizes = [abs(e) for e in estimates]
    return float(np.median(estimates)) if max(sizes) <= spread * min(sizes) else None


def _scheme(valued: list[Outcome], findings: list[Diagnosis]) -> tuple[str, bool]:
    """The difference scheme read from the errors (appending its bugs to ``findings``), and whether a
    bug found explains the wrong values."""
    nonzero = [(v, t) for o in valued for v, t, _ in _components(o) if t != 0]
    stood_still = all(o.record.get("calls") and not o.record.get("steps") for o in valued)
    if len(nonzero) >= 3 and all(v == 0 for v, _ in nonzero) and stood_still:
        findings.append(_bug(
            Finding.STEP_TOO_SMALL,
            Message("it returns exactly 0 wherever the derivative is not 0, and calls f only at x itself: its h is so "
                    "small that x + h == x in floating point, so f(x + h) − f(x) = 0 (the lecture's h = 1e-50); use "
                    "h = 1e-4"),
        ))
        return Message("every value is 0"), True
    if len(nonzero) >= 3 and all(abs(v / t - 2) <= 1e-4 for v, t in nonzero):
        findings.append(_bug(
            Finding.HALF_DENOMINATOR,
            Message("every value is twice the derivative: the central difference is divided by h instead of 2h"),
        ))
        return Message("twice the derivative everywhere"), True
    one_sided = _consistent(
        [(v - t) / _curvature(o, i, 2) for o in valued if o.call.role == "quadratic" for v, t, i in _components(o)
         if _curvature(o, i, 2)],
        1.05,
    )
    if one_sided is not None:
        forward = one_sided > 0
        h = abs(one_sided)
        findings.append(_bug(
            Finding.FORWARD_DIFFERENCE if forward else Finding.BACKWARD_DIFFERENCE,
            Message("forward difference (f(x+h) − f(x))/h instead of the central one: on every quadratic it is off by "
                    "exactly +h·f″/2 (h = {h:.2g}), where the central difference (f(x+h) − f(x−h))/(2h) is exact", h=h)
            if forward else
            Message("backward difference (f(x) − f(x−h))/h instead of the central one: on every quadratic it is off "
                    "by exactly −h·f″/2 (h = {h:.2g}), where the central difference (f(x+h) − f(x−h))/(2h) is exact",
                    h=h),
        ))
        if forward:
            return Message("forward difference, h ≈ {h:.2g}", h=h), True
        return Message("backward difference, h ≈ {h:.2g}", h=h), True
    lines = [abs(v - t) / max(1.0, abs(t)) for o in valued if o.call.role == "linear" for v, t, _ in _components(o)]
    steps = [s for o in valued if o.call.role == "linear" for s in o.record.get("steps", [])]
    if lines and max(lines) > ROUNDING and steps and max(steps) < 1e-6:
        findings.append(_bug(
            Finding.STEP_TOO_SMALL,
            Message("its h ≈ {h:.2g} is too small: on a straight line, where every difference formula is exact, it is "
                    "off by {off:.1e} (relative): rounding error, about ε·|f|/h, grows as h shrinks; the lecture's "
                    "h = 1e-4 keeps it near 1e-12", h=max(steps), off=max(lines)),
        ))
        return Message("a difference with h ≈ {h:.2g}, drowned in rounding error", h=max(steps)), True
    central = _consistent(
        [(v - t) / _curvature(o, i, 3) for o in valued if o.call.role == "cubic" for v, t, i in _components(o)
         if _curvature(o, i, 3)],
        1.1,
    )
    if central is None or central <= 0 or math.sqrt(central) < 1e-5:
        return Message("central difference"), False
    h = math.sqrt(central)
    if not all(o.passed for o in valued if o.call.role == "cubic"):  # its own truncation error is what fails
        findings.append(_bug(
            Finding.STEP_TOO_LARGE,
            Message("its h ≈ {h:.2g} is too large: the central difference's truncation error h²·f‴/6 is "
                    "{central:.1e} on x³; the lecture's h = 1e-4 makes it 1e-8", h=h, central=central),
        ))
        return Message("central difference, h ≈ {h:.2g}", h=h), True
    return Message("central difference, h ≈ {h:.2g}", h=h), False


def _changed_input(name: str, plain: list[Outcome], failed: list[Outcome]) -> tuple[list[Diagnosis], bool]:
    """x[idx] not restored (each entry left off by ±h), or the caller's x changed some other way; and
    whether that explains every ``failed`` call (each partial exact at the point the earlier ones left)."""
    for o in plain:
        after = o.record.get("x_after")
        if after is None:
            continue
        before = np.asarray(o.call.x, dtype=float)
        moved = np.asarray(after, dtype=float) - before
        sizes = np.abs(moved[moved != 0])
        where = Message("after {call} the caller's x is {x}", call=o.call.text(name), x=_vector(after))
        if sizes.size and sizes.max() < 1e-10 * max(1.0, float(np.max(np.abs(before)))):
            return [_bug(
                Finding.MODIFIES_INPUT,
                Message("it changes the caller's x by rounding: {where}; adding and then subtracting h does not "
                        "always give back the same double, so save the old value and put it back", where=where),
            )], False
        if sizes.size and sizes.max() <= 1e-2 and sizes.max() <= 1.01 * sizes.min():
            if failed and all(map(_at_shifted_points, failed)):
                first = failed[0]
                return [_bug(
                    Finding.NOT_RESTORED,
                    Message("x[idx] is not restored after its partial derivative: {where}, each entry off by {off:.2g} "
                            "(that is h), so every later partial is taken at a shifted point: {call} returns {value}, "
                            "each partial exact where the partials before it left x; set x[idx] back to its old value",
                            where=where, off=sizes.max(), call=first.call.text(name),
                            value=_probe(name, first).returned),
                )], True
            return [_bug(
                Finding.NOT_RESTORED,
                Message("x[idx] is not restored after its partial derivative: {where}, each entry off by {off:.2g} "
                        "(that is h), so every later partial is taken at a shifted point; set x[idx] back to its old "
                        "value", where=where, off=sizes.max()),
            )], False
        return [_bug(Finding.MODIFIES_INPUT, Message("it changes the caller's x: {where}; work on a copy (x = x.copy())",
                                                     where=where))], False
    return [], False


def _at_shifted_points(o: Outcome) -> bool:
    """True where each partial ``o`` returned is, to ``TOLERANCE``, the exact one at x with the entries
    before it moved as the call left them in the caller's x: x[idx] left at x ± h after its partial."""
    import sympy as sp

    from numdiff_cli import parsing, points

    after, value = o.record.get("x_after"), o.value
    if after is None or value is None or not isinstance(o.call.x, list):
        return False
    f = parsing.parse_expression(o.call.function)
    variables = points.ordered_variables([f])
    start, left = [float(v) for v in o.call.x], [float(v) for v in after]
    for i, (v, returned) in enumerate(zip(variables, np.atleast_1d(value))):
        at = dict(zip(variables, left[:i] + start[i:]))
        exact = float(sp.diff(f, v).xreplace(at))
        if not abs(returned - exact) <= TOLERANCE * max(1.0, abs(exact)):
            return False
    return True


def _input_caveats(name: str, outcomes: list[Outcome]) -> list[Diagnosis]:
    """Inputs the lecture never passes: an integer array, and a batch of points (an (n, 2) array)."""
    found = []
    for o in outcomes:
        if o.passed or o.call.role not in ("integer", "batch") or _as_its_twin(o, outcomes):
            continue  # a call that fails as the same call on floats does is the bug's, not the input's
        result = _result(o.error, _vector(o.record.get("returned")))
        if o.call.role == "integer":
            first = o.call.x[0]
            values = {"call": o.call.text(name), "result": result, "first": first, "below": first - 1}
            found.append(_caveat(
                Finding.INTEGER_TRUNCATION,
                Message("{call} {result}: an integer array cannot hold x ± h: it stores {first} + h as {first} and "
                        "{first} − h as {below}; convert first (x = x.astype(float))", **values) if o.error else
                Message("{call} {result}, not {target}: an integer array cannot hold x ± h: it stores {first} + h as "
                        "{first} and {first} − h as {below}; convert first (x = x.astype(float))",
                        target=_vector(o.target), **values),
            ))
        elif [3, 2] in o.record.get("seen", []):
            found.append(_caveat(
                Finding.BATCH_AS_FLAT_VECTOR,
                Message("given 3 points as a (3, 2) array it calls f with the whole array, handling it as one flat "
                        "vector of 6 variables (the textbook's gradient_2d bug); take the gradient row by row (it "
                        "{result})", result=result),
            ))
        else:
            found.append(_caveat(
                Finding.NO_BATCH,
                Message("it does not take 3 points as a (3, 2) array (it {result}); the lecture passes one point at a "
                        "time", result=result),
            ))
    return found


def _result(error: dict[str, Any] | None, returned: str) -> Message:
    """``raises TypeError: …`` or ``returns [0.0, 0.0]``."""
    if error:
        return Message("raises {error}", error=exception_text(error))
    return Message("returns {value}", value=returned)


def _twin(o: Outcome, outcomes: list[Outcome]) -> Outcome | None:
    """For an integer call the same call with floats, for a batch the call on its first point alone;
    None for any other call."""
    if o.call.role not in ("integer", "batch"):
        return None
    floats = o.call.x[0] if o.call.role == "batch" else np.asarray(o.call.x, dtype=float).tolist()
    return next((t for t in outcomes if t.call.function == o.call.function and t.call.x == floats and t is not o
                 and t.call.lr == o.call.lr), None)


def _twin_passed(o: Outcome, outcomes: list[Outcome]) -> bool:
    """Whether the twin of an integer or batch call was right (so the integers or the batch are what failed)."""
    twin = _twin(o, outcomes)
    return twin is not None and twin.passed


def _as_its_twin(o: Outcome, outcomes: list[Outcome]) -> bool:
    """True where an integer or batch call came out as its twin on floats did (the same numbers, for a batch
    in its first row, or the same exception): the input changed nothing, so whatever is wrong is not its fault."""
    twin = _twin(o, outcomes)
    if twin is None:
        return False
    if o.error or twin.error:
        return bool(o.error and twin.error and o.error["type"] == twin.error["type"])
    mine, theirs = o.record.get("returned"), twin.record.get("returned")
    if o.call.role == "batch":
        mine = mine[0] if isinstance(mine, list) and mine else None
    try:
        return mine is not None and theirs is not None and bool(np.allclose(mine, theirs, rtol=1e-12, atol=0))
    except (TypeError, ValueError):  # shapes or types that do not compare
        return False


def _descent_findings(name: str, outcomes: list[Outcome]) -> tuple[str, list[Diagnosis]]:
    """gradient_descent: where it ends against exact descent, and why it ends elsewhere."""
    plain = [o for o in outcomes if o.call.role != "integer" or _as_its_twin(o, outcomes)]
    findings: list[Diagnosis] = []
    for o in plain:
        if o.error:
            findings.append(_bug(Finding.RAISES, _raised(name, o)))
            break
    slips = [_descent_slip(name, o) for o in plain if not o.passed and not o.error]
    named = [d for d in slips if d.finding is not Finding.WRONG_VALUES]
    findings += (named or slips)[:1]
    for o in plain:
        after = o.record.get("x_after")
        if after is not None:
            findings.append(_caveat(
                Finding.MODIFIES_INPUT,
                Message("it changes the caller's init_x in place: after {call} it is {x}, so a second run from init_x "
                        "starts where this one ended; work on a copy (x = init_x.copy())", call=o.call.text(name),
                        x=_vector(after)),
            ))
            break
    findings += [_integer_start(name, o, outcomes) for o in outcomes if o not in plain and not o.passed]
    if _wrong_only_on_caveats(outcomes, findings):
        return Message("{count} (to {tolerance:.0e} of exact gradient descent, relative to the start); wrong only on "
                       "inputs the lecture never passes.", count=_count(outcomes, runs=True),
                       tolerance=DESCENT_TOLERANCE), findings
    return Message("{count} (to {tolerance:.0e} of exact gradient descent, relative to the start).",
                   count=_count(outcomes, runs=True), tolerance=DESCENT_TOLERANCE), findings


def _integer_start(name: str, o: Outcome, outcomes: list[Outcome]) -> Diagnosis:
    """The caveat of a descent from an integer array that ends otherwise than the same start in floats."""
    values = {"call": o.call.text(name), "result": _result(o.error, _probe(name, o).returned)}
    if _twin_passed(o, outcomes):
        return _caveat(Finding.INTEGER_TRUNCATION, Message(
            "{call} {result}, where the same start in floats is right: an integer array cannot hold the fractional "
            "steps; convert first (x = init_x.astype(float))", **values))
    return _caveat(Finding.INTEGER_TRUNCATION, Message(
        "{call} {result}, not what the same start in floats returns: an integer array cannot hold the fractional "
        "steps; convert first (x = init_x.astype(float))", **values))


def _descent_slip(name: str, o: Outcome) -> Diagnosis:
    """Why one descent ended in the wrong place: a step count, a sign, or no pattern."""
    value, steps = o.value, o.call.steps
    if value is None:
        return _bug(Finding.WRONG_VALUES, Message("{call} returns {value}, not a point", call=o.call.text(name),
                                                  value=_probe(name, o).returned))
    scale = DESCENT_TOLERANCE

    def near(x: list[float]) -> bool:
        return bool(np.max(np.abs(value - np.asarray(x))) <= scale * max(1.0, float(np.max(np.abs(x)))))

    for k, x in enumerate(o.exact["descent"]):
        if k != steps and near(x):
            return _bug(
                Finding.STEP_COUNT,
                Message("it takes {k} steps, not step_num = {steps}: {call} returns x after {k} steps of "
                        "x ← x − lr·∇f", k=k, steps=steps, call=o.call.text(name)),
            )
    if near(o.exact["ascent"]):
        return _bug(
            Finding.ASCENT,
            Message("it climbs: {call} returns x after {steps} steps of x ← x + lr·∇f; descent subtracts lr·∇f",
                    call=o.call.text(name), steps=steps),
        )
    return _bug(
        Finding.WRONG_VALUES,
        Message("{call} returns {value} for f = {f}; exact gradient descent ends at {target}", call=o.call.text(name),
                value=_vector(value), f=o.call.function, target=_vector(o.target)),
    )
