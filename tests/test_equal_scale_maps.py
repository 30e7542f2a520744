"""Maps whose two axes are both coordinates (grad --plot, descend --plot) draw one unit as long
across as up, so x0² + x1²'s contours are circles and −∇f meets them at a right angle."""

from __future__ import annotations

import pytest

import numdiff_cli as nd
from numdiff_cli.plots import descent_paths, gradient_field
from numdiff_cli.plots.coordinate_axes import coordinate_box
from numdiff_cli.plots.libraries import pyplot

pytest.importorskip("matplotlib")


def _units(ax) -> tuple[float, float]:
    """Pixels per data unit across and up, as the saved figure draws them."""
    ax.figure.canvas.draw()  # the aspect is applied at drawing
    box = ax.get_window_extent()
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    return box.width / (x_high - x_low), box.height / (y_high - y_low)


@pytest.mark.parametrize("make", [
    lambda: descent_paths.figure(nd.descend(plot=True)),
    lambda: descent_paths.figure(nd.descend(lr=[0.1, 0.5], plot=True)),
    lambda: gradient_field.figure(nd.grad("x0^2 + x1^2", at=(3, 4), field=True)),
], ids=["descend", "descend comparison", "grad"])
def test_descend_plot_draws_circles_as_circles_like_grad_plot(make):
    fig = make()
    try:
        across, up = _units(fig.axes[0])
        assert across == pytest.approx(up, rel=1e-3)
    finally:
        pyplot().close(fig)


def test_a_box_stretched_past_the_limit_keeps_the_figures_shape():
    plt = pyplot()
    fig, (square, strip) = plt.subplots(1, 2)
    try:
        assert coordinate_box(square, ((0, 4), (0, 3)), ("x", "y"))
        assert not coordinate_box(strip, ((0, 100), (0, 1)), ("x", "y"))
        assert strip.get_aspect() == "auto" and strip.get_xlim() == (0, 100) and strip.get_xlabel() == "x"
        across, up = _units(square)
        assert across == pytest.approx(up, rel=1e-3)
    finally:
        plt.close(fig)
