"""Start-up time of `numdiff diff "x**2" --at 3` against `python -c "import sympy, numpy"`.

The target (issue 2): the command takes at most 1.3x the bare import time, and `numdiff
--help` / `--version` import neither library. Run by hand: python benchmarks/startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15
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
    medians = {}
    for name, command in COMMANDS.items():
        wall_time(command)  # warm the file cache
        times = [wall_time(command) for _ in range(RUNS)]
        medians[name] = statistics.median(times)
        print(f"{name:32s} median {medians[name] * 1000:7.1f} ms  (min {min(times) * 1000:.1f}, {RUNS} runs)")
    ratio = medians['numdiff diff "x**2" --at 3'] / medians["import sympy, numpy"]
    print(f"ratio diff / import: {ratio:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
