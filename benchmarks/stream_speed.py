"""`numdiff descend --json` and `--csv` against the same run printing its table.

The target (issue 10 §6): a long run written as JSON or CSV takes at most 1.5x the time of the
same run shown as a table, though it writes every step (both gradients in each row) where the
table shows about twenty. Each case runs the table, the JSON and the CSV back to back, so that a
slow spell of a shared machine hits them alike; the best of ROUNDS runs counts. Output goes to
/dev/null (the file system is not what is measured).

Run by hand from a checkout: python benchmarks/stream_speed.py [STEPS]   (default 1,000,000)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
CASES = {
    "x0^2 + x1^2 (the default)": [],
    "--grad analytic": ["--grad", "analytic"],
    "3 variables": ["x^2 + 2y^2 + 3z^2", "--from", "1,2,3", "--lr", "0.01"],
}
FORMATS = {"table": [], "--json": ["--json"], "--csv": ["--csv"]}


def seconds(arguments: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one `numdiff --timeout 0 descend ...`."""
    command = [sys.executable, "-m", "numdiff_cli", "--timeout", "0", "descend", *arguments]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    steps = sys.argv[1] if len(sys.argv) > 1 else "1000000"
    print(f"numdiff --timeout 0 descend --steps {int(steps):,} ... > /dev/null: best of {ROUNDS}, wall (cpu)")
    for case, arguments in CASES.items():
        best: dict[str, tuple[float, float]] = {}
        for _ in range(ROUNDS):
            for name, flags in FORMATS.items():
                wall, cpu = seconds([*arguments, "--steps", steps, *flags])
                best[name] = min(best.get(name, (wall, cpu)), (wall, cpu))
        table = best["table"][0]
        cells = "   ".join(f"{name} {wall:5.2f} s ({cpu:5.2f}) {wall / table:4.2f}x" for name, (wall, cpu) in best.items())
        print(f"{case:26s} {cells}")
    print("target: --json and --csv at most 1.50x the table")


if __name__ == "__main__":
    main()
