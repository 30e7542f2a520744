"""--lang ko for --explain, --derivation, --lr-sweep and check: every sentence and word they show
has its Korean, the numbers in the Korean sentences are the English ones, and JSON and CSV are the
same in every language."""

from __future__ import annotations

import re

import pytest
from test_i18n import _recording, invoke

from numdiff_cli import i18n

CHECK_DATA = "tests/data/check"

# Beyond the README's examples: each kind of sentence these features build (the --explain of every
# method and verdict, a folded and a second-order tree, a sweep of another optimizer and of a
# function that is not a quadratic, each slip a claim can have, each bug a student's code can have).
SHOWN = [
    ["diff", "sin(x)", "--at", "1", "--explain", "-m", "forward", "-m", "five-point", "-m", "richardson", "-m",
     "complex-step"],
    ["diff", "log(x)", "--at", "2", "-n", "4", "--explain", "-m", "complex-step"],  # circles, a contradicting one
    ["diff", "exp(x)", "--at", "1", "-n", "2"],  # the complex step's row note
    ["diff", "exp(x)", "--at", "1", "-n", "2", "--explain", "-m", "complex-step"],  # every circle agrees
    ["diff", "x^3", "--at", "1", "--explain", "--h", "1e-9"],  # rounding outweighs truncation
    ["diff", "x^2", "--at", "3", "--explain", "--h", "0.1", "-m", "forward"],  # truncation, the actual error
    ["diff", "1/x", "--at", "1e-3", "--explain", "--h", "0.01", "-m", "forward"],  # a pole within the stencil
    ["diff", "sqrt(x)", "--at", "0", "--explain"],  # no derivative
    ["diff", "x^3*exp(x)", "--derivation", "--order", "2", "--depth", "1"],  # two trees, folded
    ["grad", "x0^2*x1 + sigmoid(x0*x1) + abs(log(x1))", "--at", "1,2", "--derivation"],
    ["diff", "erf(x^2) + x^x", "--at", "1", "--derivation"],  # sympy's step, logarithmic differentiation
    ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "0.01:1:5", "--optimizer", "adam"],
    ["descend", "x^4 + y^2", "--from", "1,1", "--lr-sweep", "0.01:1:5"],
    ["descend", "-(x^2 + y^2)", "--from", "1,1", "--lr-sweep", "0.01:1:5", "--ascent"],
    ["check", "x^2*sin(x)", "--claim", "2x*sin(x)"],  # half a product rule
    ["check", "x^2 + y^2", "--claim", "[2y, 2x]"],  # swapped partials
    ["check", "x^2 + y^2", "--claim", "2y", "--wrt", "x"],  # another variable's partial
    ["check", "x^3 + 5", "--claim", "3x^2 + 5"],  # a constant term kept
    ["check", "sin(x)/x", "--claim", "(x*cos(x) + sin(x))/x^2"],  # a quotient rule's sign
    ["check", "2^x", "--claim", "x*2^(x-1)"],  # the power rule on an exponential
    ["check", "cos(x)", "--claim", "sin(x)"],  # a rule's sign
    ["check", "x^3", "--claim", "x^4/4"],  # an antiderivative
    ["check", "x/abs(x)", "--claim", "0", "--at", "0"],  # no derivative at the point
    ["check", "x^2", "--claim", "2x", "--at", "1"],  # right
    *(["check", "--code", f"{CHECK_DATA}/{name}.py"] for name in
      ("descent_bugs", "integer", "not_restored", "tiny_h", "flat_batch", "modifies_x", "lecture")),
]


@pytest.fixture(autouse=True)
def language_after():
    before = i18n.current()
    yield
    i18n.restore(before)


@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_everything_these_features_show_has_a_korean_translation(args, monkeypatch):
    missing = _recording(monkeypatch)
    result = invoke(*args, "--lang", "ko")
    assert result.exit_code in (0, 1), result.output
    assert missing == set()


@pytest.mark.parametrize("args", [
    ["diff", "0.01x^2 + 0.1x", "--at", "5", "-m", "forward", "--h", "1e-50", "--explain"],
    ["diff", "sin(x)", "--at", "1", "--explain", "-m", "richardson", "-m", "complex-step"],
    ["diff", "sin(x^2)/x", "--derivation"],
    ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "0.01:1:9"],
    ["check", "sin(x^2)", "--claim", "cos(x^2)", "--at", "1", "--at", "2"],
    ["check", "abs(x)", "--claim", "1"],
    ["check", "x/abs(x)", "--claim", "0", "--at", "0"],
    ["check", "--code", f"{CHECK_DATA}/descent_bugs.py"],
])
def test_json_is_the_same_in_every_language(args):
    english, korean = invoke(*args, "--json"), invoke(*args, "--json", "--lang", "ko")
    assert english.exit_code == korean.exit_code and english.stdout == korean.stdout
    assert not re.search("[가-힣]", korean.stdout)


@pytest.mark.parametrize("args", [
    ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "0.01:1:9"],
    ["check", "abs(x)", "--claim", "1"],
    ["check", "--code", f"{CHECK_DATA}/forward.py"],
])
def test_csv_is_the_same_in_every_language(args):
    assert invoke(*args, "--csv").stdout == invoke(*args, "--csv", "--lang", "ko").stdout


def test_the_lecture_failing_step_is_explained_in_korean_with_its_numbers():
    # h = 1e-50 is far below half the gap between doubles near 5 (4.4e-16): x + h == x, the result is 0.0
    korean = invoke("diff", "0.01x^2 + 0.1x", "--at", "5", "-m", "forward", "--h", "1e-50", "--explain", "--lang",
                    "ko").stdout
    assert "x = 5.0에서 forward" in korean and "정확한 f′ = 0.2" in korean
    assert "간격 8.9e-16의 절반보다 작으므로" in korean and "그래서 h = 1e-50이면 결과가 0.0입니다." in korean
    assert "모든 자릿수가 상쇄됨(16자리 중)" in korean
    assert "because" not in korean and "digits cancel" not in korean


def test_a_derivation_names_its_rules_in_korean():
    korean = invoke("diff", "sin(x^2)/x", "--derivation", "--lang", "ko").stdout
    for rule in ("몫의 법칙", "연쇄법칙", "삼각함수 법칙", "거듭제곱 법칙", "변수 법칙"):
        assert rule in korean
    assert "f′, 법칙별로:" in korean and "sympy의 표기: 2*cos(x**2) - sin(x**2)/x**2" in korean
    assert "rule" not in korean


def test_a_folded_tree_says_in_korean_how_many_steps_it_hides():
    # sin(x^2)/x at depth 1: the quotient's two parts are shown, the chain rule's two steps below sin(x^2) hidden
    korean = invoke("diff", "sin(x^2)/x", "--derivation", "--depth", "1", "--lang", "ko").stdout
    english = invoke("diff", "sin(x^2)/x", "--derivation", "--depth", "1").stdout
    hidden = re.findall(r"… (\d+) more steps? \(--depth (\d+) shows", english)
    assert hidden and [f"… 단계 {n}개 더 있음(--depth {d}로 보기)" in korean for n, d in hidden] == [True] * len(hidden)


def test_the_learning_rate_regions_are_korean_and_where_the_closed_form_puts_them():
    # f = x² + 3y²: the Hessian is diag(2, 6), so λmax = 6, 1/λmax = 0.16667 and 2/λmax = 0.33333
    korean = invoke("descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "0.1:0.5:3", "--lang", "ko").stdout
    rows = {line.split()[0]: line for line in korean.splitlines() if re.match(r"\s+0\.\d+\s+(──|너무|적당)", line)}
    assert "너무 작음" in rows["0.1"] and "적당함" in rows["0.22361"] and "너무 큼" in rows["0.5"]
    assert "── 1/λmax" in rows["0.16667"] and "── 2/λmax" in rows["0.33333"]
    said = " ".join(korean.split())
    assert "최솟값에서 λmax = 6" in said and "1/λmax = 0.16667" in said and "2/λmax = 0.33333" in said


def test_one_english_word_is_two_korean_ones_where_it_means_two_things():
    # "right" is a claim that is right (맞음) and a learning rate that is right (적당함)
    claim = invoke("check", "x^2", "--claim", "2x", "--at", "1", "--lang", "ko").stdout
    sweep = invoke("descend", "x^2", "--from", "1", "--lr-sweep", "0.6:0.9:2", "--lang", "ko").stdout
    assert "맞음" in claim and "적당함" not in claim
    assert "적당함" in sweep and "맞음" not in sweep


def test_a_wrong_claim_and_its_slip_in_korean():
    korean = invoke("check", "sin(x^2)", "--claim", "cos(x^2)", "--at", "1", "--lang", "ko")
    assert korean.exit_code == 1
    assert "틀림: f′ − 답 = (2*x - 1)*cos(x**2)" in korean.stdout
    assert "힌트: 연쇄법칙: d/dx sin(x**2) = 2*x*cos(x**2). 속함수의 도함수가 빠졌습니다: d/dx x**2 = 2*x" in \
        korean.stdout.replace("\n", " ").replace("  ", " ")


def test_a_partly_right_claim_names_its_regions_in_korean():
    korean = invoke("check", "abs(x)", "--claim", "1", "--lang", "ko").stdout
    assert "일부만 맞음: x > 0에서는 맞고, x < 0에서는 틀립니다" in korean


def test_a_students_forward_difference_is_named_in_korean():
    korean = invoke("check", "--code", f"{CHECK_DATA}/forward.py", "--lang", "ko")
    assert korean.exit_code == 1
    text = " ".join(korean.stdout.split())
    assert "numerical_gradient (forward.py, 수치 기울기): 틀림" in text
    assert "전방차분, h ≈ 0.0001. 호출 8번 중 1번 맞음(상대 오차 1e-06 이내)." in text
    assert "버그: 중앙차분 대신 전방차분 (f(x+h) − f(x))/h를 썼습니다" in text


@pytest.mark.parametrize(("args", "sentence"), [
    (["descend", "x^2", "--from", "1", "--lr-sweep", "1:0.1"], "오류: --lr-sweep에는 유한한 0 < LO < HI가 필요합니다"),
    (["descend", "x^2", "--from", "1", "--lr-sweep", "0.1:1:1"], "오류: --lr-sweep은 학습률 N = 2부터 50개까지 실행합니다"),
    (["check", "--code", "README.md"], "오류: --code에는 파이썬 파일(.py)을 주어야 합니다. 받은 파일: README.md"),
    (["check", "x^2", "--claim", "2y"], "오류: --claim에 f에 없는 y이(가) 쓰였습니다(f의 변수: x)"),
    (["diff", "x^2", "--derivation", "--csv"], "오류: --derivation은 트리라서 CSV에 담을 수 없습니다: --json을 쓰세요"),
])
def test_the_errors_of_these_features_are_one_korean_sentence(args, sentence):
    korean, english = invoke(*args, "--lang", "ko"), invoke(*args)
    assert korean.exit_code == english.exit_code == 2
    assert korean.stderr.startswith(sentence) and korean.stderr.count("\n") == 1, korean.stderr
