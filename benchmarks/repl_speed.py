"""How fast numdiff's prompt answers, through a pipe: python benchmarks/repl_speed.py

The target (issue 12): after the first command, `diff x^2 --at 3` answers in a median of at
most 50 ms. One `numdiff repl` reads the commands from a pipe; each is followed by a marker
line (`vars`, which prints one line in a session with no names). An answer's time runs from
writing the command to reading the marker's line, so it includes the table's printing and the
marker's own cost (measured alone too). The CPU time the session used per command is shown
too: steadier than the wall-clock time on a shared machine. Besides the same command again
(sympy's cache helps it), commands that differ every time, and grad and descend.

On a terminal the libraries load while the first line is typed; with pexpect installed (the
test extra) the script also times, on a pseudo-terminal, a first command typed two seconds
after the prompt appeared, and the same command again.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 40
MARK = "vars"  # prints one line here: "_ = ..." or "no names yet: ..."


def piped_session() -> tuple[Callable[[str], float], Callable[[], float]]:
    """A function that sends one command to a piped `numdiff repl` and returns its answer time,
    and one that returns the CPU seconds the session has used so far (Linux's /proc)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    process = subprocess.Popen(
        [sys.executable, "-m", "numdiff_cli", "repl"], cwd=ROOT, env=env, text=True, bufsize=1,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None

    def ask(line: str) -> float:
        start = time.perf_counter()
        process.stdin.write(f"{line}\n{MARK}\n")
        process.stdin.flush()
        while not process.stdout.readline().startswith(("_ = ", "no names yet")):
            pass
        return time.perf_counter() - start

    def cpu() -> float:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    return ask, cpu


def on_a_terminal() -> list[float] | None:
    """Seconds from pressing Enter after `diff x^2 --at 3` to its table on a pseudo-terminal,
    the first time two seconds after the prompt appeared (a person typing), then again."""
    try:
        import pexpect
    except ImportError:
        return None
    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "XDG_STATE_HOME": "/tmp/numdiff-bench-state"}
    prompt = pexpect.spawn(sys.executable, ["-m", "numdiff_cli", "repl"], cwd=ROOT, env=env, encoding="utf-8",
                           dimensions=(50, 80), timeout=30)
    prompt.delaybeforesend = None  # pexpect waits 50 ms before each send by default
    prompt.expect_exact("numdiff>")
    time.sleep(2)
    seconds = []
    for _ in range(RUNS // 2):
        prompt.send("diff x^2 --at 3")
        start = time.perf_counter()
        prompt.send("\r")
        prompt.expect_exact("closest to the exact value")
        seconds.append(time.perf_counter() - start)
        prompt.expect_exact("numdiff>")
    prompt.sendeof()
    prompt.expect(pexpect.EOF)
    return seconds


def report(name: str, seconds: list[float], cpu: float | None = None) -> None:
    ms = sorted(s * 1000 for s in seconds)
    used = f"   cpu mean {cpu * 1000 / len(seconds):5.1f} ms" if cpu is not None else ""
    print(f"{name:44s} median {statistics.median(ms):6.1f} ms   min {ms[0]:6.1f}   max {ms[-1]:6.1f}{used}")


def main() -> None:
    ask, cpu = piped_session()

    def timed(name: str, lines: list[str]) -> None:
        before = cpu()
        seconds = [ask(line) for line in lines]
        report(name, seconds, cpu() - before)

    report("first command: diff x^2 --at 3 (cold)", [ask("diff x^2 --at 3")])
    timed("marker alone: vars", [""] * RUNS)
    timed("diff x^2 --at 3, again", ["diff x^2 --at 3"] * RUNS)
    timed("diff x^k + kx --at k, a new one each time", [f"diff x^{k} + {k}x --at {k}" for k in range(2, RUNS + 2)])
    timed("grad x0^2 + x1^2 --at 3,4", ["grad x0^2 + x1^2 --at 3,4"] * RUNS)
    timed("descend (the lecture's, 100 steps)", ["descend"] * (RUNS // 4))
    terminal = on_a_terminal()
    if terminal is not None:
        report("on a terminal: first diff x^2 --at 3", terminal[:1])
        report("on a terminal: diff x^2 --at 3, again", terminal[1:])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it, cpu less)")
    print("target: diff x^2 --at 3 after the first command, median at most 50 ms")


if __name__ == "__main__":
    main()
