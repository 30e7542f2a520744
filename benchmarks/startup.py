"""Start-up time of `numdiff diff "x**2" --at 3` against `python -c "import sympy, numpy"`.

The target (issue 2): the command takes at most 1.3x the bare import time, and `numdiff
--help` / `--version` import neither library. Run by hand: python benchmarks/startup.py
"""

from __future__ import annotations

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


def wall_time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():
        wall_time(command)  # warm the file cache
    # Interleaved, so that a slow spell of a shared machine hits every command alike.
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            times[name].append(wall_time(command))
    for name, values in times.items():
        print(f"{name:32s} median {statistics.median(values) * 1000:7.1f} ms  (min {min(values) * 1000:.1f}, {RUNS} runs)")
    diff, base = times['numdiff diff "x**2" --at 3'], times["import sympy, numpy"]
    print(
        f"ratio diff / import: median {statistics.median(diff) / statistics.median(base):.2f}, "
        f"min {min(diff) / min(base):.2f} (target <= 1.30)"
    )


if __name__ == "__main__":
    main()
