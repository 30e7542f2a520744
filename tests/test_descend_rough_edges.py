"""Rough edges of `numdiff descend` found by trying it: each test is named for the bug it keeps away."""

from __future__ import annotations

import json
import math
import re

import pytest
from test_i18n import _recording, invoke

import numdiff_cli as nd
from numdiff_cli import i18n


@pytest.fixture(autouse=True)
def language_after():
    before = i18n.current()
    yield
    i18n.restore(before)


def _first_frozen_step(run: nd.DescentResult) -> int:
    """The first step of the trace from which the numerical gradient is exactly 0 to the end."""
    frozen = len(run.trace)
    while frozen and not any(run.trace[frozen - 1].grad_numeric):
        frozen -= 1
    return run.trace[frozen].step


def test_diverged_run_whose_numerical_gradient_vanished_says_it_froze_not_converged():
    # x² + 3y², lr = 1: y is multiplied by 1 − 6 = −5 each step, until y + h == y (|y| ≥ 2⁴⁰ for h = 1e-4)
    # and f(x ± h) rounds to one double: the central difference is exactly 0 and x stands still.
    run = nd.descend("x^2+3y^2", (1, 1), lr=1, keep_all=True)
    frozen = _first_frozen_step(run)
    assert run.status == "diverged" and run.frozen_at == frozen
    assert all(row.x == run.final_x for row in run.trace[frozen:]) and run.trace[frozen - 1].x != run.final_x
    assert abs(run.final_x[1]) >= 2.0**40 and run.final_x[1] + 1e-4 == run.final_x[1]
    assert f"from step {frozen} on the numerical gradient is exactly 0" in run.message
    assert "so x froze there" in run.message and "this is not a minimum" in run.message
    exact = math.hypot(2 * run.final_x[0], 6 * run.final_x[1])
    assert f"the exact gradient has norm {exact:.3g}" in run.message
    assert run.to_dict()["frozen_at"] == frozen


def test_a_tolerance_met_by_a_vanished_numerical_gradient_is_not_convergence():
    # ‖∇f‖ = 0 < tol stops the run at the first frozen step; it is still a diverged run, not a minimum.
    run = nd.descend("x^2+3y^2", (1, 1), lr=1, tol=1e-6)
    assert run.status == "diverged" and run.steps == run.frozen_at
    assert "converged" not in run.message and f"from step {run.steps} on" in run.message


def test_a_run_that_never_moved_because_x_plus_h_is_x_says_so_from_step_0():
    run = nd.descend("x^2", 1e13)
    assert run.status == "stalled" and run.frozen_at == 0 and run.final_x == (1e13,)
    assert "from step 0 on the numerical gradient is exactly 0" in run.message
    assert "x + h == x itself at a coordinate of size 1e+13" in run.message and "norm 2e+13" in run.message


def test_an_ascent_that_ran_off_a_saddle_names_the_step_it_froze():
    run = nd.descend("x^2-y^2", (1, 0.001), lr=0.4, steps=300, keep_all=True)
    assert run.status == "unbounded" and run.frozen_at == _first_frozen_step(run)
    assert f"from step {run.frozen_at} on" in run.message and "f has no minimum along this path" in run.message


def test_an_exact_minimum_reached_is_not_called_frozen():
    # (w·2 − 3)², lr = 1/8 = 1/λ: one step lands on w = 1.5, where both gradients are exactly 0.
    run = nd.descend("(w*x - y)^2", {"w": 0.5, "x": 2, "y": 3}, wrt="w", lr=0.125)
    assert run.status == "converged" and run.final_x == (1.5,) and run.frozen_at is None


def test_json_of_a_frozen_run_keeps_its_keys_and_adds_frozen_at(run):
    result = run("descend", "x^2+3y^2", "--from", "1,1", "--lr", "1", "--json")
    data = json.loads(result.stdout)
    zero = [row["step"] for row in data["trace"] if row["grad_numeric"] == [0.0, 0.0]]
    assert data["status"] == "diverged" and data["frozen_at"] == zero[0] and zero == list(range(zero[0], 101))
    assert {"expression", "variables", "lr", "optimizer", "start", "status", "trace", "final"} <= set(data)


def test_the_frozen_verdict_is_korean_whole_with_its_numbers(monkeypatch):
    missing = _recording(monkeypatch)
    korean = invoke("descend", "x^2", "--from", "1e13", "--lang", "ko").stdout
    assert missing == set()
    assert "0단계부터 수치 기울기가 정확히 0입니다" in korean and "2e+13" in korean and "frozen" not in korean


TEXTBOOK = ["descend", "x^2/20 + y^2", "--from", "-7,2", "--optimizer", "sgd:0.95,momentum:0.1,adagrad:1.5,adam:0.3",
            "--steps", "30", "--grad", "analytic"]


def test_one_learning_rate_for_all_optimizers_could_not_draw_the_textbooks_figure():
    runs = nd.descend("x^2/20 + y^2", (-7, 2), optimizer=["sgd:0.95", "momentum:0.1", ("adagrad", 1.5), "adam:0.3"],
                      steps=30, gradient="analytic").runs
    assert [(r.optimizer, r.lr) for r in runs] == [("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5), ("adam", 0.3)]
    # Plain descent at 0.95 multiplies x by 1 − 0.95/10 and y by 1 − 0.95·2 each step: it ran at its own rate.
    assert runs[0].final_x == pytest.approx((-7 * 0.905**30, 2 * (-0.9) ** 30), rel=1e-12)


def test_each_runs_own_learning_rate_is_in_the_table_json_and_csv(run):
    table = run(*TEXTBOOK)
    assert table.exit_code == 0, table.output
    for line in ("lr = 0.95, sgd:", "lr = 0.1, momentum:", "lr = 1.5, adagrad:", "lr = 0.3, adam:"):
        assert line in table.stdout
    data = json.loads(run(*TEXTBOOK, "--json").stdout)
    assert [(r["optimizer"], r["lr"]) for r in data] == [("sgd", 0.95), ("momentum", 0.1), ("adagrad", 1.5),
                                                         ("adam", 0.3)]
    rows = run(*TEXTBOOK, "--csv").stdout.splitlines()[1:]
    assert {tuple(row.split(",")[:2]) for row in rows} == {("0.95", "sgd"), ("0.1", "momentum"), ("1.5", "adagrad"),
                                                          ("0.3", "adam")}


def test_a_name_without_its_own_rate_takes_the_single_lr():
    runs = nd.descend("x^2", 1, optimizer=["sgd:0.25", "adam"], lr=0.3, steps=3).runs
    assert [(r.optimizer, r.lr) for r in runs] == [("sgd", 0.25), ("adam", 0.3)]
    assert runs[0].final_x == pytest.approx((0.5**3,), rel=1e-9)  # x ← x − 0.25·2x halves x each step


@pytest.mark.parametrize(("args", "sentence"), [
    (["--optimizer", "sgd:0.95,adam", "--lr", "0.1,0.3"],
     "error: --optimizer gives sgd its own learning rate, so --lr may give only one rate (to the optimizers without "
     "their own), not 2\n"),
    (["--optimizer", "sgd:0.95,adam:0.3", "--lr", "0.2"],
     "error: every optimizer in --optimizer has its own learning rate, so --lr 0.2 would apply to none\n"),
    (["--optimizer", "sgd:fast"],
     "error: --optimizer pairs an optimizer with its learning rate as NAME:LR (adam:0.3, LR a positive number), "
     "not 'sgd:fast'\n"),
    (["--optimizer", "sgd:0"], None),
    (["--optimizer", "adam:0.3", "--lr-sweep", "0.01:1"],
     "error: --lr-sweep chooses the learning rates, so --optimizer takes a name without one\n"),
])
def test_a_pairing_that_conflicts_is_refused_in_one_sentence(run, args, sentence):
    result = run("descend", "x^2", "--from", "1", *args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and result.stdout == ""
    assert sentence is None or result.stderr == sentence


def test_the_pictures_legend_names_each_runs_learning_rate():
    from numdiff_cli.plots.descent_paths import label

    result = nd.descend("x^2/20 + y^2", (-7, 2), optimizer=["sgd:0.95", "adam:0.3"], steps=5)
    assert [label(r, result) for r in result.runs] == ["sgd, lr = 0.95: max_steps", "adam, lr = 0.3: max_steps"]


@pytest.mark.parametrize("args", [
    ["--optimizer", "sgd:0.95,adam", "--lr", "0.1,0.3"], ["--optimizer", "sgd:0.95,adam:0.3", "--lr", "0.2"],
    ["--optimizer", "sgd:fast"], ["--optimizer", "adam:0.3", "--lr-sweep", "0.01:1"],
])
def test_a_refused_pairing_is_one_korean_sentence(args, monkeypatch):
    missing = _recording(monkeypatch)
    korean = invoke("descend", "x^2", "--from", "1", *args, "--lang", "ko")
    assert korean.exit_code == 2 and missing == set() and korean.stderr.startswith("오류: ")


def _at_width(width: int, *args: str) -> str:
    from typer.testing import CliRunner

    from numdiff_cli.cli import app

    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", [
    ["descend", "--lr-sweep", "0.01:1.2:3"],
    ["descend", "x^2+3y^2", "--from", "1,1", "--steps", "3"],
    ["descend", "x^2+3y^2", "--from", "1,1", "--lr", "0.1,0.2", "--steps", "3"],
    ["descend", "(w*x - y)^2", "--from", "w=0.5,x=2,y=3", "--wrt", "w", "--steps", "3"],
], ids=" ".join)
def test_a_narrow_title_breaks_between_groups_never_inside_a_point(args):
    for width in range(36, 90, 3):
        lines = _at_width(width, *args).splitlines()
        title = " ".join(line.strip() for line in lines[:3])
        for group in ("(-3.0, 4.0)", "(x0, x1) = ", "(1.0, 1.0)", "(x, y) = ", "w = 0.5", "x = 2.0", "h = 0.0001",
                      "(w*x - y)**2"):
            if group.replace(" ", "") in title.replace(" ", ""):
                assert any(group in line for line in lines[:4]), (width, group, lines[:4])


def test_the_lr_sweep_title_at_60_columns_keeps_the_start_point_whole():
    head = _at_width(60, "descend", "--lr-sweep", "0.01:1.2").splitlines()[:2]
    assert head == ["gradient descent on f = x0**2 + x1**2 from",
                    "(x0, x1) = (-3.0, 4.0), optimizer sgd, 100 steps, at 13"]


def test_a_two_point_cycle_away_from_lr_2_over_lambda_is_not_called_the_edge_of_stability():
    # x⁴ at lr 0.5 from 1: x − 0.5·4x³ maps 1 to −1 and back; λ = 12x² = 12 there, lr·λ = 6, not 2.
    cycle = nd.descend("x^4", 1, lr=0.5, gradient="analytic", steps=10)
    assert cycle.status == "oscillating" and cycle.final_x == (1.0,)
    assert "edge of stability" not in cycle.message and "a cycle of two points" in cycle.message
    # x² at lr 1 = 2/λ: x ↦ −x, the edge itself.
    edge = nd.descend("x^2", 1, lr=1, gradient="analytic", steps=10)
    assert edge.status == "oscillating" and "the learning rate 1 is at the edge of stability" in edge.message


def test_an_f_that_overflows_is_not_called_undefined():
    # x² at lr 3: x_k = (−5)^k, and f = 25^k passes the largest double (1.8e308) at k = 221.
    overflow = nd.descend("x^2", 1, lr=3, gradient="analytic", steps=1000)
    first = math.ceil(math.log(1.7976931348623157e308) / math.log(25))
    assert overflow.status == "diverged" and overflow.steps == first
    assert f"at step {first} f grew past what a double can hold" in overflow.message
    assert "undefined" not in overflow.message
    # x² + sqrt(x) at lr 1 from 1: x − 2.5 = −1.5, where sqrt is undefined.
    undefined = nd.descend("x^2 + sqrt(x)", 1, lr=1, gradient="analytic")
    assert undefined.final_x == (-1.5,) and "step 1 landed where f is undefined" in undefined.message


def test_a_learned_w_is_not_called_x_when_the_data_x_is_held():
    stalled = nd.descend("(w*x - y)^2", {"w": 0.5, "x": 2, "y": 3}, wrt="w", lr=1e-9)
    assert stalled.status == "stalled" and stalled.message.startswith("w moved only 8e-07 in 100 steps")
    bouncing = nd.descend("(w*x - y)^2", {"w": 0.5, "x": 2, "y": 3}, wrt="w", lr=0.25)  # λ = 2x² = 8: lr = 2/λ
    assert bouncing.status == "oscillating" and bouncing.message.startswith("w bounces between two sides")
    both = nd.descend("(w*x + b - y)^2", {"w": 0.5, "b": 0, "x": 2, "y": 3}, wrt="w,b", lr=1e-9)
    assert both.message.startswith("(w, b) moved only")
    assert nd.descend("x^2", 1, lr=1e-9).message.startswith("x moved only")  # nothing held: the lecture's x


@pytest.mark.parametrize("args", [
    ["x", "--from", "1"],  # a steady fall: f is linear
    ["x^4", "--from", "1", "--lr", "0.5", "--grad", "analytic"],
    ["x^2", "--from", "1", "--lr", "3", "--grad", "analytic", "--steps", "300"],
    ["(w*x - y)^2", "--from", "w=0.5,x=2,y=3", "--wrt", "w", "--lr", "1e-9"],
], ids=" ".join)
def test_these_descend_verdicts_are_korean_whole(args, monkeypatch):
    missing = _recording(monkeypatch)
    korean = invoke("descend", *args, "--lang", "ko")
    assert korean.exit_code == 0 and missing == set(), missing
    assert not {"went", "bounces", "moved", "double", "climb", "fall"} & set(re.findall("[a-z]+", korean.stdout))


def test_a_numerical_gradient_zero_by_truncation_at_the_minimum_is_converged_not_frozen():
    # The central difference is f′ + h²f‴/6 + …: it is exactly 0 where f′ = −h²·24x/6, 4.5e-8 from zero
    # at x ≈ 1.13, the best it can do, and not a gradient lost in rounding.
    run = nd.descend("x^4 - 3x^2 + x", 2, lr=0.05, keep_all=True)
    x = run.final_x[0]
    assert run.trace[-1].grad_numeric == (0.0,) and run.trace[-1].grad_analytic[0] == pytest.approx(-1e-8 * 4 * x,
                                                                                                     rel=1e-3)
    assert run.status == "converged" and run.frozen_at is None and "local minimum" in run.message


def test_a_start_frozen_by_a_large_constant_is_not_called_converged():
    # 1e20 + (w − 3)²: f(w ± h) differ by 4h·3 = 1.2e-3, far below the gap between doubles near 1e20 (16384),
    # so the numerical gradient is exactly 0 at w = 0, 3 away from the minimum; the exact gradient is 6.
    run = nd.descend("1e20 + (w-3)^2", 0)
    assert run.status == "stalled" and run.final_x == (0.0,) and run.frozen_at == 0
    assert "(f = 1e+20 there, h = 0.0001)" in run.message and "exact gradient has norm 6: this is not a minimum" in \
        run.message
    # x² + 1 from 1e-15: as frozen, but at the minimum to within 1e-15.
    assert nd.descend("x^2 + 1", 1e-15).status == "converged"


@pytest.mark.parametrize("args", [
    ["--optimizer", "sgd:0.1,sgd:0.1"],  # was: the same run twice, its rows printed twice
    ["--optimizer", "sgd,sgd", "--lr", "0.1,0.1"],
])
def test_a_run_given_twice_is_made_once(run, args):
    done = run("descend", "x^2", "--from", "1", "--steps", "3", *args, "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert isinstance(data, dict) and data["lr"] == 0.1 and data["optimizer"] == "sgd"
