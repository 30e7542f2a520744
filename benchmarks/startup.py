"""Start-up time of `numdiff diff "x**2" --at 3` against `python -c "import sympy, numpy"`.

The target (issue 2): the command takes at most 1.3x the bare import time, and `numdiff
--help` / `--version` import neither library. Run by hand: python benchmarks/startup.py

numdiff spares itself the cyclic garbage collector (see ``cli.main``), which makes it faster
than the bare import it is measured against. So the script also times that import with the
collector spared in the same way: the difference between the two is numdiff's own cost.
Bytecode is compiled first, as an install or any first run does (unless the machine sets
PYTHONDONTWRITEBYTECODE, as this workplace's machines do: then every run would compile numdiff
from source, ~20 ms more, and measure that instead).
"""

from __future__ import annotations

import compileall
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 30
COMMANDS = {
    "import sympy, numpy": [sys.executable, "-c", "import sympy, numpy"],
    "same, collector spared": [
        sys.executable, "-c", "import gc; gc.disable(); import sympy, numpy; gc.freeze()"
    ],
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
    compileall.compile_dir(Path(__file__).parents[1] / "numdiff_cli", quiet=1)
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
    diff, base, spared = 'numdiff diff "x**2" --at 3', "import sympy, numpy", "same, collector spared"
    for label, series in (("wall", walls), ("cpu", cpus)):
        ratio = statistics.median(series[diff]) / statistics.median(series[base])
        print(f"{label} ratio diff / import: median {ratio:.2f}, min {min(series[diff]) / min(series[base]):.2f}")
    for label, series in (("wall", walls), ("cpu", cpus)):
        own = statistics.median(series[diff]) - statistics.median(series[spared])
        print(f"{label}: numdiff's own cost over the spared import {own * 1000:.0f} ms")
    print("target: ratio at most 1.30")


if __name__ == "__main__":
    main()
