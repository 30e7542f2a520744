"""The pictures of grad, descend and descend --lr-sweep: the data given to matplotlib against the
result (and the closed form), and the terminal pictures' width and marks."""

from __future__ import annotations

import numpy as np
import pytest
from rich.cells import cell_len

import numdiff_cli as nd
from numdiff_cli.plots import descent_paths, gradient_field, rate_sweep
from numdiff_cli.plots.libraries import pyplot

PNG = b"\x89PNG\r\n\x1a\n"


def artist(fig, gid, index=0):
    """The artist (line or collection) called ``gid`` on axes ``index``."""
    ax = fig.axes[index]
    found = [a for a in [*ax.get_lines(), *ax.collections] if a.get_gid() == gid]
    assert found, f"no artist {gid!r}"
    return found[0]


@pytest.fixture
def close():
    figures = []
    yield figures.append
    for fig in figures:
        pyplot().close(fig)


# −∇f in closed form
EXACT = {
    "x*y": lambda x, y: (-y, -x),
    "sin(x0*x1)": lambda x, y: (-y * np.cos(x * y), -x * np.cos(x * y)),
}


@pytest.mark.parametrize("expression", EXACT)
def test_the_arrows_point_along_minus_the_exact_gradient(expression, close):
    result = nd.grad(expression, at=(1, 2), field=True, box="-3:3")
    fig = gradient_field.figure(result)
    close(fig)
    quiver = artist(fig, "field")
    x, y = np.meshgrid(result.field.arrow_x, result.field.arrow_y)
    np.testing.assert_allclose(quiver.X, x.ravel())
    np.testing.assert_allclose(quiver.Y, y.ravel())
    u, v = EXACT[expression](x.ravel(), y.ravel())
    drawn_u, drawn_v = np.asarray(quiver.U), np.asarray(quiver.V)
    steep = np.hypot(u, v) > 1e-3  # where the direction is well defined
    cosine = (drawn_u * u + drawn_v * v)[steep] / (np.hypot(drawn_u, drawn_v) * np.hypot(u, v))[steep]
    assert np.all(cosine > 1 - 1e-9)
    spacing = 6 / (len(result.field.arrow_x) - 1)
    assert np.max(np.hypot(drawn_u, drawn_v)) <= gradient_field.LONGEST * spacing * (1 + 1e-12)
    assert quiver.angles == "xy"  # directions in data units, whatever the aspect
    point = artist(fig, "gradient at the point")
    (gx, gy) = EXACT[expression](1.0, 2.0)
    assert np.asarray(point.X)[0] == 1 and np.asarray(point.Y)[0] == 2
    assert np.arctan2(np.asarray(point.V)[0], np.asarray(point.U)[0]) == pytest.approx(np.arctan2(gy, gx), abs=1e-6)
    assert artist(fig, "point").get_xydata().tolist() == [[1.0, 2.0]]
    assert fig.axes[0].get_xlim() == (-3, 3) and fig.axes[0].get_xlabel() in ("x", "x0")


def test_with_three_variables_the_title_says_which_are_drawn(close):
    fig = gradient_field.figure(nd.grad("x*y*z", at=(1, 2, 3), field=True))
    close(fig)
    assert "x and y drawn, z = 3.0 held fixed" in fig.axes[0].get_title()


def test_the_path_is_the_trace_and_f_is_on_a_log_axis(close):
    result = nd.descend(lr=[0.1, 10], plot=True, keep_all=True)
    fig = descent_paths.figure(result)
    close(fig)
    calm, wild = result.runs
    path = artist(fig, "path lr = 0.1: converged")
    np.testing.assert_array_equal(path.get_xydata(), [row.x for row in calm.trace])
    f_line = artist(fig, "f lr = 0.1: converged", index=1)
    np.testing.assert_array_equal(f_line.get_ydata(), [row.f for row in calm.trace])
    assert fig.axes[1].get_yscale() == "log" and fig.axes[1].get_xlabel() == "step"
    # the diverging run is cut at its first iterate outside the box, which its iterates do not stretch
    (x_low, x_high), (y_low, y_high) = result.landscape.box
    assert x_low <= -3 and x_high >= 0 and x_high - x_low < 5
    away = artist(fig, "path lr = 10: diverged (leaves the picture)").get_xydata()
    assert len(away) == 2 and away[1].tolist() == list(wild.trace[1].x)
    assert fig.axes[0].get_xlim() == (x_low, x_high)
    assert fig.axes[1].get_ylim()[1] < wild.final_f  # f's panel is not flattened by it either


def test_the_textbook_comparison_draws_four_optimizers_in_four_colours(close):
    result = nd.descend("x^2/20 + y^2", start=(-7, 2), optimizer=["sgd", "momentum", "adagrad", "adam"], plot=True)
    fig = descent_paths.figure(result)
    close(fig)
    paths = [line for line in fig.axes[0].get_lines() if (line.get_gid() or "").startswith("path")]
    assert [line.get_label().split(":")[0] for line in paths] == ["sgd", "momentum", "adagrad", "adam"]
    assert len({line.get_color() for line in paths}) == 4
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:4] == [p.get_label() for p in paths]
    assert artist(fig, "contours") is not None and artist(fig, "start").get_xydata().tolist() == [[-7.0, 2.0]]


def test_one_variable_draws_the_iterates_on_the_curve(close):
    result = nd.descend("x^4 - 3x^2 + x", start=2, lr=0.05, plot=True, keep_all=True)
    fig = descent_paths.figure(result)
    close(fig)
    curve = artist(fig, "f")
    np.testing.assert_allclose(curve.get_ydata(), [x**4 - 3 * x**2 + x for x in curve.get_xdata()], rtol=1e-12)
    path = artist(fig, "path sgd: converged")
    np.testing.assert_array_equal(path.get_xdata(), [row.x[0] for row in result.trace])
    np.testing.assert_array_equal(path.get_ydata(), [row.f for row in result.trace])
    # f − f_best, since f is negative at the minimum
    assert "f − f_best" in fig.axes[1].get_ylabel() and fig.axes[1].get_yscale() == "log"


def test_a_long_run_records_a_bounded_path_that_ends_at_the_last_step():
    from numdiff_cli.descent import PATH_POINTS

    run = nd.descend("x^2", start=1, lr=1e-6, steps=50_000, plot=True)
    assert len(run.iterates.steps) <= PATH_POINTS + 1 and run.iterates.steps[-1] == 50_000
    assert run.iterates.x[-1] == run.final_x and len(run.trace) <= 25  # the table's trace is as before


def test_the_sweep_marks_stand_at_one_and_two_over_lambda_max(close):
    sweep = nd.descend("x^2 + 3y^2", start=(1, 1), lr_sweep="1e-3:1:13")
    fig = rate_sweep.figure(sweep)
    close(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert artist(fig, "1/λmax").get_xdata()[0] == pytest.approx(1 / 6)
    assert artist(fig, "2/λmax").get_xdata()[0] == pytest.approx(1 / 3)
    converged = artist(fig, "converged")
    rows = [row for row in sweep.rows if row.status == "converged"]
    np.testing.assert_array_equal(converged.get_xdata(), [row.lr for row in rows])
    np.testing.assert_array_equal(converged.get_ydata(), [row.distance for row in rows])
    off = artist(fig, "off scale")  # the diverged runs, far above the others
    assert sorted(off.get_xdata()) == [row.lr for row in sweep.rows if row.status == "diverged"]
    assert {"region too_small", "region right", "region too_large"} <= {p.get_gid() for p in ax.patches}


@pytest.mark.parametrize(
    ("make", "module", "marks"),
    [
        (lambda: nd.grad("x*y", at=(1, 2), field=True), gradient_field, ["@ the point (1.0, 2.0)", "█"]),
        (lambda: nd.descend(lr=[0.1, 10], plot=True), descent_paths, ["o lr = 0.1: converged", "x lr = 10"]),
        (lambda: nd.descend("x^2", start=1, plot=True), descent_paths, ["o sgd: converged", "the iterates on f"]),
        (lambda: nd.descend("x^2 + 3y^2", start=(1, 1), lr_sweep="1e-3:1"), rate_sweep, ["1/λ", "2/λ", "c converged"]),
    ],
)
@pytest.mark.parametrize("columns", [60, 100])
def test_terminal_pictures_fit_and_have_axes_and_marks(make, module, marks, columns):
    text = module.terminal(make(), columns, coloured=False)
    assert "\x1b[" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= columns
    assert "└" in text and "┤" in text  # an axis with ticks
    for mark in marks:
        assert mark in text, mark


def test_the_commands_write_their_pictures(run, tmp_path):
    commands = {
        "grad.png": ["grad", "sin(x0*x1)", "--at", "1,2", "--range", "-3:3,-2:2"],
        "descend.png": ["descend", "x^2/20 + y^2", "--from", "-7,2", "--optimizer", "sgd,momentum,adagrad,adam"],
        "sweep.png": ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "1e-3:1"],
        "stream.png": ["descend", "--lr", "0.1,10", "--json"],  # JSON streamed, the path still recorded
    }
    for name, args in commands.items():
        result = run(*args, "--plot", str(tmp_path / name))
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / name).read_bytes()[:8] == PNG and result.stderr.endswith(f"picture written to {tmp_path / name}\n")


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["grad", "x*y", "--at", "1,2", "--range", "0:1"], "--range sets the box that --plot draws, so it needs --plot"),
        (["grad", "x^2", "--at", "1", "--plot", "term"], "--plot draws the gradient field of a function of two or more"),
        (["grad", "x*y, x+y", "--at", "1,2", "--plot", "term"], "--plot needs a single expression"),
        (["grad", "x*y", "--at", "1,2", "--plot", "term", "--range", "1:0"], "--range needs LO < HI, finite, not 1:0"),
    ],
)
def test_what_grad_cannot_draw_is_one_sentence(run, args, sentence):
    result = run(*args)
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {sentence}") and result.stderr.count("\n") == 1


def test_three_variables_draw_each_coordinate_against_the_step(close):
    result = nd.descend("x^2 + y^2 + z^2", start=(1, 2, 3), lr=[0.1, 10], plot=True, keep_all=True)
    fig = descent_paths.figure(result)
    close(fig)
    calm, wild = result.runs
    z = artist(fig, "coordinate z lr = 0.1: converged")
    np.testing.assert_array_equal(z.get_xdata(), [row.step for row in calm.trace])
    np.testing.assert_array_equal(z.get_ydata(), [row.x[2] for row in calm.trace])
    assert result.landscape is None and "3 variables, no map of f" in fig.axes[0].get_title()
    assert fig.axes[0].get_ylim()[1] < max(abs(v) for row in wild.trace for v in row.x)  # the diverging run is cut
