"""numdiff check at a point where f′ has no value (sqrt(x) at 0): a row that says so, the other
points checked as usual; the error only where every point asked is such."""

from __future__ import annotations

import json

import pytest

import numdiff_cli as nd
from numdiff_cli.results.check import PointStatus, Verdict


def test_check_with_an_undefined_derivative_at_one_point_still_checks_the_others(run):
    # sqrt(x)′ = 1/(2 sqrt(x)): undefined at 0, 1/2 at 1 (the claim is that very formula: right)
    done = run("check", "sqrt(x)", "--claim", "1/(2*sqrt(x))", "--at", "0", "--at", "1", "--json")
    assert done.exit_code == 0 and done.stderr == "", done.output  # a right claim: exit 0, as the README says
    data = json.loads(done.stdout)
    assert data["verdict"] == "right"
    zero, one = data["points"]
    assert zero == {"at": {"x": 0.0}, "claim": [None], "exact": [None], "abs_error": [None],
                    "status": "derivative_undefined", "note": "f′ is undefined at x = 0: no claim to check there"}
    assert (one["status"], one["exact"], one["claim"]) == ("right", [0.5], [0.5])
    table = run("check", "sqrt(x)", "--claim", "1/(2*sqrt(x))", "--at", "0", "--at", "1").stdout
    assert "f′ undefined" in table and "note: x = 0.0: f′ is undefined at x = 0: no claim to check there" in table


def test_a_wrong_claim_is_still_wrong_beside_an_undefined_point(run):
    # 1/sqrt(x) is twice sqrt(x)′: wrong at 1 (1 against 1/2), exit code 1; 0 is the undefined row
    done = run("check", "sqrt(x)", "--claim", "1/sqrt(x)", "--at", "0", "--at", "1", "--json")
    assert done.exit_code == 1 and done.stderr == "", done.output
    statuses = [p["status"] for p in json.loads(done.stdout)["points"]]
    assert statuses == ["derivative_undefined", "wrong"]


def test_a_partial_undefined_at_a_point_names_itself():
    # f = x·∛y: ∂f/∂y = x/(3 y^(2/3)) is undefined at y = 0, ∂f/∂x = ∛y = 0 is not
    result = nd.check("x*y^(1/3)", "[y^(1/3), x/(3*y^(2/3))]", at=["1,0", "1,8"])
    undefined, checked = result.points
    assert undefined.status is PointStatus.DERIVATIVE_UNDEFINED
    assert undefined.exact == (0.0, None)
    assert undefined.note == "∂f/∂y is undefined at (x, y) = (1, 0): no claim to check there"
    assert checked.status is PointStatus.RIGHT and checked.exact == pytest.approx((2.0, 1 / 12))
    assert result.verdict is Verdict.RIGHT


def test_the_error_stays_where_no_point_asked_has_a_derivative(run):
    done = run("check", "sqrt(x)", "--claim", "1/(2*sqrt(x))", "--at", "0")
    assert done.exit_code == 1 and done.stdout == ""
    assert done.stderr.strip() == "error: the derivative 1/(2*sqrt(x)) is undefined at x = 0"


def test_the_undefined_row_is_said_in_korean(run):
    done = run("--lang", "ko", "check", "sqrt(x)", "--claim", "1/(2*sqrt(x))", "--at", "0", "--at", "1")
    assert done.exit_code == 0, done.output
    assert "f′ 정의 안 됨" in done.stdout and "여기서는 확인할 답이 없습니다" in done.stdout
