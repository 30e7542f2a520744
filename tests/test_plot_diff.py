"""The pictures of `numdiff diff`: tangent and secants (and their .gif), and the error against h.

The data handed to matplotlib is checked against the result and against closed forms:
f = sin at x = 1 has f' = cos 1, forward slope (sin 1.5 - sin 1)/0.5 at h = 0.5, and so on.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import numdiff_cli as nd
from numdiff_cli import api
from numdiff_cli.plots import secants, step_errors
from numdiff_cli.plots.libraries import pyplot


@pytest.fixture
def figure():
    """Build a figure with ``make(result)`` and close it after the test."""
    made = []

    def make(module, result):
        made.append(module.figure(result))
        return made[-1]

    yield make
    for fig in made:
        pyplot().close(fig)


def _line(fig, gid):
    return next(line for line in fig.axes[0].get_lines() if line.get_gid() == gid)


def _slope(line) -> float:
    (x0, x1), (y0, y1) = line.get_xdata()[:2], line.get_ydata()[:2]
    return (y1 - y0) / (x1 - x0)


# --- tangent and secants ---------------------------------------------------------------------


def test_the_tangent_has_the_exact_slope_and_each_secant_its_methods_value(figure):
    picture = api.secants("sin(x)", 1, h=0.5)
    fig = figure(secants, picture)
    rows = {row.method: row for row in picture.diff.points[0].numeric}
    assert _slope(_line(fig, "tangent")) == pytest.approx(math.cos(1), rel=1e-12)
    assert _slope(_line(fig, "tangent")) == pytest.approx(picture.diff.points[0].analytic, rel=1e-12)
    assert _slope(_line(fig, "forward")) == pytest.approx(rows["forward"].value, rel=1e-12)
    assert _slope(_line(fig, "central")) == pytest.approx(rows["central"].value, rel=1e-12)
    assert rows["forward"].value == pytest.approx((math.sin(1.5) - math.sin(1)) / 0.5, rel=1e-12)
    assert rows["central"].value == pytest.approx(math.sin(1.5) - math.sin(0.5), rel=1e-12)
    # where each secant meets f: forward at x and x+h, central at x-h and x+h
    forward, central = _line(fig, "forward points"), _line(fig, "central points")
    assert list(forward.get_xdata()) == [1.0, 1.5] and list(central.get_xdata()) == [0.5, 1.5]
    assert list(central.get_ydata()) == pytest.approx([math.sin(0.5), math.sin(1.5)])
    # the lines pass through those points, so at h = 0.5 they are visibly apart from the tangent
    assert _slope(_line(fig, "tangent")) - _slope(_line(fig, "forward")) > 0.2


def test_the_picture_shows_f_around_the_point_labelled(figure):
    picture = api.secants("sin(x)", 1, h=0.5)
    fig = figure(secants, picture)
    ax = fig.axes[0]
    curve = _line(fig, "f")
    assert np.allclose(curve.get_ydata(), np.sin(curve.get_xdata()))
    low, high = ax.get_xlim()
    assert low < 0.5 and high > 1.5  # every point a secant uses is in view
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "f(x)" and "sin(x)" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "tangent, exact slope f′ = 0.540302" in labels
    assert any(label.startswith("forward secant through x, x+h, h = 0.5: slope 0.312048") for label in labels)


@pytest.mark.parametrize(("expression", "undefined"), [("log(x)", lambda x: x <= 0), ("sqrt(x)", lambda x: x < 0)])
def test_f_is_drawn_where_it_is_defined(figure, expression, undefined):
    picture = api.secants(expression, 0.3, h=0.2)
    fig = figure(secants, picture)
    xs, ys = _line(fig, "f").get_xdata(), _line(fig, "f").get_ydata()
    assert undefined(xs).any()  # the window reaches past the domain
    assert np.isnan(ys[undefined(xs)]).all()
    assert np.isfinite(ys[xs > 0.1]).all()


def test_the_two_branches_of_a_pole_are_not_joined(figure):
    picture = api.secants("1/x", 0.3, h=0.2)
    fig = figure(secants, picture)
    xs, ys = _line(fig, "f").get_xdata(), _line(fig, "f").get_ydata()
    low, high = fig.axes[0].get_ylim()
    assert low > 0 and high < 30  # the view is the point's neighbourhood, not the pole's spike
    near = np.abs(xs) < 0.01
    assert np.isnan(ys[near]).any()


def test_several_variables_draw_f_along_the_one_differentiated(figure):
    picture = api.secants("x^2*y", {"x": 1, "y": 3}, wrt="x", h=0.5)
    curve = _line(figure(secants, picture), "f")
    assert np.allclose(curve.get_ydata(), 3 * curve.get_xdata() ** 2)


def test_the_gif_shows_the_sweeps_secants_as_h_shrinks(run, tmp_path):
    from PIL import Image

    picture = api.secants("sin(x)", 1, animated=True)
    steps = picture.sweep.steps
    assert steps[0] == 1.0 and steps[-1] == pytest.approx(1e-16) and len(steps) <= 40
    assert all(a > b for a, b in zip(steps, steps[1:]))
    columns = {c.method: c for c in picture.sweep.columns}
    for i, frame in enumerate(picture.frames):
        for secant in frame:
            assert secant.h == steps[i] and secant.slope == columns[secant.method].values[i]
    # at h = 1 the secants are far off; at 1e-8 central is close; at 1e-16 (x + h == x) forward is 0
    first, middle, last = picture.frames[0], picture.frames[16], picture.frames[-1]
    assert all(s.error > 1e-2 for s in first) and middle[1].error < 1e-6
    assert last[0].slope == 0.0
    path = tmp_path / "secants.gif"
    result = run("--timeout", "0", "diff", "sin(x)", "--at", "1", "--plot", str(path))  # no budget on a busy machine
    assert result.exit_code == 0, result.output
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == len(picture.frames)
    assert path.stat().st_size < 500_000


def test_diff_plot_writes_each_still_format(run, tmp_path):
    for name, magic in [("f.png", b"\x89PNG"), ("f.svg", b"<?xml"), ("f.pdf", b"%PDF")]:
        result = run("diff", "sin(x)", "--at", "1", "--h", "0.5", "--plot", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_bytes().startswith(magic)
        assert result.stderr == f"picture written to {tmp_path / name}\n"
        assert "exact f′ = 0.5403023058681398" in result.stdout  # the table as without --plot


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--at", "1", "--at", "2"], "--plot draws the tangent and secants of a first derivative at one --at point"),
        (["--at", "1", "--order", "2"], "--plot draws the tangent and secants of a first derivative at one --at point"),
        (["--at", "1", "--sweep"], "--plot takes 'term' or a file ending .png, .svg or .pdf, not a .gif file"),
    ],
)
def test_what_the_picture_cannot_draw_is_one_sentence(run, tmp_path, args, sentence):
    result = run("diff", "sin(x)", *args, "--plot", str(tmp_path / "f.gif"))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {sentence}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_the_secants_in_the_terminal(run):
    picture = api.secants("sin(x)", 1, h=0.5)
    text = secants.terminal(picture, 60, coloured=False)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 60 and "\x1b[" not in text
    plot = "\n".join(lines[:-4])
    for mark in "tfc·":
        assert mark in plot
    assert "┤" in plot and "┬" in plot  # the axes and their ticks
    assert "t tangent (slope 0.540302)" in text
    coloured = secants.terminal(picture, 60, coloured=True)
    assert "\x1b[38;" in coloured and "\x1b[48;" not in coloured  # colour on the data, no painted background
    piped = run("diff", "sin(x)", "--at", "1", "--h", "0.5", "--plot", "term")
    assert piped.exit_code == 0 and "t tangent (slope 0.540302)" in piped.stdout and "\x1b[" not in piped.stdout


def test_secants_too_close_to_the_tangent_to_see_say_which_h_shows_them(figure):
    """At the lecture's h = 1e-4 the three lines coincide over x = 0.5 .. 1.5: the picture says so and
    names an h a quarter of that width; at h = 0.5 they are apart and nothing is said."""
    close, apart = api.secants("sin(x)", 1), api.secants("sin(x)", 1, h=0.5)
    note = "at h = 1e-4 the secants lie on the tangent at this scale: --h 0.25 shows them apart"
    assert secants.apart_note(close) == note and secants.apart_note(apart) is None
    assert note in " ".join(secants.terminal(close, 120, coloured=False).split())
    assert figure(secants, close).axes[0].get_legend().get_title().get_text() == note


# --- the error against h ---------------------------------------------------------------------


def test_the_sweep_carries_the_theorys_constants():
    result = nd.sweep("sin(x)", 1)
    columns = {c.method: c for c in result.columns}
    # truncation: forward f''/2 h, central f'''/6 h^2, five-point f^(5)/30 h^4
    assert columns["forward"].truncation_constant == pytest.approx(math.sin(1) / 2, rel=1e-12)
    assert columns["central"].truncation_constant == pytest.approx(math.cos(1) / 6, rel=1e-12)
    assert columns["five-point"].truncation_constant == pytest.approx(math.cos(1) / 30, rel=1e-12)
    assert result.value == pytest.approx(math.sin(1)) and result.epsilon == 2.0**-52
    data = json.loads(json.dumps(result.to_dict()))
    assert data["value"] == result.value and data["epsilon"] == 2.0**-52
    assert data["methods"]["forward"]["truncation_constant"] == columns["forward"].truncation_constant


def test_the_error_against_h_is_the_sweeps_on_log_axes(figure):
    result = nd.sweep("sin(x)", 1)
    fig = figure(step_errors, result)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel().startswith("step h") and ax.get_ylabel().startswith("absolute error")
    for column in result.columns:
        line = _line(fig, column.method)
        shown = [(h, e) for h, e in zip(result.steps, column.abs_errors) if h > 1e-17 and e]
        assert list(line.get_xdata()) == [h for h, _ in shown] and list(line.get_ydata()) == [e for _, e in shown]
        truncation = _line(fig, f"truncation {column.method}")
        hs = np.asarray(truncation.get_xdata())
        assert np.allclose(truncation.get_ydata(), column.truncation_constant * hs**column.accuracy)
        best = _line(fig, f"best {column.method}")
        assert list(best.get_xdata()) == [column.best_h]
        assert list(best.get_ydata()) == [column.abs_errors[result.steps.index(column.best_h)]]
    rounding = _line(fig, "rounding")
    hs = np.asarray(rounding.get_xdata())
    assert np.allclose(rounding.get_ydata(), 2.0**-52 * math.sin(1) / hs)
    assert list(_line(fig, "lecture step").get_xdata()) == [1e-4, 1e-4]


def test_the_truncation_lines_have_slopes_1_2_and_4(figure):
    fig = figure(step_errors, nd.sweep("sin(x)", 1))
    for method, p in [("forward", 1), ("central", 2), ("five-point", 4)]:
        line = _line(fig, f"truncation {method}")
        x, y = np.log10(line.get_xdata()), np.log10(line.get_ydata())
        assert np.allclose(np.diff(y) / np.diff(x), p)


def test_h_1e_50_is_marked_at_the_left_edge_and_said_in_words(figure):
    result = nd.sweep("sin(x)", 1)
    fig = figure(step_errors, result)
    marker = _line(fig, "tiny step")
    assert list(marker.get_xdata()) == [fig.axes[0].get_xlim()[0]]
    assert list(marker.get_ydata()) == pytest.approx([math.cos(1)])  # every method returns 0: error |f'|
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("h = 1e-50: x + h == x, so every formula gives 0, error |f′(x)| = 0.54" in t for t in texts)
    assert any("lecture's h = 1e-4" in t for t in texts)


def test_in_float32_h_1e_50_is_0_and_rounding_uses_float32s_epsilon(figure):
    result = nd.sweep("sin(x)", 1, dtype="float32")
    fig = figure(step_errors, result)
    assert "(float32)" in fig.axes[0].get_title()
    rounding = _line(fig, "rounding")
    assert rounding.get_ydata()[0] * rounding.get_xdata()[0] == pytest.approx(2.0**-23 * math.sin(1), rel=1e-6)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("h = 1e-50 is 0 in float32: every formula divides 0 by 0" in t for t in texts)


@pytest.mark.parametrize("columns", [60, 120])
def test_the_error_against_h_in_the_terminal(columns):
    text = step_errors.terminal(nd.sweep("sin(x)", 1), columns, coloured=False)
    assert max(len(line) for line in text.splitlines()) == columns and "\x1b[" not in text  # as wide as asked
    assert "1e-3" in text and "1e0" in text  # log ticks as powers of ten
    assert "f forward" in text and "c central" in text and "5 five-point" in text and "*" in text
    assert "x + h == x" in text


def test_sweep_plot_term_on_the_command_line(run):
    result = run("diff", "sin(x)", "--at", "1", "--sweep", "--plot", "term")  # piped, COLUMNS=160
    assert result.exit_code == 0 and "f forward" in result.stdout and "\x1b[" not in result.stdout
    frame = next(line for line in result.stdout.splitlines() if "┌" in line)
    assert len(frame) == 160


def test_what_log_axes_cannot_show_is_said(figure):
    # x^2: central's truncation term f'''/6 h^2 is 0; x at 0: every error is exactly 0
    labels = [t.get_text() for t in figure(step_errors, nd.sweep("x^2", 3)).axes[0].get_legend().get_texts()]
    assert "central, leading truncation term 0 here" in labels
    assert "five-point, leading truncation term 0 here" in labels
    result = nd.sweep("x", 0)
    fig = figure(step_errors, result)
    exact = _line(fig, "exact forward")
    assert list(exact.get_xdata()) == [h for h in result.steps if h > 1e-17]  # all on the axis, at its bottom
    assert set(exact.get_ydata()) == {fig.axes[0].get_ylim()[0]}
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "rounding ε·|f|/h: 0 here, as f(x) = 0" in labels
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("at x = 0, x + h is a number of its own, so it works" in t for t in texts)


@pytest.mark.parametrize(
    ("expression", "at", "options", "title", "note"),
    [
        ("log(x)", 2, {"order": 6}, "d⁶/dx⁶ of log(x)", "error |f⁽⁶⁾(x)| = 1.9"),  # f⁽⁶⁾ = −120/x⁶ = −1.875
        ("x^2*y", "x=2,y=3", {"wrt": "y"}, "∂/∂y of x**2*y", "y + h == y, so every formula gives 0, error |∂f/∂y| = 4"),
    ],
    ids=["sixth derivative", "partial"],
)
def test_the_sweep_picture_names_the_derivative_it_shows(figure, expression, at, options, title, note):
    # it said d/dx and |f′(x)| whatever the order and the variable
    fig = figure(step_errors, nd.sweep(expression, at, **options))
    assert f"Error against step h: {title} at" in fig.axes[0].get_title()
    assert any(note in t.get_text() for t in fig.axes[0].texts)
