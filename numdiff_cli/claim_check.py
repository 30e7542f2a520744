"""The core of ``numdiff check EXPR --claim D``: is D the derivative of EXPR, and if not, why not.

The verdict on the formula is symbolic: a numeric screen at random points of the domain
first (cheap, and it finds almost every wrong claim at once), then sympy simplifies f′ − D
under a time limit. A wrong claim gets its simplified difference, the slips that explain it
exactly (:mod:`numdiff_cli.slips`), and, where f or D has a corner (abs, sign, max …), the sign
regions on which it is right and wrong. The table compares D with the exact derivative at the
points given, or at random points (seeded, so a run can be repeated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from numdiff_cli import points, slips, symbolic
from numdiff_cli.errors import LimitError, MathError, UsageError
from numdiff_cli.i18n import Listing, Message
from numdiff_cli.results.check import (
    ClaimPoint,
    ClaimResult,
    Component,
    Hint,
    PointStatus,
    Proof,
    Region,
    Slip,
    Verdict,
)
from numdiff_cli.timeout import remaining, time_limit

SHOWN = 8  # random points in the table
POOL = 400  # random candidates for the screen and the regions
SPREAD = 4.0  # random coordinates are uniform in [-SPREAD, SPREAD], to two decimals
SIMPLIFY_SECONDS = 5.0  # or a third of what is left of the command's budget, if less
AGREE = 1e-12  # relative agreement of exact values at a point that counts as right
EXACT_SAMPLES = 3  # screened points where a difference sympy leaves standing is evaluated exactly
NONZERO = 1e-24  # an exact difference above this share of f′ is not 0 (30-digit values: noise is ~1e-30)
_CORNERS = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)

Point = dict[sp.Symbol, float]


def check_claim(
    f: sp.Expr,
    claims: Sequence[sp.Expr],
    variables: Sequence[sp.Symbol],
    wrt: Sequence[sp.Symbol],
    *,
    at: Sequence[Point] | None = None,
    seed: int = 0,
) -> ClaimResult:
    """Judge ``claims[i]`` as ∂f/∂``wrt[i]``.

    ``at`` gives the points of the table (doubles, every variable); without it the table shows
    random points of the domain drawn with ``seed``.

    Raises
    ------
    UsageError
        Where a claim uses a variable f does not have.
    MathError
        Where no random point has f, f′ and the claim all finite (and no ``at`` was given).

    Examples
    --------
    >>> from numdiff_cli.parsing import parse_expression
    >>> x = sp.Symbol("x", real=True)
    >>> result = check_claim(parse_expression("sin(x^2)"), [parse_expression("cos(x^2)")], [x], [x])
    >>> result.verdict.value, result.components[0].hints[0].slip.value
    ('wrong', 'chain_rule')
    """
    extra = sorted({s.name for c in claims for s in c.free_symbols} - {v.name for v in variables})
    if extra:
        raise UsageError(
            "{claim} uses {names}, which f does not have (its variables: {listing})",
            parameter="claim",
            names=", ".join(extra),
            listing=", ".join(v.name for v in variables) or "none",
        )
    truths = [symbolic.derivative(f, v) for v in wrt]
    partials = {v: symbolic.derivative(f, v) for v in variables}
    pool = _sample(f, truths, claims, variables, seed)
    if at is None and not len(pool[variables[0]] if variables else []):
        raise MathError(
            "no random point in [-{spread:g}, {spread:g}] has f, f′ and the claim all finite; give points with {at}",
            parameter="at",
            spread=SPREAD,
        )
    values = slips.values_at([*truths, *claims], variables, pool)
    agrees = [slips.agree(values[i], values[len(truths) + i]) for i in range(len(truths))]
    components, proof, notes = [], Proof.SYMBOLIC, []
    drawn = len(pool[variables[0]]) if variables else 0
    samples = [{v: float(pool[v][k]) for v in variables} for k in range(min(EXACT_SAMPLES, drawn))]
    for i, (v, truth, claim) in enumerate(zip(wrt, truths, claims)):
        verdict, difference, numeric, note = _judge(truth, claim, agrees[i], samples)
        proof = Proof.NUMERIC if numeric else proof
        notes += [note] if note else []
        hints = () if verdict is Verdict.RIGHT else _hints(f, v, truth, claim, variables, pool, partials, claims, wrt, i)
        components.append(Component(v.name, str(truth), str(claim), verdict, difference, hints))
    right_at = np.all([_close(values[i], values[len(truths) + i]) for i in range(len(truths))], axis=0)
    regions = () if all(agrees) else _regions([f, *truths, *claims], variables, pool, right_at)
    verdict = _overall(components, regions)
    shown = at if at is not None else [{v: float(pool[v][k]) for v in variables} for k in range(min(SHOWN, len(right_at)))]
    rows = tuple(_row(f, wrt, truths, claims, point) for point in shown)
    if at is not None and all(row.status is PointStatus.DERIVATIVE_UNDEFINED for row in rows):
        _raise_undefined(f, wrt, truths, shown[0])  # no point left to check: the first one's error, as it stands
    return ClaimResult(
        expression=str(f),
        variables=tuple(v.name for v in variables),
        components=tuple(components),
        verdict=verdict,
        proof=proof,
        message=_message(verdict, components, regions, rows, proof, given=at is not None, defined_only=bool(notes)),
        points=rows,
        seed=None if at is not None else seed,
        regions=regions,
        notes=tuple(notes),
    )


def claimed_variables(
    f: sp.Expr, claims: Sequence[sp.Expr], variables: Sequence[sp.Symbol], wrt: str | Sequence[str] | None
) -> tuple[sp.Symbol, ...]:
    """The variable of each claim: ``wrt`` (text, comma-separated, or names), else every variable in order.

    Raises
    ------
    UsageError
        For one claim of a function of several variables without ``wrt``, a count of claims that is
        not the count of variables, or a name that is not a variable of f.
    """
    if len(claims) == 1 and wrt is None and len(variables) > 1:
        raise UsageError(
            "f has the variables {names}: name the variable of the claimed partial derivative with {wrt}, "
            "or claim the whole gradient as [{partials}]",
            parameter="wrt",
            names=", ".join(v.name for v in variables),
            partials=", ".join(f"∂f/∂{v.name}" for v in variables),
        )
    names = wrt.split(",") if isinstance(wrt, str) else wrt
    if len(claims) == 1 and (names is None or len(names) == 1):
        return (points.choose_variable(f, None if names is None else names[0].strip()),)
    chosen = points.choose_variables(variables, None if names is None else [n.strip() for n in names])
    if len(chosen) != len(claims):
        raise UsageError(
            "{claim} should hold one derivative per variable ({names}), not {count}",
            parameter="claim",
            count=len(claims),
            size=len(chosen),
            names=", ".join(v.name for v in chosen),
        )
    return chosen


def _sample(
    f: sp.Expr, truths: Sequence[sp.Expr], claims: Sequence[sp.Expr], variables: Sequence[sp.Symbol], seed: int
) -> dict[sp.Symbol, np.ndarray]:
    """Random points, one array per variable, where f, every f′ and every claim are finite and real."""
    rng = np.random.default_rng(seed)
    # to two decimals, for a table a person reads; never 0, where corners and special values sit
    candidates = {v: np.round(rng.uniform(-SPREAD, SPREAD, POOL), 2) for v in variables}
    candidates = {v: np.where(c == 0, 0.01, c) for v, c in candidates.items()}
    if not variables:
        return {}
    values = slips.values_at([f, *truths, *claims], variables, candidates)
    keep = np.all([np.isfinite(v) for v in values], axis=0)
    return {v: c[keep] for v, c in candidates.items()}


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) <= slips.SAME * (1 + np.abs(b))


def _judge(
    truth: sp.Expr, claim: sp.Expr, screened_equal: bool, samples: Sequence[Point]
) -> tuple[Verdict, str | None, bool, str | None]:
    """The verdict on one claim: (verdict, simplified f′ − claim or None, proved only numerically, note).

    ``samples`` are points of the screen where f′ − claim, if sympy leaves it standing, is evaluated
    exactly: a difference below the screen's tolerance (a claim of 2.00000000000001·x for 2x) is
    still not 0 there."""
    raw = slips.rational(truth) - slips.rational(claim)
    try:
        with time_limit(min(SIMPLIFY_SECONDS, max(remaining() / 3, 0.1)), "simplifying f′ − claim"):
            # simplify may trade a plain sum for a shorter-looking but stranger form (sqrt(2)*cos(x + pi/4))
            difference = min(sp.simplify(raw), sp.expand(raw), key=sp.count_ops)
    except LimitError:
        if screened_equal:
            return Verdict.RIGHT, None, True, None
        return Verdict.WRONG, str(raw), False, None
    if difference == 0:
        return Verdict.RIGHT, None, False, None
    if difference.is_number and difference.is_zero is False:
        # a nonzero constant, however small next to f′, is off everywhere: proved wrong
        return Verdict.WRONG, str(difference), False, None
    if screened_equal and isinstance(difference, sp.Piecewise):
        # x/abs(x) for abs(x): 0 except where the claim is undefined (nan), which the samples missed
        undefined = [cond for value, cond in difference.args if value is sp.nan]
        if all(value == 0 or value is sp.nan for value, _ in difference.args) and undefined:
            where = " or ".join(_condition_text(c) for c in undefined)
            return Verdict.RIGHT, None, False, Message("the claim is undefined where {where}", where=where)
    if screened_equal and not _nonzero_at(difference, truth, samples):
        return Verdict.RIGHT, None, True, Message(
            "sympy leaves f′ − claim = {difference}, which is 0 at every sample point", difference=difference)
    return Verdict.WRONG, str(difference), False, None


def _nonzero_at(difference: sp.Expr, truth: sp.Expr, samples: Sequence[Point]) -> bool:
    """True where ``difference`` is, exactly (to 30 digits), not 0 at one of ``samples``: more than
    ``NONZERO`` of f′ there, far above the noise of an identity sympy could not simplify."""
    try:
        with time_limit(min(SIMPLIFY_SECONDS, max(remaining() / 3, 0.1)), "evaluating f′ − claim"):
            for point in samples:
                try:
                    value = symbolic.exact_value(difference, point, what="f′ − claim")
                    size = symbolic.exact_value(truth, point, what="f′")
                except MathError:
                    continue
                if abs(value) > NONZERO * max(1, abs(size)):
                    return True
    except LimitError:
        pass
    return False


def _condition_text(condition: sp.Basic) -> str:
    if isinstance(condition, sp.Eq):
        return f"{condition.lhs} = {condition.rhs}"
    return str(condition)


def _hints(
    f: sp.Expr,
    v: sp.Symbol,
    truth: sp.Expr,
    claim: sp.Expr,
    variables: Sequence[sp.Symbol],
    pool: Mapping[sp.Symbol, np.ndarray],
    partials: Mapping[sp.Symbol, sp.Expr],
    claims: Sequence[sp.Expr],
    wrt: Sequence[sp.Symbol],
    index: int,
) -> tuple[Hint, ...]:
    """The slips that explain one wrong claim, the gradient's own first (another variable's partial)."""
    found = []
    for other, partial in partials.items():
        if other != v and partial != truth and slips.proved_equal(partial, claim):
            swapped = other in wrt and slips.proved_equal(claims[list(wrt).index(other)], truth)
            if swapped and list(wrt).index(other) < index:
                continue  # said once, at the first of the two
            found.append(
                Hint(Slip.SWAPPED_COMPONENTS, Message(
                    "∂f/∂{v} and ∂f/∂{other} are swapped: a gradient lists them in variable order", v=v, other=other))
                if swapped
                else Hint(Slip.WRONG_VARIABLE, Message("the claim is ∂f/∂{other}, not ∂f/∂{v}", other=other, v=v))
            )
    return (*found, *slips.hints(f, v, truth, claim, variables, pool))


def _regions(
    exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol], pool: Mapping[sp.Symbol, np.ndarray], right: np.ndarray
) -> tuple[Region, ...]:
    """The sign regions of the corners' arguments (|x|: x > 0 and x < 0), each with the verdict at
    every sample point in it; only regions with two or more points, and only all-right or
    all-wrong ones, are established."""
    switches = sorted({s for e in exprs for s in _switches(e)}, key=sp.default_sort_key)
    if not switches or not len(right):
        return ()
    signs = np.sign(np.array(slips.values_at(switches, variables, pool)))  # one row per switch
    regions = []
    for pattern in sorted({tuple(column) for column in signs.T if 0 not in column and np.isfinite(column).all()}):
        inside = np.all(np.array(pattern) == signs.T, axis=1)
        count = int(inside.sum())
        if count < 2 or right[inside].any() != right[inside].all():
            continue
        halves = [_half(s, sign) for s, sign in zip(switches, pattern)]
        where = " and ".join(f"({h})" if " or " in h and len(halves) > 1 else h for h in halves)
        regions.append(Region(where, Verdict.RIGHT if right[inside].all() else Verdict.WRONG, count))
    return tuple(regions)


def _switches(expr: sp.Expr) -> list[sp.Expr]:
    """The expressions whose sign picks a branch of a corner of ``expr``: abs(u) -> u, max(a, b) -> a − b."""
    found = []
    for atom in expr.atoms(*_CORNERS):
        if isinstance(atom, (sp.Max, sp.Min)):
            if len(atom.args) == 2:
                found.append(atom.args[1] - atom.args[0] if atom.args[0].is_number else atom.args[0] - atom.args[1])
        else:
            found.append(atom.args[0])
    return [s for s in found if s.free_symbols]


def _half(switch: sp.Expr, sign: float) -> str:
    """``switch > 0`` (or < 0) as a person writes it: x > 0, x < 1, x < -1 or x > 1, x*y - 1 > 0."""
    relation = switch > 0 if sign > 0 else switch < 0
    if len(switch.free_symbols) == 1 and switch.is_polynomial():
        (variable,) = switch.free_symbols
        try:
            with time_limit(1.0, "solving where a corner switches"):
                solved = sp.solve_univariate_inequality(relation, variable, relational=False)
            pieces = solved.args if isinstance(solved, sp.Union) else (solved,)
            if all(isinstance(p, sp.Interval) for p in pieces):
                return " or ".join(_interval(variable, p) for p in pieces)
        except (LimitError, NotImplementedError, ValueError, TypeError):
            pass  # as it stands below
    return f"{switch} {'>' if sign > 0 else '<'} 0"


def _interval(variable: sp.Symbol, interval: sp.Interval) -> str:
    """An open interval as inequalities: x < 1, x > -1, -1 < x < 1."""
    low, high = interval.start, interval.end
    if low == -sp.oo:
        return f"{variable} < {high}"
    if high == sp.oo:
        return f"{variable} > {low}"
    return f"{low} < {variable} < {high}"


def _overall(components: Sequence[Component], regions: Sequence[Region]) -> Verdict:
    if all(c.verdict is Verdict.RIGHT for c in components):
        return Verdict.RIGHT
    if any(r.verdict is Verdict.RIGHT for r in regions) and any(r.verdict is Verdict.WRONG for r in regions):
        return Verdict.PARTLY_RIGHT
    return Verdict.WRONG


def _row(f: sp.Expr, wrt: Sequence[sp.Symbol], truths: Sequence[sp.Expr], claims: Sequence[sp.Expr], point: Point) -> ClaimPoint:
    """The claim beside the exact derivative at one point, to 30 digits; where the derivative has no
    value there (sqrt(x)'s at 0), a row that says so."""
    at = {v.name: value for v, value in point.items()}
    exact, claimed, reasons, undefined = [], [], [], []
    for v, truth, claim in zip(wrt, truths, claims):
        try:
            value, reason = symbolic.derivative_value(f, v, point, known=truth)
        except MathError as error:
            value, reason = None, None
            undefined.append(_undefined(error, "f′" if len(point) == 1 else f"∂f/∂{v.name}"))
        exact.append(None if value is None else float(value))
        reasons += [reason] if reason else []
        try:
            claimed.append(float(symbolic.exact_value(claim, point, what="the claim")))
        except MathError as error:
            claimed.append(None)
            reasons.append(_reason(error))
    if undefined:  # nothing to compare the claim with: the claim's own failure there is beside the point
        return ClaimPoint(at, tuple(claimed), tuple(exact), PointStatus.DERIVATIVE_UNDEFINED, Listing("; ", undefined))
    if None in exact:
        return ClaimPoint(at, tuple(claimed), tuple(exact), PointStatus.NO_DERIVATIVE, Listing("; ", reasons))
    if None in claimed:
        return ClaimPoint(at, tuple(claimed), tuple(exact), PointStatus.CLAIM_UNDEFINED, Listing("; ", reasons))
    right = all(abs(c - e) <= AGREE * max(1.0, abs(e)) for c, e in zip(claimed, exact))
    return ClaimPoint(at, tuple(claimed), tuple(exact), PointStatus.RIGHT if right else PointStatus.WRONG)


def _raise_undefined(f: sp.Expr, wrt: Sequence[sp.Symbol], truths: Sequence[sp.Expr], point: Point) -> None:
    """Raise the MathError of the first derivative undefined at ``point``."""
    for v, truth in zip(wrt, truths):
        symbolic.derivative_value(f, v, point, known=truth)


def _undefined(error: MathError, derivative: str) -> str:
    """The error's sentence said of ``derivative`` (f′, ∂f/∂x) rather than of its formula, which the
    panel above the table shows: "f′ is undefined at x = 0: no claim to check there"."""
    said = _reason(error)
    if isinstance(said, Message) and "what" in said.values:
        said = Message(said.template, **{**said.values, "what": derivative})
    return Listing(": ", [said, Message("no claim to check there")])


def _reason(error: MathError) -> str:
    """The error's sentence, kept as its template and values (so that it is shown translated) where
    it names no option."""
    template = error.args[0]
    if isinstance(template, Message):
        return template
    return Message(template, **error.values) if error.parameter is None else str(error)


def _message(
    verdict: Verdict,
    components: Sequence[Component],
    regions: Sequence[Region],
    rows: Sequence[ClaimPoint],
    proof: Proof,
    *,
    given: bool,
    defined_only: bool = False,
) -> str:
    """The verdict in one sentence."""
    if verdict is Verdict.RIGHT and defined_only and proof is Proof.SYMBOLIC:
        return Message("right: f′ − claim simplifies to 0 wherever the claim is defined")
    if verdict is Verdict.RIGHT:
        if proof is Proof.NUMERIC:
            return Message("right at every sample point, but not proved: sympy could not simplify f′ − claim to 0 "
                           "within {seconds:g} s", seconds=SIMPLIFY_SECONDS)
        return Message("right: f′ − claim simplifies to 0")
    if verdict is Verdict.PARTLY_RIGHT:
        right = ", or ".join(r.where for r in regions if r.verdict is Verdict.RIGHT)
        wrong = ", or ".join(r.where for r in regions if r.verdict is Verdict.WRONG)
        return Message("partly right: right for {right}, wrong for {wrong}", right=right, wrong=wrong)
    wrong = [c for c in components if c.verdict is not Verdict.RIGHT]
    differences = (
        wrong[0].difference if len(components) == 1
        else Listing(", ", [Message("∂f/∂{variable} − claim = {difference}", variable=c.variable, difference=c.difference)
                            for c in wrong])
    )
    if given and rows and all(r.status is PointStatus.RIGHT for r in rows):
        if len(components) == 1:
            return Message("wrong: f′ − claim = {differences}, though it gives the right value at the points asked",
                           differences=differences)
        return Message("wrong: {differences}, though it gives the right value at the points asked",
                       differences=differences)
    if len(components) == 1:
        return Message("wrong: f′ − claim = {differences}", differences=differences)
    return Message("wrong: {differences}", differences=differences)
