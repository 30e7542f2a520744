"""Time ``--derivation``: the derivative worked out rule by rule, against sympy's own diff.

CPU seconds (the machine may be shared), sympy's cache cleared before each run, best of 3.
Run by hand: python benchmarks/derivation_speed.py
"""

from __future__ import annotations

import time

from sympy.core.cache import clear_cache

from numdiff_cli import parsing, points, symbolic
from numdiff_cli.rule_by_rule import derivation

CASES = {
    "sin(x^2)": "sin(x^2)",
    "the quotient": "x*exp(-x^2)/(1+x^2)",
    "sigmoid(x)^2": "sigmoid(x)^2",
    "nested, 8 deep": "sin(cos(tan(exp(log(sqrt(x^2+1))))))*x^3/(1+x^2)^2*exp(-x)*atan(x^x)",
    "40-term sum": " + ".join(f"{i}*x^{i}*sin({i}*x)" for i in range(1, 41)),
    "sin nested 40 deep": "sin(" * 40 + "x" + ")" * 40,
}


def best(function, *args, **kwargs) -> float:
    times = []
    for _ in range(3):
        clear_cache()
        start = time.process_time()
        function(*args, **kwargs)
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    print(f"{'expression':<22}{'steps':>7}{'derivation s':>14}{'sympy diff s':>14}")
    for name, text in CASES.items():
        expr = parsing.parse_expression(text)
        x = points.ordered_variables([expr])[0]
        steps = sum(tree.size for tree in derivation(expr, x).trees)
        ours = best(derivation, expr, x)  # includes sympy's diff, for the table's form
        theirs = best(symbolic.derivative, expr, x)
        print(f"{name:<22}{steps:>7}{ours:>14.3f}{theirs:>14.3f}")


if __name__ == "__main__":
    main()
