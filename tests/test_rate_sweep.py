"""descend --lr-sweep: each rate's run against the closed form of gradient descent on a quadratic."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import numdiff_cli as nd
from numdiff_cli.cli import app
from numdiff_cli.learning_rates import rates


def _quadratic(a: np.ndarray, b: np.ndarray) -> str:
    """½xᵀAx + bᵀx over x0, x1, ... as text."""
    n = len(b)
    terms = [f"({float(a[i, j]) / 2!r})*x{i}*x{j}" for i in range(n) for j in range(n)]
    return " + ".join(terms + [f"({float(b[i])!r})*x{i}" for i in range(n)])


@pytest.mark.parametrize("seed", range(4))
def test_each_rate_ends_where_the_closed_form_says(seed):
    """x_k = x* + (I − lr·A)^k (x0 − x*): below 2/λmax the distance shrinks, above it the run diverges."""
    rng = np.random.default_rng(seed)
    n = 2 + seed % 2
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    eigenvalues = rng.uniform(0.5, 4, n)
    a = np.round(q @ np.diag(eigenvalues) @ q.T, 3)
    a = (a + a.T) / 2
    b = np.round(rng.normal(size=n), 3)
    x0 = np.round(rng.uniform(-3, 3, n), 2)
    lambda_max = np.linalg.eigvalsh(a)[-1]
    minimum = np.linalg.solve(a, -b)
    steps = 60
    sweep = nd.descend(_quadratic(a, b), tuple(x0), lr_sweep=(0.01, 10, 25), steps=steps, gradient="analytic")
    assert sweep.minimum_source == "quadratic"
    np.testing.assert_allclose(sweep.minimum, minimum, rtol=1e-9, atol=1e-12)
    assert sweep.lambda_max == pytest.approx(lambda_max, rel=1e-9)
    assert sweep.marks == pytest.approx((1 / lambda_max, 2 / lambda_max))
    for row in sweep.rows:
        if abs(row.lr * lambda_max - 2) < 0.05:
            continue  # at the edge, rounding decides
        if row.lr * lambda_max < 2:
            exact = minimum + np.linalg.matrix_power(np.eye(n) - row.lr * a, steps) @ (x0 - minimum)
            np.testing.assert_allclose(row.final_x, exact, rtol=1e-6, atol=1e-9)
            assert row.distance == pytest.approx(np.linalg.norm(exact - minimum), rel=1e-6, abs=1e-9)
            assert row.distance < np.linalg.norm(x0 - minimum) and row.status.value != "diverged"
            assert row.region.value == ("too_small" if row.lr * lambda_max < 1 else "right")
        else:
            assert row.status.value == "diverged" and row.region.value == "too_large"
            assert row.distance is None or row.distance > np.linalg.norm(x0 - minimum)


def test_the_rates_are_log_spaced_and_bad_specs_are_refused():
    np.testing.assert_allclose(rates("1e-3:1"), 10 ** np.linspace(-3, 0, 13))
    assert rates((0.1, 10, 3)).tolist() == pytest.approx([0.1, 1, 10])
    runner = CliRunner()
    refusals = {
        "1:1e-3": "--lr-sweep needs 0 < LO < HI",
        "0:1": "--lr-sweep needs 0 < LO < HI",
        "1e-3:inf": "--lr-sweep needs 0 < LO < HI",
        "a:b": "--lr-sweep takes LO:HI or LO:HI:N",
        "1": "--lr-sweep takes LO:HI or LO:HI:N",
        "1:2:3:4": "--lr-sweep takes LO:HI or LO:HI:N",
        "1e-3:1:1": "--lr-sweep runs N = 2 to 50 learning rates, not 1",
        "1e-3:1:2.5": "--lr-sweep runs N = 2 to 50 learning rates, not 2.5",
        "1e-3:1:51": "--lr-sweep runs N = 2 to 50 learning rates, not 51",
    }
    for spec, sentence in refusals.items():
        done = runner.invoke(app, ["descend", "x^2", "--from", "1", f"--lr-sweep={spec}"])
        assert done.exit_code == 2 and done.stderr.startswith(f"error: {sentence}"), (spec, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stdout == ""
    for extra, sentence in ((["--lr", "0.1"], "takes no --lr"), (["--optimizer", "sgd,adam"], "runs one optimizer")):
        done = runner.invoke(app, ["descend", "x^2", "--from", "1", "--lr-sweep", "0.01:1", *extra])
        assert done.exit_code == 2 and sentence in done.stderr


def test_without_a_quadratic_the_minimum_is_where_the_converged_runs_agree():
    sweep = nd.descend("cosh(x) + (y - 1)^2", (1, 3), lr_sweep="0.01:3:9", gradient="analytic")
    assert sweep.minimum_source == "converged"
    assert sweep.minimum == pytest.approx((0, 1), abs=1e-7)
    assert sweep.lambda_max_at == "minimum" and sweep.lambda_max == pytest.approx(2)  # cosh'' = 1, (y-1)²'' = 2
    converged = [row for row in sweep.rows if row.status.value == "converged"]
    assert converged and all(row.distance < 1e-7 for row in converged)


def test_with_no_minimum_there_is_no_distance_and_the_marks_come_from_the_start():
    sweep = nd.descend("x^4 + y^2", (-1, 2), lr_sweep="0.001:0.1:3")
    assert sweep.minimum is None and all(row.distance is None for row in sweep.rows)
    assert sweep.lambda_max_at == "start" and sweep.lambda_max == pytest.approx(12)  # 12x² at x = -1
    table = CliRunner().invoke(app, ["descend", "x^4 + y^2", "--from", "-1,2", "--lr-sweep", "0.001:0.1:3"]).stdout
    assert "no minimum is known for certain" in " ".join(table.split())


def test_json_csv_and_table_agree():
    args = ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "1e-3:1"]
    runner = CliRunner()
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["lr_sweep"] == {"low": 1e-3, "high": 1.0, "count": 13}
    assert set(data) >= {"minimum", "lambda_max", "lambda_max_at", "marks", "rates", "steps", "optimizer"}
    assert data["marks"] == {"one_over_lambda_max": pytest.approx(1 / 6), "two_over_lambda_max": pytest.approx(1 / 3)}
    assert [set(row) for row in data["rates"]][0] == {
        "lr", "region", "status", "steps", "final_x", "final_f", "grad_norm", "distance", "message"}
    csv = runner.invoke(app, [*args, "--csv"]).stdout.splitlines()
    assert csv[0] == "lr,region,status,steps,final_f,grad_norm,distance,x,y" and len(csv) == 14
    table = runner.invoke(app, args, env={"COLUMNS": "80", "NO_COLOR": "1"}).stdout
    lines = [line.split() for line in table.splitlines() if line.strip()]
    firsts = [words[0] for words in lines]
    # 1/λmax = 1/6 falls between lr = 0.1 and 0.17783, 2/λmax between 0.31623 and 0.56234
    assert firsts.index("0.16667") == firsts.index("0.1") + 1 and lines[firsts.index("0.16667")][2] == "1/λmax"
    assert firsts.index("0.33333") == firsts.index("0.31623") + 1
    rows = {words[0]: words for words in lines if words[0] in ("0.1", "0.17783", "1")}
    assert rows["0.1"][1:3] == ["too", "small"] and rows["0.17783"][1] == "right" and rows["1"][3] == "diverged"
