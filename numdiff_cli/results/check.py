"""The results of ``numdiff check``: a claimed derivative judged, and a student's code judged.

Codes stand beside every sentence (verdicts, slips, findings), so a grading script reads the
codes and never the prose. Codes are only ever added, never renamed: the README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from numdiff_cli.results import Displayed, at_text, finite_or_none


class Verdict(StrEnum):
    """Is the claim (or the code) right?"""

    RIGHT = "right"
    WRONG = "wrong"
    PARTLY_RIGHT = "partly_right"  # right on some sign regions of the domain, wrong on others


class Proof(StrEnum):
    """How the verdict on the formula was reached."""

    SYMBOLIC = "symbolic"  # sympy simplified the difference (to 0, or to something that is not 0)
    NUMERIC = "numeric"  # equal at every sample point, but sympy could not prove it in time


class PointStatus(StrEnum):
    """The claim at one point."""

    RIGHT = "right"
    WRONG = "wrong"
    NO_DERIVATIVE = "no_derivative"  # f has no derivative there (a corner or a jump): nothing to compare
    CLAIM_UNDEFINED = "claim_undefined"  # the claim has no value there although f′ has
    DERIVATIVE_UNDEFINED = "derivative_undefined"  # f′ has no finite real value there (sqrt(x) at 0): nothing to check


class Slip(StrEnum):
    """The slip that explains a wrong claim exactly."""

    SIGN = "sign"  # the claim is −f′
    CONSTANT_FACTOR = "constant_factor"  # f′ is a constant (not ±1) times the claim
    CHAIN_RULE = "chain_rule"  # an inner derivative is missing
    POWER_RULE_EXPONENT = "power_rule_exponent"  # n·x^n instead of n·x^(n−1)
    POWER_RULE_FACTOR = "power_rule_factor"  # x^(n−1) instead of n·x^(n−1)
    POWER_RULE_ON_EXPONENTIAL = "power_rule_on_exponential"  # x·a^(x−1) for a^x
    PRODUCT_RULE_HALF = "product_rule_half"  # u′v or uv′ alone
    PRODUCT_RULE_DERIVATIVES = "product_rule_derivatives"  # u′v′
    QUOTIENT_RULE_SIGN = "quotient_rule_sign"  # (u′v + uv′)/v²
    QUOTIENT_RULE_DERIVATIVES = "quotient_rule_derivatives"  # u′/v′
    RULE_SIGN = "rule_sign"  # the sign of one function's derivative (cos′ = −sin)
    FUNCTION_ITSELF = "function_itself"  # the claim is f
    ANTIDERIVATIVE = "antiderivative"  # the claim's derivative is f
    SECOND_DERIVATIVE = "second_derivative"  # the claim is f″
    CONSTANT_TERM_KEPT = "constant_term_kept"  # a term free of the variable was kept
    MISSING_TERM = "missing_term"  # one term's derivative is left out
    WRONG_VARIABLE = "wrong_variable"  # the partial derivative in another variable
    SWAPPED_COMPONENTS = "swapped_components"  # a gradient's entries out of variable order


@dataclass(frozen=True)
class Hint:
    """A slip that explains the claim exactly, and the sentence that says so."""

    slip: Slip
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"slip": self.slip.value, "message": self.message}


@dataclass(frozen=True)
class Component:
    """One derivative claimed: ∂f/∂``variable``, the claim, the verdict, the difference and hints."""

    variable: str
    derivative: str
    claim: str
    verdict: Verdict
    difference: str | None  # simplified f′ − claim; None where it is 0
    hints: tuple[Hint, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "derivative": self.derivative,
            "claim": self.claim,
            "verdict": self.verdict.value,
            "difference": self.difference,
            "hints": [h.to_dict() for h in self.hints],
        }


@dataclass(frozen=True)
class Region:
    """A sign region of the domain (``x > 0``) and the verdict on the claim there, from ``points`` samples."""

    where: str
    verdict: Verdict
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "verdict": self.verdict.value, "points": self.points}


@dataclass(frozen=True)
class ClaimPoint:
    """The claim and the exact derivative at one point (one value per component)."""

    at: dict[str, float]
    claim: tuple[float | None, ...]
    exact: tuple[float | None, ...]
    status: PointStatus
    note: str | None = None

    @property
    def abs_error(self) -> tuple[float | None, ...]:
        return tuple(
            None if c is None or e is None else abs(c - e) for c, e in zip(self.claim, self.exact)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "claim": [finite_or_none(v) for v in self.claim],
            "exact": [finite_or_none(v) for v in self.exact],
            "abs_error": [finite_or_none(v) for v in self.abs_error],
            "status": self.status.value,
            "note": self.note,
        }


@dataclass(frozen=True)
class ClaimResult(Displayed):
    """``numdiff check EXPR --claim D``: is D the derivative of EXPR, and if not, why not.

    ``seed`` is the random generator's seed where the points were drawn at random (None where
    they were given); ``message`` is the verdict in a sentence.
    """

    expression: str
    variables: tuple[str, ...]
    components: tuple[Component, ...]
    verdict: Verdict
    proof: Proof
    message: str
    points: tuple[ClaimPoint, ...]
    seed: int | None
    regions: tuple[Region, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def right(self) -> bool:
        return self.verdict is Verdict.RIGHT

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variables": list(self.variables),
            "verdict": self.verdict.value,
            "proof": self.proof.value,
            "message": self.message,
            "components": [c.to_dict() for c in self.components],
            "regions": [r.to_dict() for r in self.regions],
            "seed": self.seed,
            "points": [p.to_dict() for p in self.points],
            "notes": list(self.notes),
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per point and component, for CSV."""
        return [
            {
                "expression": self.expression,
                "variable": component.variable,
                "claim": component.claim,
                "at": at_text(point.at),
                "claim_value": finite_or_none(point.claim[i]),
                "exact": finite_or_none(point.exact[i]),
                "abs_error": finite_or_none(point.abs_error[i]),
                "status": point.status.value,
            }
            for point in self.points
            for i, component in enumerate(self.components)
        ]


class Finding(StrEnum):
    """A bug (or a limit) found in a student's numerical differentiation or descent code."""

    FORWARD_DIFFERENCE = "forward_difference"  # (f(x+h) − f(x))/h instead of central
    BACKWARD_DIFFERENCE = "backward_difference"  # (f(x) − f(x−h))/h instead of central
    HALF_DENOMINATOR = "half_denominator"  # central difference divided by h, not 2h
    STEP_TOO_SMALL = "step_too_small"  # x + h == x (h = 1e-50): zeros, or rounding noise
    STEP_TOO_LARGE = "step_too_large"  # truncation error dominates
    NOT_RESTORED = "not_restored"  # x[idx] left at x ± h after its partial
    MODIFIES_INPUT = "modifies_input"  # the caller's x is changed
    INTEGER_TRUNCATION = "integer_truncation"  # an integer array truncates x + h
    BATCH_AS_FLAT_VECTOR = "batch_as_flat_vector"  # an (n, 2) array of points handled as one vector
    NO_BATCH = "no_batch"  # an (n, 2) array of points is refused with an error
    ASCENT = "ascent"  # x ← x + lr·∇f: climbs instead of descending
    STEP_COUNT = "step_count"  # a different number of steps than step_num
    WRONG_VALUES = "wrong_values"  # wrong, by no pattern numdiff knows
    RAISES = "raises"  # an exception on the lecture's own kind of call


class Severity(StrEnum):
    BUG = "bug"  # wrong on the lecture's own calls: the check fails
    CAVEAT = "caveat"  # fails only on inputs the lecture never passes (with --strict, a bug)


@dataclass(frozen=True)
class Diagnosis:
    finding: Finding
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"finding": self.finding.value, "severity": self.severity.value, "message": self.message}


@dataclass(frozen=True)
class Probe:
    """One call of the student's function: on what, what it returned, the exact answer."""

    case: str  # what the call tests: quadratic, cubic, linear, integer, batch, steps, smooth
    function: str  # f, as an expression
    call: str  # the arguments after f as Python, e.g. np.array([3.0, 4.0])
    returned: str | None  # what came back, as text; None where it raised
    error: str | None  # the exception it raised, and the line of the file
    exact: str
    abs_error: float | None
    passed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "f": self.function,
            "arguments": self.call,
            "returned": self.returned,
            "error": self.error,
            "exact": self.exact,
            "abs_error": finite_or_none(self.abs_error),
            "passed": self.passed,
        }


@dataclass(frozen=True)
class FunctionCheck:
    """The verdict on one function of the student's file."""

    name: str
    kind: str  # numerical_diff, numerical_gradient or gradient_descent
    verdict: Verdict
    summary: str
    diagnoses: tuple[Diagnosis, ...]
    probes: tuple[Probe, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "function": self.name,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "summary": self.summary,
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "probes": [p.to_dict() for p in self.probes],
        }


@dataclass(frozen=True)
class CodeResult(Displayed):
    """``numdiff check --code FILE``: each function found, run in a subprocess and judged."""

    file: str
    functions: tuple[FunctionCheck, ...]
    strict: bool = False

    @property
    def right(self) -> bool:
        return all(f.verdict is Verdict.RIGHT for f in self.functions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "verdict": (Verdict.RIGHT if self.right else Verdict.WRONG).value,
            "strict": self.strict,
            "functions": [f.to_dict() for f in self.functions],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per call, for CSV."""
        return [{"file": self.file, "function": f.name, "kind": f.kind, **p.to_dict()} for f in self.functions for p in f.probes]
