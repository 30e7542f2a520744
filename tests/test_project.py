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
    assert _imported_after("from numdiff_cli import diff") == set()  # its core loads when it runs
    assert _imported_after("import numdiff_cli as nd; nd.diff('x', at=1)") == {"sympy", "numpy"}


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
    assert "(also arcsin ...)" in cli.FUNCTIONS_HELP  # the arc- spellings, named once
    for name in vocabulary.FUNCTIONS:
        if name.startswith("arc"):  # arcsin is another spelling of asin, arctan2 of atan2
            assert vocabulary.FUNCTIONS[name] == vocabulary.FUNCTIONS["a" + name[3:]], name
            name = "a" + name[3:]
        assert name in listed or name.lower() in listed, name


def test_completion_scripts_are_generated_from_the_app():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "completions" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    for shell, name in generate.SHELLS.items():
        assert (ROOT / "completions" / name).read_text() == generate.script(shell), (
            f"completions/{name} is stale: run python completions/generate.py"
        )


def test_every_public_name_resolves():
    """Each public name is the object of that name in its home module; other names are errors."""
    import numdiff_cli

    for name in numdiff_cli.__all__:
        value = getattr(numdiff_cli, name)
        if name == "__version__":
            assert re.fullmatch(r"\d+\.\d+\.\d+", value)
        elif isinstance(value, dict):  # a registry, in the module named after it
            assert value is getattr(importlib.import_module(f"numdiff_cli.{name.lower()}"), name)
        else:
            assert value.__name__ == name and value.__module__.startswith("numdiff_cli."), name
            assert getattr(sys.modules[value.__module__], name) is value, name
    with pytest.raises(AttributeError, match="module 'numdiff_cli' has no attribute 'differentiate'"):
        numdiff_cli.differentiate  # noqa: B018


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


def _imports(module: str) -> set[str]:
    """The numdiff_cli modules that ``numdiff_cli/<module>.py`` imports, anywhere in the file."""
    import ast

    tree = ast.parse((ROOT / "numdiff_cli" / f"{module.replace('.', '/')}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("numdiff_cli"):
            names = [node.module] if node.module != "numdiff_cli" else [f"numdiff_cli.{a.name}" for a in node.names]
            found.update(name.removeprefix("numdiff_cli.") for name in names)
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("numdiff_cli.") for a in node.names if a.name.startswith("numdiff_cli."))
    return found


COMMAND_CORES = {"compare", "step_sweep", "gradient", "descent", "explanation", "claim_check", "code_check"}
FRONT_ENDS = {  # and the rendering they call
    "cli", "entry", "command_line", "api", "layout", "output", "stream", "tour", "export",
    "render", "render_diff", "render_grad", "render_descent", "render_rate_sweep", "render_derivation", "render_explain",
    "render_check", "repl", "repl_session", "repl_completion", "repl_help",
}
FRONT_ENDS |= {"render_unbroken"}
FRONT_ENDS |= {"plots"} | {f"plots.{p.stem}" for p in (ROOT / "numdiff_cli" / "plots").glob("*.py")}  # every picture module


@pytest.mark.parametrize("core", sorted(COMMAND_CORES))
def test_command_cores_are_siblings_that_import_none_of_each_other(core):
    assert _imports(core) & (COMMAND_CORES | FRONT_ENDS) == set()


def test_the_foundation_imports_no_command_core_and_no_front_end():
    modules = {p.stem for p in (ROOT / "numdiff_cli").glob("*.py")} - COMMAND_CORES - FRONT_ENDS - {"__init__", "__main__"}
    # results/__init__.py is left out: its display hook (__rich__) loads render when a result is shown.
    modules |= {f"results.{p.stem}" for p in (ROOT / "numdiff_cli" / "results").glob("*.py")} - {"results.__init__"}
    assert {"problem", "accuracy", "curvature", "results.codes"} <= modules
    for module in sorted(modules):
        assert _imports(module) & (COMMAND_CORES | FRONT_ENDS) == set(), module


def test_the_cli_reaches_the_cores_only_through_the_api():
    assert _imports("cli") & COMMAND_CORES == set() and "api" in _imports("cli")


def test_ctrl_c_is_one_line_and_exit_130_not_a_traceback():
    import signal
    import time

    command = [sys.executable, "-m", "numdiff_cli", "descend", "--steps", "10000000"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # imports done, the run under way
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.strip() == "error: interrupted" and out == ""


def _numdiff(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess:
    import os

    command = [sys.executable, "-m", "numdiff_cli", *args]
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}, **streams)


def test_a_stream_that_cannot_encode_the_symbols_gets_them_in_ascii():
    done = _numdiff("diff", "x^2*y", "--at", "x=pi/2,y=2", "--wrt", "y", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("ascii")  # every byte is ASCII
    assert "exact df/dy = 2.4674011002723395" in out and "x = pi/2 ~ 1.5707963267948966" in out


def test_output_that_cannot_be_written_is_one_sentence_and_exit_1():
    with open("/dev/full", "w") as full:
        done = _numdiff("diff", "x^2", "--at", "1", stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode() == "error: could not write the output: No space left on device\n"


@pytest.mark.parametrize("delay", [0.1, 0.15, 0.2, 0.3])
def test_ctrl_c_while_loading_is_no_traceback(delay):
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-m", "numdiff_cli", "diff", "x^2", "--at", "3"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    # 130 with its sentence last; -SIGINT if it came before Python could catch it; 0 if the run was
    # done. (Python itself may first print "Exception ignored in" when the signal lands inside one of
    # its import-lock callbacks, which no program can catch; and on a loaded machine the signal may
    # land while Python's runpy is still starting, before numdiff's handler exists: then Python
    # prints its traceback and dies of the signal.)
    assert process.returncode in (130, -signal.SIGINT, 0), err
    assert process.returncode != 130 or err.endswith("error: interrupted\n"), err
    assert "Traceback" not in err or "Exception ignored in" in err or process.returncode == -signal.SIGINT, err


def test_completion_that_cannot_be_installed_is_one_sentence():
    done = _numdiff("--install-completion", "bash", env={"HOME": "/dev/null", "SHELL": "/bin/bash"})
    assert done.returncode == 1 and done.stderr.decode().startswith("error: could not write /dev/null")
    assert b"Traceback" not in done.stderr
