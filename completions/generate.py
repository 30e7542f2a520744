"""Write numdiff's shell completion scripts from the app itself: python completions/generate.py

The scripts only call back into ``numdiff`` (typer's completion protocol), so they change
when typer's protocol does; tests/test_project.py fails when a committed script drifts.
"""

from __future__ import annotations

from pathlib import Path

from typer.completion import get_completion_script

SHELLS = {"bash": "numdiff.bash", "zsh": "_numdiff", "fish": "numdiff.fish", "powershell": "numdiff.ps1"}
HERE = Path(__file__).parent


def script(shell: str) -> str:
    """The completion script for ``shell``, ending with one newline."""
    return get_completion_script(prog_name="numdiff", complete_var="_NUMDIFF_COMPLETE", shell=shell).rstrip() + "\n"


def main() -> None:
    for shell, name in SHELLS.items():
        (HERE / name).write_text(script(shell))
        print(f"wrote completions/{name}")


if __name__ == "__main__":
    main()
