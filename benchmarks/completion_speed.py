"""How long the shell waits for numdiff's completions: python benchmarks/completion_speed.py

The target (issue 12): a completion request answers in under 150 ms. The shell scripts in
completions/ run the `numdiff` console script with typer's protocol variables set; this times
the same call (bash's and zsh's protocols: a command name, an option, a choice), against a bare
`python -c pass` for the interpreter's own start. Bytecode is compiled first, as an install does.
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 30
NUMDIFF = str(Path(sys.executable).with_name("numdiff"))  # the console script, as the shell runs it

REQUESTS = {
    "bash: numdiff <Tab>": ("complete_bash", {"COMP_WORDS": "numdiff ", "COMP_CWORD": "1"}),
    "bash: numdiff descend --opt<Tab>": ("complete_bash", {"COMP_WORDS": "numdiff descend --opt", "COMP_CWORD": "2"}),
    "zsh: numdiff diff x --method <Tab>": ("complete_zsh", {"_TYPER_COMPLETE_ARGS": "numdiff diff x --method "}),
}


def seconds(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system: steadier on a shared machine), and the output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done.stdout


def report(name: str, runs: list[tuple[float, float, str]]) -> None:
    walls, cpus, answers = zip(*runs)
    offered = " ".join(answers[0].split())[:50]
    print(
        f"{name:36s} wall median {statistics.median(walls) * 1000:6.1f} ms   "
        f"cpu median {statistics.median(cpus) * 1000:6.1f} ms   {offered}"
    )


def main() -> None:
    compileall.compile_dir(ROOT / "numdiff_cli", quiet=1)
    report("python -c pass", [seconds([sys.executable, "-c", "pass"]) for _ in range(RUNS)])
    for name, (shell, variables) in REQUESTS.items():
        env = {**os.environ, "_NUMDIFF_COMPLETE": shell, **variables}
        report(name, [seconds([NUMDIFF], env) for _ in range(RUNS)])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("target: under 150 ms")


if __name__ == "__main__":
    main()
