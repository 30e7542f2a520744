"""Promises about the project itself: start-up, README and CI in step, generated files fresh."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from numdiff_cli import cli, methods, vocabulary

ROOT = Path(__file__).resolve().parent.parent


def _imported_after(code: str, watched: tuple[str, ...] = ("sympy", "numpy")) -> set[str]:
    probe = f"import sys; {code}; print('LOADED:', *(m for m in {watched!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(out.stdout.rpartition("LOADED:")[2].split())


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["diff", "--help"]])
def test_help_and_version_import_neither_sympy_nor_numpy(args):
    code = f"from numdiff_cli.cli import app; app({args!r}, prog_name='numdiff', standalone_mode=False)"
    assert _imported_after(code) == set()


@pytest.mark.parametrize(("fmt", "loads_rich"), [("--json", False), ("--csv", False), (None, True)])
def test_only_a_table_loads_rich(fmt, loads_rich):
    args = ["diff", "x^2", "--at", "3", *([fmt] if fmt else [])]
    code = f"from numdiff_cli.cli import app; app({args!r}, prog_name='numdiff', standalone_mode=False)"
    assert _imported_after(code, ("rich",)) == ({"rich"} if loads_rich else set())


def test_package_import_is_lazy_but_the_public_api_resolves():
    assert _imported_after("import numdiff_cli") == set()
    assert _imported_after("from numdiff_cli import diff") == {"sympy", "numpy"}


def test_python_dash_m_runs_the_app():
    out = subprocess.run([sys.executable, "-m", "numdiff_cli", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.startswith("numdiff ")


def test_readme_quickstart_is_two_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quickstart\n+```sh\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    assert len(block) == 2
    install, tests = block
    assert "pip install" in install and 'numdiff diff "x**2" --at 3' in install
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert "## Quickstart" in ci and "README.md" in ci  # CI reads the commands from the README


def test_method_choices_match_the_registry():
    assert [m.value for m in cli.Method] == list(methods.METHODS)


def test_optimizer_completion_matches_the_registry():
    from numdiff_cli.optimizers import OPTIMIZERS

    assert tuple(OPTIMIZERS) == cli.OPTIMIZER_NAMES
    assert cli._complete_optimizers("sgd,ad") == ["sgd,adagrad", "sgd,adam"]


def test_help_lists_every_function_the_parser_accepts():
    listed = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", cli.FUNCTIONS_HELP))
    for name in vocabulary.FUNCTIONS:
        if name.startswith("arc") and name != "arctan2":
            continue  # covered by "also arcsin ..."
        assert name in listed or name.lower() in listed or name == "arctan2", name


def test_completion_scripts_are_generated_from_the_app():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "completions" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    for shell, name in generate.SHELLS.items():
        assert (ROOT / "completions" / name).read_text() == generate.script(shell), (
            f"completions/{name} is stale: run python completions/generate.py"
        )


def test_every_public_name_resolves():
    import numdiff_cli

    for name in numdiff_cli.__all__:
        assert getattr(numdiff_cli, name) is not None, name


def test_main_runs_without_the_cyclic_collector_and_freezes_what_it_made(monkeypatch):
    import gc

    seen = {}

    def command(**_: object) -> None:
        seen["collector on"] = gc.isenabled()
        raise SystemExit(0)

    monkeypatch.setattr(cli, "app", command)
    frozen_before = gc.get_freeze_count()
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert seen == {"collector on": False}
        assert gc.get_freeze_count() > frozen_before  # so the collection at exit skips them
    finally:
        gc.unfreeze()
        gc.enable()
