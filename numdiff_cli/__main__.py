"""Entry point for ``python -m numdiff_cli``."""

from numdiff_cli.cli import main

main()
