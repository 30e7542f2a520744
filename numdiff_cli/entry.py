"""The console script's entry point: Ctrl-C is one line and exit code 130 from the first
moment, also while the command line and its libraries are still loading."""

import sys


def main() -> None:
    """Run ``numdiff`` (see :func:`numdiff_cli.cli.main`)."""
    try:
        from numdiff_cli import cli

        cli.main()
    except KeyboardInterrupt:
        # Imported here: a Ctrl-C during the very first import must land inside the try.
        from numdiff_cli.errors import ExitCode

        sys.stderr.write("error: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
