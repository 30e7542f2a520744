"""Start-up time of `numdiff diff "x**2" --at 3` against `python -c "import sympy, numpy"`.

The target (issue 2): the command takes at most 1.3x the bare import time, and `numdiff
--help` / `--version` import neither library. Run by hand: python benchmarks/startup.py
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

RUNS = 30
COMMANDS = {
    "import sympy, numpy": [sys.executable, "-c", "import sympy, numpy"],
    'numdiff diff "x**2" --at 3': [sys.executable, "-m", "numdiff_cli", "diff", "x**2", "--at", "3"],
    "numdiff --help": [sys.executable, "-m", "numdiff_cli", "--help"],
    "numdiff --version": [sys.executable, "-m", "numdiff_cli", "--version"],
}


def wall_time(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system; steadier on a shared machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall_time(command)  # warm the file cache
    # Interleaved, so that a slow spell of a shared machine hits every command alike.
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            wall, cpu = wall_time(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name in COMMANDS:
        print(
            f"{name:32s} wall median {statistics.median(walls[name]) * 1000:6.1f} ms (min "
            f"{min(walls[name]) * 1000:6.1f})   cpu median {statistics.median(cpus[name]) * 1000:6.1f} ms"
        )
    diff, base = 'numdiff diff "x**2" --at 3', "import sympy, numpy"
    for label, series in (("wall", walls), ("cpu", cpus)):
        ratio = statistics.median(series[diff]) / statistics.median(series[base])
        print(f"{label} ratio diff / import: median {ratio:.2f}, min {min(series[diff]) / min(series[base]):.2f}")
    print("target: at most 1.30")


if __name__ == "__main__":
    main()
