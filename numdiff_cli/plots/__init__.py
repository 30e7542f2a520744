"""Pictures of results: in the terminal (plotext) or to a file (matplotlib, headless).

A front end: it draws the result objects the tables and JSON come from and never computes a
derivative again. Loading this package loads neither plotting library; each loads when a
picture is asked for, so ``numdiff --help`` and every command without ``--plot`` start as fast.

- :mod:`.target`: what ``--plot TARGET`` means (``term`` or a file) and its checks.
- :mod:`.libraries`: the lazy, headless import of matplotlib and of plotext.
- :mod:`.textplot`: a plotext figure sized to the terminal, colourless when piped.
- :mod:`.draw`: one picture module per result type, and writing its figure to the target.
- One module per picture (:mod:`.secants`, :mod:`.step_errors`), each with ``figure(result)``
  (a matplotlib Figure) and ``terminal(result, width)`` (text).
"""

from numdiff_cli.plots.draw import draw
from numdiff_cli.plots.libraries import require
from numdiff_cli.plots.target import PlotTarget, parse_target

__all__ = ["PlotTarget", "draw", "parse_target", "require"]
