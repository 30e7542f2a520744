"""Make the README's pictures: python docs/make_pictures.py [FOLDER] (default docs/images).

Each picture is one entry of PICTURES: its file name and the numdiff command that draws it
(``--plot FILE`` is added). A test runs this script into a temporary folder, so it fails when a
command here no longer runs.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from numdiff_cli.cli import app

FOLDER = Path(__file__).resolve().parent / "images"
PICTURES = {
    "secants.png": ["diff", "sin(x)", "--at", "1", "--h", "0.5"],
    "secants.gif": ["diff", "sin(x)", "--at", "1"],
    "sweep.png": ["diff", "sin(x)", "--at", "1", "--sweep"],
    "gradient_field.png": ["grad", "x*y", "--at", "1,2"],
    # the textbook's chapter-6 figure: each optimizer at its own learning rate, 30 steps of the exact gradient
    "optimizers.png": ["descend", "x^2/20 + y^2", "--from", "-7,2", "--optimizer", "sgd:0.95,momentum:0.1,adagrad:1.5,adam:0.3",
                       "--steps", "30", "--grad", "analytic"],
    "learning_rates.png": ["descend", "--lr", "0.1,10,1e-10"],
    "lr_sweep.png": ["descend", "x^2 + 3y^2", "--from", "1,1", "--lr-sweep", "1e-3:1:25"],
}


def make(name: str, command: list[str], folder: Path) -> Path:
    """Draw one picture into ``folder``; raise if the command fails."""
    path = folder / name
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as errors:
        # no time budget: a busy machine must not make the script fail
        code = app(["--timeout", "0", *command, "--plot", str(path)], prog_name="numdiff", standalone_mode=False)
    if code:
        raise RuntimeError(f"numdiff {' '.join(command)} failed ({code}): {errors.getvalue().strip()}")
    return path


def main(folder: Path = FOLDER) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, command in PICTURES.items():
        print(make(name, command, folder))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
