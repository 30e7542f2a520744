"""--plot TARGET: what a target may be, the libraries loaded only when asked for, and errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from numdiff_cli.errors import UsageError
from numdiff_cli.plots import libraries, parse_target

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", ["term", "TERM", " term "])
def test_term_is_the_terminal(text):
    target = parse_target(text)
    assert target.terminal and target.path is None and not target.animated


@pytest.mark.parametrize("name", ["f.png", "f.svg", "f.pdf", "F.PNG"])
def test_a_still_picture_file(tmp_path, name):
    target = parse_target(str(tmp_path / name))
    assert target.path == tmp_path / name and target.suffix == Path(name).suffix.lower() and not target.terminal


def test_a_gif_only_where_the_picture_moves(tmp_path):
    assert parse_target(str(tmp_path / "f.gif"), animated=True).animated
    with pytest.raises(UsageError, match=r"^plot takes 'term' or a file ending .png, .svg or .pdf, not a .gif"):
        parse_target(str(tmp_path / "f.gif"))


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("f.jpg", "--plot takes 'term' or a file ending .png, .svg or .pdf, not a .jpg file"),
        ("picture", "--plot takes 'term' or a file ending .png, .svg or .pdf, not a file without an extension"),
        ("missing/f.png", "--plot: there is no directory"),
        ("dir.png", "--plot names a directory"),
    ],
)
def test_a_bad_target_is_one_sentence_and_exit_2(run, tmp_path, name, sentence):
    (tmp_path / "dir.png").mkdir()
    result = run("diff", "x^2", "--at", "3", "--sweep", "--plot", str(tmp_path / name))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {sentence}") and result.stderr.count("\n") == 1
    assert result.stdout == ""  # refused before any work


def test_a_directory_that_cannot_be_written_is_refused(tmp_path, monkeypatch):
    # The tests run as root, who may write anywhere: the permission is simulated.
    monkeypatch.setattr("os.access", lambda path, mode: False)
    with pytest.raises(UsageError, match="cannot be written"):
        parse_target(str(tmp_path / "f.png"))


def test_term_cannot_share_stdout_with_json(run):
    result = run("diff", "x^2", "--at", "3", "--sweep", "--json", "--plot", "term")
    assert result.exit_code == 2 and "--plot term draws on standard output" in result.stderr
    exported = run("diff", "x^2", "--at", "3", "--format", "markdown", "--plot", "term")
    assert exported.exit_code == 2 and "where --format goes" in exported.stderr  # the option given, named


def test_without_matplotlib_a_file_says_how_to_install_and_nothing_else_breaks(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    result = run("diff", "x^2", "--at", "3", "--sweep", "--plot", str(tmp_path / "f.png"))
    assert result.exit_code == 2
    assert result.stderr == "error: --plot to a file needs matplotlib: install with pip install 'numdiff-cli[plot]'\n"
    assert run("diff", "x^2", "--at", "3", "--sweep").exit_code == 0
    with pytest.raises(UsageError):
        libraries.pyplot()


def test_without_plotext_term_says_how_to_install(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "plotext", None)
    result = run("diff", "x^2", "--at", "3", "--sweep", "--plot", "term")
    assert result.exit_code == 2 and result.stderr.endswith("install with pip install 'numdiff-cli[plot]'\n")


def _loaded_after(args: list[str]) -> set[str]:
    watched = ("matplotlib", "plotext")
    code = (
        f"import sys; from numdiff_cli.cli import app; app({args!r}, prog_name='numdiff', standalone_mode=False); "
        f"print('LOADED:', *(m for m in {watched!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.rpartition("LOADED:")[2].split())


def test_plot_libraries_load_only_when_a_plot_is_asked_for():
    assert _loaded_after(["diff", "sin(x)", "--at", "1", "--sweep"]) == set()
    assert _loaded_after(["diff", "sin(x)", "--at", "1", "--sweep", "--plot", "term"]) == {"plotext"}


def test_the_readme_pictures_script_runs(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pictures", ROOT / "docs" / "make_pictures.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(tmp_path)
    magic = {".png": b"\x89PNG\r\n\x1a\n", ".gif": b"GIF89a"}
    for name in script.PICTURES:
        assert (tmp_path / name).read_bytes().startswith(magic[Path(name).suffix]), name
        assert (ROOT / "docs" / "images" / name).exists(), f"run python docs/make_pictures.py: {name} is missing"


@pytest.mark.parametrize(
    ("env", "tty", "columns", "coloured"),
    [({}, False, 120, False), ({"COLUMNS": "132"}, False, 132, False), ({}, True, 100, True),
     ({"NO_COLOR": "1"}, True, 100, False)],
    ids=["piped", "piped with COLUMNS", "terminal", "terminal with NO_COLOR"],
)
def test_terminal_width_and_colour(monkeypatch, env, tty, columns, coloured):
    import os

    from numdiff_cli.plots import textplot

    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM"):
        monkeypatch.delitem(os.environ, name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty, raising=False)
    monkeypatch.setattr("os.get_terminal_size", lambda *fd: os.terminal_size((100, 40)))
    assert textplot.width() == columns and textplot.colour() is coloured
