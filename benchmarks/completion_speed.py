"""How long the shell waits for numdiff's completions: python benchmarks/completion_speed.py

The target (issue 12): a completion request answers in under 150 ms. The shell scripts in
completions/ run the `numdiff` console script with typer's protocol variables set; this times
the same call (bash's and zsh's protocols: a command name, an option, a choice), against a bare
`python -c pass` for the interpreter's own start. Bytecode is compiled first, as an install does.
"""

from __future__ import annotations

import compileall
import os
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


def seconds(shell: str, variables: dict[str, str]) -> tuple[float, str]:
    env = {**os.environ, "_NUMDIFF_COMPLETE": shell, **variables}
    start = time.perf_counter()
    done = subprocess.run([NUMDIFF], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    compileall.compile_dir(ROOT / "numdiff_cli", quiet=1)
    bare = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    print(f"{'python -c pass':40s} median {statistics.median(bare) * 1000:6.1f} ms")
    for name, (shell, variables) in REQUESTS.items():
        times, answer = zip(*(seconds(shell, variables) for _ in range(RUNS)))
        offered = " ".join(answer[0].split())[:60]
        print(f"{name:40s} median {statistics.median(times) * 1000:6.1f} ms   max {max(times) * 1000:6.1f}   ({offered})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("target: under 150 ms")


if __name__ == "__main__":
    main()
